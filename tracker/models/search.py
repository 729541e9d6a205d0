"""The full-text index: one row per searchable text, kept in step with its source at every flush.

A row holds the text as written (`body`, where passages are cut from) and
its folded words (`folded`, what is indexed: see tracker.rules.search). The
sources are task titles and descriptions, directives (number, title, signer,
text), progress reports (results, difficulties, proposals, the issuer's
answer), completion reports (note, decision) and attachments (file name and
the text extracted at upload). Rows name their task or directive by id
without a foreign key: reach is always checked on the task or directive
itself, live, and a deleted source takes its row with it in the same flush.

The index proper lives outside the ORM's tables: on SQLite an FTS5 table
`search_fts` over `search_doc.folded`, kept by triggers; on PostgreSQL a
stored tsvector column `vector` (kept by a trigger) under a GIN index with
the id's bucket as one more word. Both are made with the table (here for
create_all, and by migrations 0011, 0019 and 0021).
"""
from __future__ import annotations

import unicodedata

from sqlalchemy import DDL, Index, Integer, String, Text, delete, event, insert, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from tracker.database import db
from tracker.models.directive import Attachment, Directive
from tracker.models.task import CompletionReport, ProgressUpdate, Task
from tracker.rules.search import index_form

WHERE = ("task", "directive", "update", "completion", "attachment")


class SearchDoc(db.Model):
    """One searchable text and the task or directive it belongs to."""

    __tablename__ = "search_doc"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(12))  # one of WHERE
    ref_id: Mapped[int] = mapped_column(Integer)  # the row of that kind
    task_id: Mapped[int | None] = mapped_column(Integer, index=True)  # reach is the task's
    directive_id: Mapped[int | None] = mapped_column(Integer, index=True)  # for the directive's own texts
    body: Mapped[str] = mapped_column(Text, default="")
    folded: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (Index("ix_search_doc_kind_ref", "kind", "ref_id", unique=True),)


SQLITE_DDL = [
    "CREATE VIRTUAL TABLE search_fts USING fts5(folded, content='search_doc', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 0')",
    "CREATE TRIGGER search_doc_ai AFTER INSERT ON search_doc BEGIN "
    "INSERT INTO search_fts(rowid, folded) VALUES (new.id, new.folded); END",
    "CREATE TRIGGER search_doc_ad AFTER DELETE ON search_doc BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, folded) VALUES ('delete', old.id, old.folded); END",
    "CREATE TRIGGER search_doc_au AFTER UPDATE ON search_doc BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, folded) VALUES ('delete', old.id, old.folded); "
    "INSERT INTO search_fts(rowid, folded) VALUES (new.id, new.folded); END",
]
SQLITE_DROP = ["DROP TRIGGER IF EXISTS search_doc_au", "DROP TRIGGER IF EXISTS search_doc_ad",
               "DROP TRIGGER IF EXISTS search_doc_ai", "DROP TABLE IF EXISTS search_fts"]
# PostgreSQL: the folded words' tsvector is stored (`vector`, filled by a trigger from `folded` on every
# write: the ORM event's rows and an import's Core inserts alike) and indexed by GIN together with the
# row's id bucket, as one more word of the row ("~15" for ids 983,040-1,048,575: BUCKETED): a query for
# the words and one bucket's word is then an ordinary GIN intersection, which skips through the posting
# lists from the rarer side, so the newest matches are found bucket by bucket from the index without
# reading a table page for every older match, and an empty bucket costs a few index pages (migration 0021;
# 0019's btree_gin column read the whole of each bucket's list). No text makes a word with "~": words are
# runs of letters and digits (tracker.rules.search), and to_tsvector splits at it.
BUCKET_SHIFT = 16  # 65,536 ids a bucket


def bucketed(table: str = "") -> str:
    """SQL: the row's indexed words, its vector and its bucket's word (columns prefixed with `table`)."""
    return f"({table}vector || array_to_tsvector(ARRAY['~' || ({table}id >> {BUCKET_SHIFT})::text]))"


BUCKETED = bucketed()
WORDS_INDEX = f"CREATE INDEX {{concurrently}}IF NOT EXISTS ix_search_doc_bucket_words ON search_doc USING gin ({BUCKETED})"
POSTGRES_DDL = [
    "ALTER TABLE search_doc ADD COLUMN vector tsvector",
    "CREATE OR REPLACE FUNCTION search_doc_vector() RETURNS trigger LANGUAGE plpgsql AS "
    "$$ BEGIN NEW.vector := to_tsvector('simple', NEW.folded); RETURN NEW; END $$",
    "CREATE TRIGGER search_doc_vector BEFORE INSERT OR UPDATE OF folded ON search_doc "
    "FOR EACH ROW EXECUTE FUNCTION search_doc_vector()",
    WORDS_INDEX.format(concurrently=""),
]
POSTGRES_DROP = ["DROP INDEX IF EXISTS ix_search_doc_bucket_words",
                 "DROP TRIGGER IF EXISTS search_doc_vector ON search_doc",
                 "DROP FUNCTION IF EXISTS search_doc_vector()", "ALTER TABLE search_doc DROP COLUMN IF EXISTS vector"]
INDEX_OBJECTS = ("search_fts", "ix_search_doc_fts", "ix_search_doc_words", "ix_search_doc_bucket_words")  # not in
INDEX_COLUMNS = ("vector",)  # the metadata: the migrations' comparison skips them


for _statement in SQLITE_DDL:
    event.listen(SearchDoc.__table__, "after_create", DDL(_statement).execute_if(dialect="sqlite"))
for _statement in POSTGRES_DDL:
    event.listen(SearchDoc.__table__, "after_create", DDL(_statement).execute_if(dialect="postgresql"))
for _statement in SQLITE_DROP:
    event.listen(SearchDoc.__table__, "before_drop", DDL(_statement).execute_if(dialect="sqlite"))


# --- what each source contributes ---------------------------------------------------------------

FIELDS = {  # the columns whose change re-indexes the row
    Task: ("title", "description"),
    Directive: ("number", "title", "signer", "text"),
    ProgressUpdate: ("results", "difficulties", "proposals", "response", "report_number"),
    CompletionReport: ("note", "decision_note"),
    Attachment: ("original_name", "text"),
}
KIND = {Task: "task", Directive: "directive", ProgressUpdate: "update", CompletionReport: "completion",
        Attachment: "attachment"}


def _join(*parts: str | None) -> str:
    return unicodedata.normalize("NFC", "\n".join(p for p in parts if p and p.strip()))


def task_rows(tasks) -> list[dict]:
    """Index rows of tasks written without the ORM (an import's plain INSERTs): (id, title, description)."""
    rows = []
    for task_id, title, description in tasks:
        body = _join(title, description)
        if body:
            rows.append({"kind": "task", "ref_id": task_id, "task_id": task_id, "directive_id": None, "body": body,
                         "folded": index_form(body)})
    return rows


def _loaded(obj, name: str, connection, table, column):
    """The attribute if loaded, else read from the row (deferred columns are not loaded at flush)."""
    if name in obj.__dict__:
        return obj.__dict__[name]
    return connection.scalar(select(column).where(table.c.id == obj.id)) or ""


def _row(obj, connection) -> dict | None:
    """The index row of a source object (None when it has nothing to index)."""
    if isinstance(obj, Task):
        return {"task_id": obj.id, "directive_id": None, "body": _join(obj.title, obj.description)}
    if isinstance(obj, Directive):
        text = _loaded(obj, "text", connection, Directive.__table__, Directive.__table__.c.text)
        return {"task_id": None, "directive_id": obj.id, "body": _join(obj.number, obj.title, obj.signer, text)}
    if isinstance(obj, ProgressUpdate):
        return {"task_id": obj.task_id, "directive_id": None,
                "body": _join(obj.report_number, obj.results, obj.difficulties, obj.proposals, obj.response)}
    if isinstance(obj, CompletionReport):
        return {"task_id": obj.task_id, "directive_id": None, "body": _join(obj.note, obj.decision_note)}
    if isinstance(obj, Attachment):
        text = _loaded(obj, "text", connection, Attachment.__table__, Attachment.__table__.c.text)
        if obj.update_id is not None:
            task_id = connection.scalar(select(ProgressUpdate.task_id).where(ProgressUpdate.id == obj.update_id))
            return {"task_id": task_id, "directive_id": None, "body": _join(obj.original_name, text)}
        return {"task_id": None, "directive_id": obj.directive_id, "body": _join(obj.original_name, text)}
    return None


def _changed(obj) -> bool:
    state = db.inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in FIELDS[type(obj)])


@event.listens_for(Session, "after_flush")
def _keep_index(session: Session, _context) -> None:
    """Write the index rows of the sources this flush created, changed or deleted (same transaction)."""
    new = [o for o in session.new if type(o) in KIND]
    dirty = [o for o in session.dirty if type(o) in KIND and _changed(o)]
    gone = [o for o in session.deleted if type(o) in KIND]
    if not (new or dirty or gone):
        return
    connection = session.connection()
    table = SearchDoc.__table__
    for obj in dirty + gone:
        connection.execute(delete(table).where(table.c.kind == KIND[type(obj)], table.c.ref_id == obj.id))
    rows = []
    for obj in new + dirty:
        row = _row(obj, connection)
        if row is not None and row["body"]:
            rows.append({"kind": KIND[type(obj)], "ref_id": obj.id, **row, "folded": index_form(row["body"])})
    if rows:
        connection.execute(insert(table), rows)


def include_name(name: str | None, type_: str, _parents) -> bool:
    """Alembic's filter: the search index's own tables and index are not the models' (see INDEX_OBJECTS)."""
    if name and type_ == "column" and name in INDEX_COLUMNS:
        return False
    return not (name and (type_ in ("table", "index")) and name.startswith(INDEX_OBJECTS))
