"""The reach rules of tracker.rules.reach, written as SQL conditions for lists, dashboards and the API.

`task_visible_clause(user)` keeps the rows `rules.reach.can_view_task` would
let the user see, without loading them; the access sweep in tests/security
checks that both agree. Its per-row form (and directive_visible_clause's),
for rows a caller already has, is the search's; tests/test_search.py checks
on random data that both forms keep the same rows.
"""
from __future__ import annotations

from sqlalchemy import ColumnElement, and_, exists, func, or_, select, true
from sqlalchemy.orm import aliased

from tracker.database import db
from tracker.models import Directive, Task, Unit, User, task_cooperation
from tracker.rules.reach import is_admin, reach_path
from tracker.services.sql import in_query


def unit_in_reach_clause(user: User, path_column) -> ColumnElement[bool]:
    """SQL condition: `path_column` (a Unit.path) lies within the user's reach."""
    prefix = reach_path(user)
    if prefix == "/":
        return true()
    return path_column.startswith(prefix, autoescape=True)


def reach_unit_ids(user: User):
    """SQL subquery: ids of the units in the user's reach."""
    return select(Unit.id).where(unit_in_reach_clause(user, Unit.path))


def subtree_is_everything(path: str) -> bool:
    """True if every unit lies under `path` (the only root of the tree: a province deployment's committee).

    The tree is small, so this costs one indexed look-up; it lets the
    leaders at the root skip the visibility and subtree conditions that
    every task would pass anyway. The answer is kept in the session's `info`
    (a page asks several times; a request's session ends with it). A path
    below another unit ("/1/4/") answers without a look-up: its parent lies outside.
    """
    if path == "/":
        return True
    if path.strip("/").count("/"):
        return False
    cache = db.session.info.setdefault("reach_everything", {})
    if path not in cache:
        cache[path] = not db.session.scalar(select(_unit_outside(path)))
    return cache[path]


def everything_sql(unit) -> ColumnElement[bool]:
    """SQL: no unit lies outside the subtree of `unit` (a Unit entity or alias in the statement), for the
    request's first statement, which loads the signed-in user with their unit: `remember_everything` then
    keeps its answer, and `subtree_is_everything` needs no look-up of its own. (Paths hold only digits and
    slashes: nothing to escape in the pattern.)"""
    other = aliased(Unit)
    return ~exists().where(~other.path.startswith(unit.path))


def remember_everything(path: str, value: bool) -> None:
    """Keep `subtree_is_everything(path)`, read by another statement of this session."""
    db.session.info.setdefault("reach_everything", {})[path] = bool(value)


def reach_unit_id_list(user: User) -> list[int]:
    """Ids of the units in the user's reach, read once (for conditions checked row by row: see `per_row`), or
    as kept for this session by `remember_reach_units` (a worker keeps them until the units change)."""
    kept = db.session.info.get("reach_units", {}).get(reach_path(user))
    if kept is not None:
        return kept
    return list(db.session.scalars(reach_unit_ids(user)))


def remember_reach_units(user: User, ids: list[int]) -> None:
    """Keep `reach_unit_id_list(user)`, found by the caller (kept since the units last changed)."""
    db.session.info.setdefault("reach_units", {})[reach_path(user)] = ids


def _unit_outside(path: str) -> ColumnElement[bool]:
    """SQL: some unit lies outside `path`'s subtree (an index look-up that stops at the first)."""
    other = aliased(Unit)
    return exists().where(~other.path.startswith(path, autoescape=True))


def load_subtree(unit: Unit) -> list[Unit]:
    """The units of `unit`'s subtree and its ancestors, in one statement that also answers (and keeps, as
    `subtree_is_everything` does) whether the subtree is the whole tree."""
    ancestors = [int(p) for p in unit.path.strip("/").split("/") if p]
    rows = db.session.execute(select(Unit, _unit_outside(unit.path)).where(
        or_(Unit.path.startswith(unit.path, autoescape=True), Unit.id.in_(ancestors)))).all()
    if rows:  # the unit itself is always there
        db.session.info.setdefault("reach_everything", {})[unit.path] = not rows[0][1]
    return [row[0] for row in rows]


def task_visible_clause(user: User, task=None, per_row: bool = False, units: list[int] | None = None,
                        among=None, hashed: bool = False, published=None) -> ColumnElement[bool]:
    """SQL condition: the task (`task`: the task table, or an alias of it) is visible to `user`.

    Visible: its lead unit, a cooperating unit or its issuing unit is in the
    user's reach, or it is assigned to them; tasks of unpublished directives
    only to the issuing side.

    The rule in two forms, for two uses. The lists' (the default) selects
    among every task: each term is an index condition read once for the
    whole reach (the reach's units, the tasks its units cooperate on), the
    terms united (SQLite: index by index; PostgreSQL: a bitmap OR).
    `per_row` checks rows the caller already has (a search's window of a
    few thousand matches): the reach's unit ids are read once and written
    as literals, and a row's directive and cooperations are asked by
    primary key ("LIMIT 1" scalar subqueries, which PostgreSQL never turns
    into a hash of every published directive or of every cooperation of
    the reach), so the cost follows the rows checked, not the reach's size;
    `units` are the reach's unit ids when the caller has read them, and
    `among` a select of the ids of the tasks checked (a search's window):
    the reach's cooperations on those tasks are then read once, from the
    units' index, instead of one look-up per row. `hashed`, for rows not
    named by such a select (the tasks of a window's directives): the
    reach's cooperations are read once from the units' index into a set
    each row is looked up in (PostgreSQL: a hashed subplan), a cost that
    follows the reach's cooperations (~14,000 for a department at a
    million tasks), not one index probe per row. `published`: the
    condition "the task's directive is published" when the caller has that
    directive's row (its tasks checked from it), instead of its look-up.
    """
    if is_admin(user) or subtree_is_everything(reach_path(user)):
        return true()  # every task's issuing unit is then in reach
    task = Task.__table__ if task is None else task
    if per_row:
        ids = reach_unit_id_list(user) if units is None else units
        if published is None:
            published = (select(Directive.published_at).where(Directive.id == task.c.directive_id).limit(1)
                         .correlate(task).scalar_subquery().is_not(None))
        if hashed:
            coop = task.c.id.in_(select(task_cooperation.c.task_id).where(task_cooperation.c.unit_id.in_(ids)))
        elif among is not None:
            coop = in_query(task.c.id, select(task_cooperation.c.task_id).where(
                task_cooperation.c.unit_id.in_(ids), task_cooperation.c.task_id.in_(among)))
        else:
            coop = (select(task_cooperation.c.task_id).where(task_cooperation.c.task_id == task.c.id,
                                                             task_cooperation.c.unit_id.in_(ids))
                    .limit(1).correlate(task).scalar_subquery().is_not(None))
        # The columns first, then the cooperations, the directive last: each asked only when still needed
        # (an unassigned task's NULL would make the OR unknown, not false, and the directive asked anyway).
        return or_(task.c.issuing_unit_id.in_(ids), and_(or_(
            task.c.lead_unit_id.in_(ids), func.coalesce(task.c.assignee_id, 0) == user.id, coop), published))
    ids = reach_unit_ids(user)
    issuer_side = in_query(task.c.issuing_unit_id, ids)
    published = exists().where(Directive.id == task.c.directive_id, Directive.published_at.is_not(None))
    coop = in_query(task.c.id, select(task_cooperation.c.task_id).where(task_cooperation.c.unit_id.in_(ids)))
    # Written as a flat OR of indexed terms so that SQLite reads each from an index and unites them.
    return or_(issuer_side, and_(published, in_query(task.c.lead_unit_id, ids)),
               and_(published, task.c.assignee_id == user.id), and_(published, coop))


def directive_visible_clause(user: User, per_row: bool = False, units: list[int] | None = None,
                             hashed: bool = False) -> ColumnElement[bool]:
    """SQL condition: the directive is visible (issued in reach, or one of its tasks is).

    `per_row`: as task_visible_clause's, for directives the caller already has: its tasks are
    asked by the directive's index, each by task_visible_clause's `per_row` form; with `hashed`,
    the reach's cooperations are read once (see task_visible_clause), not probed for each task of
    each directive (a search's window of ~2,000 directives has ~18,000 tasks).
    """
    if is_admin(user):
        return true()
    directive = Directive.__table__
    if per_row:
        if subtree_is_everything(reach_path(user)):
            return true()  # every issuing unit is in reach
        ids = reach_unit_id_list(user) if units is None else units
        task = Task.__table__.alias("seen_task")
        task_seen = (select(task.c.id).where(task.c.directive_id == directive.c.id,
                                             task_visible_clause(user, task, per_row=True, units=ids, hashed=hashed,
                                                                 published=directive.c.published_at.is_not(None)))
                     .limit(1).correlate(directive).scalar_subquery().is_not(None))
        return or_(directive.c.issuing_unit_id.in_(ids), task_seen)
    task_seen = exists(select(Task.id).where(Task.directive_id == Directive.id, task_visible_clause(user)))
    return or_(Directive.issuing_unit_id.in_(reach_unit_ids(user)), task_seen)
