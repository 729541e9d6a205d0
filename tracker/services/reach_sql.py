"""The reach rules of tracker.rules.reach, written as SQL conditions for lists, dashboards and the API.

`task_visible_clause(user)` keeps the rows `rules.reach.can_view_task` would
let the user see, without loading them; the access sweep in tests/security
checks that both agree.
"""
from __future__ import annotations

from sqlalchemy import ColumnElement, and_, exists, or_, select, true

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
        outside = db.session.scalar(select(Unit.id).where(~Unit.path.startswith(path, autoescape=True)).limit(1))
        cache[path] = outside is None
    return cache[path]


def task_visible_clause(user: User) -> ColumnElement[bool]:
    """SQL condition: the task is visible to `user`.

    Visible: its lead unit, a cooperating unit or its issuing unit is in the
    user's reach, or it is assigned to them; tasks of unpublished directives
    only to the issuing side.
    """
    if is_admin(user) or subtree_is_everything(reach_path(user)):
        return true()  # every task's issuing unit is then in reach
    ids = reach_unit_ids(user)
    issuer_side = in_query(Task.issuing_unit_id, ids)
    published = exists().where(Directive.id == Task.directive_id, Directive.published_at.is_not(None))
    coop = in_query(Task.id, select(task_cooperation.c.task_id).where(task_cooperation.c.unit_id.in_(ids)))
    # Written as a flat OR of indexed terms so that SQLite reads each from an index and unites them.
    return or_(issuer_side, and_(published, in_query(Task.lead_unit_id, ids)),
               and_(published, Task.assignee_id == user.id), and_(published, coop))


def directive_visible_clause(user: User) -> ColumnElement[bool]:
    """SQL condition: the directive is visible (issued in reach, or one of its tasks is)."""
    if is_admin(user):
        return true()
    task_seen = exists(select(Task.id).where(Task.directive_id == Directive.id, task_visible_clause(user)))
    return or_(Directive.issuing_unit_id.in_(reach_unit_ids(user)), task_seen)
