"""Full-text search over tasks, directives, reports and attachment text, in the searcher's reach.

The index (tracker.models.search) is asked for the rows whose words hold
every term of the query, the best first (SQLite FTS5's bm25, PostgreSQL's
ts_rank); reach is the lists' own rule (tracker.services.reach_sql's
task_visible_clause) on the row's task, or on its directive for the
directive's own texts (directive_visible_clause), so a search never finds
what the lists would not show, and a passage is cut only from a row that
passed it. The rule is asked in its per-row form (_visible), on each row
of a PostgreSQL window (_window_page) or each matching row (SQLite, and
PostgreSQL past the window); tests/test_search.py compares the results
with the lists' form on random data.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from markupsafe import Markup
from sqlalchemy import (Float, Integer, and_, column, delete, func, insert, literal_column, or_, select, table,
                        text, true)

from tracker.database import db
from tracker.models import Attachment, CompletionReport, Directive, ProgressUpdate, Task, User
from tracker.models.search import BUCKET_SHIFT, BUCKETED, SearchDoc, bucketed
from tracker.rules.search import fts5_query, index_form, passage, terms, tsquery
from tracker.rules.reach import is_admin, reach_path
from tracker.services.reach_sql import (directive_visible_clause, reach_unit_id_list, subtree_is_everything,
                                        task_visible_clause)

FTS = table("search_fts", column("rowid"), column("rank"))
BATCH = 5000
CANDIDATES = 2000  # matching texts ranked at most (the newest), unless the page asks for more
WINDOW = text(  # PostgreSQL: the newest matching texts, bucket by bucket (see tracker.models.search), ranked
    "SELECT w.id, w.task_id, w.directive_id, ts_rank(w.vector, to_tsquery('simple', :query), 1) AS rank "
    f"FROM generate_series((SELECT max(id) FROM search_doc) >> {BUCKET_SHIFT}, 0, -1) AS b(n) CROSS JOIN LATERAL "
    f"(SELECT id, task_id, directive_id, vector FROM search_doc WHERE {BUCKETED} @@ to_tsquery('simple', :query) "
    f"AND {BUCKETED} @@ ('~' || b.n)::tsquery ORDER BY id DESC) AS w LIMIT :limit")
# (The words and the bucket are two conditions, not one query "words & ~n": GIN then leapfrogs between the
# two lists, each skipping to the other's next row, where within one query it would step through every row
# of the rarer list: ~2 ms for a bucket of 65,536 rows that a broad word does not reach.)


@dataclass
class Hit:
    """One search result: where the text was found, its task or directive, the passage."""

    where: str  # task, directive, update, completion, attachment
    task_id: int | None
    directive_id: int
    title: str
    snippet: Markup


@dataclass
class Match:
    """How this database finds the rows holding every term: FROM clause, condition, rank (lower is better),
    the index's row id (newest last), and the index alone (for the candidate window)."""

    source: object
    condition: object
    rank: object
    row_id: object
    index_only: object


def _match(found: list[str]) -> Match:
    doc = SearchDoc.__table__
    if db.engine.dialect.name == "postgresql":
        vector = literal_column("search_doc.vector")  # to_tsvector('simple', folded), stored (migration 0019)
        query = func.to_tsquery(literal_column("'simple'"), tsquery(found))
        # The indexed form (the words and the bucket's word, which no query term matches): the GIN index's own.
        condition = literal_column(bucketed("search_doc.")).op("@@")(query)
        return Match(doc, condition, -func.ts_rank(vector, query, 1), doc.c.id,  # 1: longer texts weigh less
                     select(doc.c.id.label("id")).where(condition))
    condition = literal_column("search_fts").op("MATCH")(fts5_query(found))
    return Match(FTS.join(doc, doc.c.id == FTS.c.rowid), condition, FTS.c.rank, FTS.c.rowid,
                 select(FTS.c.rowid.label("id")).where(condition))


def _visible(user: User, task_id, directive_id, among=None):
    """SQL condition on a search_doc row (its columns `task_id`, `directive_id`): the searcher may see what it
    belongs to, its task or (for a directive's own texts) its directive, by the lists' rule (reach_sql) in
    its per-row form, on the task or directive read by primary key (a scalar subquery each: a join could be
    planned as a hash of every directive). `among`: a select of the task ids the rows name (see
    reach_sql.task_visible_clause); given (a window), a directive's tasks are checked against the reach's
    cooperations read once (directive_visible_clause's `hashed`)."""
    if is_admin(user) or subtree_is_everything(reach_path(user)):
        return true()  # every task and every directive (issued by a unit in reach) is visible
    units = reach_unit_id_list(user)
    task, directive = Task.__table__, Directive.__table__
    task_seen = (select(task.c.id).where(task.c.id == task_id,
                                         task_visible_clause(user, per_row=True, units=units, among=among))
                 .limit(1).correlate_except(task).scalar_subquery().is_not(None))
    directive_seen = (select(directive.c.id).where(directive.c.id == directive_id,
                                                   directive_visible_clause(user, per_row=True, units=units,
                                                                            hashed=among is not None))
                      .limit(1).correlate_except(directive).scalar_subquery().is_not(None))
    return or_(and_(task_id.is_not(None), task_seen), and_(task_id.is_(None), directive_seen))


def search(user: User, query: str, page: int = 1, per_page: int = 20) -> tuple[list[Hit], int, bool]:
    """The page of results for `query` the user may see, best first; how many there are; whether more.

    Ranking reads every matching row; for words found in more than
    CANDIDATES texts, the best matches are taken among the newest
    CANDIDATES (the total then counts those and says "more"), unless that
    does not fill the page asked for.
    """
    found = terms(query)
    if not found:
        return [], 0, False
    match = _match(found)
    if db.engine.dialect.name == "postgresql":
        ids, total, truncated = _window_page(user, found, page, per_page)
    else:
        window = match.index_only.order_by(match.row_id.desc()).limit(CANDIDATES).subquery()
        floor = db.session.execute(select(func.count(), func.min(window.c.id))).one()
        truncated = floor[0] >= CANDIDATES
        ids, total = _page(user, match, page, per_page, floor[1] if truncated else None)
    if truncated and total < page * per_page:  # the window is not enough: everything
        truncated, (ids, total) = False, _page(user, match, page, per_page, None)
    if not ids:
        if page == 1:
            return [], 0, False
        return [], _count(user, match), False
    doc, task, directive = SearchDoc.__table__, Task.__table__, Directive.__table__
    # The page's texts with their task's title or their directive's number and title, in one statement.
    rows = {row.id: row for row in db.session.execute(
        select(doc.c.id, doc.c.kind, doc.c.task_id, doc.c.body, task.c.title, task.c.directive_id.label("task_directive"),
               directive.c.id.label("directive_id"), directive.c.number, directive.c.title.label("directive_title"))
        .select_from(doc.outerjoin(task, task.c.id == doc.c.task_id)
                     .outerjoin(directive, directive.c.id == doc.c.directive_id))
        .where(doc.c.id.in_(ids)))}
    hits = []
    for doc_id in ids:
        row = rows[doc_id]
        if row.task_id:
            title, directive_id = row.title, row.task_directive
        else:
            title, directive_id = f"{row.number} · {row.directive_title}", row.directive_id
        hits.append(Hit(where=row.kind, task_id=row.task_id, directive_id=directive_id, title=title,
                        snippet=passage(row.body, found)))
    return hits, total, truncated


def _window_page(user: User, found: list[str], page: int, per_page: int) -> tuple[list[int], int, bool]:
    """PostgreSQL: the page's row ids among the window's rows the user may see, how many of them there are
    (0 when the page is past their end), and whether the window is full (CANDIDATES rows).

    One statement. The window's rows are found bucket by bucket (65,536 ids each), newest first, in the
    GIN index of the words and the bucket's word: a bucket's matches are read from the index, then only
    their own table pages, each ranked as it is read, and the walk stops at the window (older matches
    are never read). The window is kept (a CTE read twice: for its size and for the page); each of its
    rows is checked against reach on its task or directive by primary key (_visible), and the rows that
    passed are counted, ordered and cut in the database: only the page comes back, not the window.
    """
    window = WINDOW.bindparams(query=tsquery(found), limit=CANDIDATES).columns(
        column("id", Integer), column("task_id", Integer), column("directive_id", Integer),
        column("rank", Float)).cte("window_rows")
    # The reach's cooperations on the window's tasks are read once (by the units' index), not row by row.
    base = select(window.c.id, window.c.rank, func.count().over().label("total")).where(
        _visible(user, window.c.task_id, window.c.directive_id, among=select(window.c.task_id).correlate(None)))
    rows = (base.order_by(window.c.rank.desc(), window.c.id)
            .limit(per_page).offset((page - 1) * per_page)).lateral("page_rows")
    size = select(func.count().label("size")).select_from(window).subquery("window_size")
    found_rows = db.session.execute(select(size.c.size, rows.c.id, rows.c.total)
                                    .select_from(size.outerjoin(rows, true()))
                                    .order_by(rows.c.rank.desc(), rows.c.id)).all()
    ids = [row.id for row in found_rows if row.id is not None]
    return ids, found_rows[0].total if ids else 0, found_rows[0].size >= CANDIDATES


def _visible_matches(user: User, match: Match, floor: int | None):
    """The visible matching rows: all, or those from `floor` on."""
    doc = SearchDoc.__table__
    stmt = select(doc.c.id).select_from(match.source).where(match.condition, _visible(user, doc.c.task_id, doc.c.directive_id))
    return stmt.where(match.row_id >= floor) if floor is not None else stmt


def _page(user: User, match: Match, page: int, per_page: int, floor: int | None = None) -> tuple[list[int], int]:
    """The page's row ids and the number of visible matches (in one pass; 0 when the page is past the end)."""
    doc = SearchDoc.__table__
    stmt = (_visible_matches(user, match, floor).add_columns(func.count().over().label("total"))
            .order_by(match.rank, doc.c.id).limit(per_page).offset((page - 1) * per_page))
    rows = db.session.execute(stmt).all()
    return [r.id for r in rows], rows[0].total if rows else 0


def _count(user: User, match: Match) -> int:
    return db.session.scalar(select(func.count()).select_from(_visible_matches(user, match, None).subquery())) or 0


# --- filling the index from the sources (after a migration or a bulk load) ------------------------

def _sources():
    """(kind, select of (id, task_id, directive_id, *text columns) ordered by id) for each source."""
    t, d, u, c, a = (m.__table__ for m in (Task, Directive, ProgressUpdate, CompletionReport, Attachment))
    none = literal_column("NULL")
    return [
        ("task", select(t.c.id, t.c.id, none, t.c.title, t.c.description), t.c.id),
        ("directive", select(d.c.id, none, d.c.id, d.c.number, d.c.title, d.c.signer, d.c.text), d.c.id),
        ("update", select(u.c.id, u.c.task_id, none, u.c.report_number, u.c.results, u.c.difficulties,
                          u.c.proposals, u.c.response), u.c.id),
        ("completion", select(c.c.id, c.c.task_id, none, c.c.note, c.c.decision_note), c.c.id),
        ("attachment", select(a.c.id, u.c.task_id, a.c.directive_id, a.c.original_name,
                              a.c.text).select_from(a.outerjoin(u, u.c.id == a.c.update_id)), a.c.id),
    ]


def rebuild(connection, batch: int = BATCH) -> int:
    """Empty the index and fill it again from every source; return how many rows it holds."""
    doc = SearchDoc.__table__
    connection.execute(delete(doc))
    count = 0
    for kind, stmt, key in _sources():
        last = 0
        while True:
            rows = connection.execute(stmt.where(key > last).order_by(key).limit(batch)).all()
            if not rows:
                break
            last = rows[-1][0]
            out = []
            for ref_id, task_id, directive_id, *parts in rows:
                body = unicodedata.normalize("NFC", "\n".join(p for p in parts if p and p.strip()))
                if body:
                    out.append({"kind": kind, "ref_id": ref_id, "task_id": task_id,
                                "directive_id": None if task_id else directive_id, "body": body,
                                "folded": index_form(body)})
            if out:
                connection.execute(insert(doc), out)
                count += len(out)
    if connection.dialect.name == "sqlite":
        connection.execute(text("INSERT INTO search_fts(search_fts) VALUES ('optimize')"))
    return count
