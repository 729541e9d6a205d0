"""Who may see and do what: named predicates shared by pages, API and templates.

A user's reach is their unit's subtree (domain.md, "Who may do what");
admins reach everything. Views enforce these predicates on the server;
templates call the same ones only to hide controls.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, true

if TYPE_CHECKING:
    from tracker.models import Unit, User



def is_admin(user: User) -> bool:
    return user.is_authenticated and user.role == "admin"


def reach_path(user: User) -> str:
    """Return the materialised path prefix of the user's reach ("/" for admins)."""
    if is_admin(user):
        return "/"
    return user.unit.path


def in_reach(user: User, unit: Unit | None) -> bool:
    """True if `unit` lies in the user's reach (their unit's subtree)."""
    if unit is None:
        return False
    return unit.path.startswith(reach_path(user))


def unit_in_reach_clause(user: User, path_column) -> ColumnElement[bool]:
    """SQL condition: `path_column` (a Unit.path) lies within the user's reach."""
    prefix = reach_path(user)
    if prefix == "/":
        return true()
    return path_column.startswith(prefix, autoescape=True)


def can_manage_units_and_users(user: User) -> bool:
    return is_admin(user)


def can_view_dashboard(user: User) -> bool:
    """Leaders and secretaries (and admins) see dashboards of their reach."""
    return user.role in ("admin", "leader", "secretary")


def can_record_directive(user: User) -> bool:
    """Leaders issue directives; secretaries record them on behalf of their unit's leaders."""
    return user.role in ("admin", "leader", "secretary")


# --- directives and tasks -------------------------------------------------------------------

def reach_unit_ids(user: User):
    """SQL subquery: ids of the units in the user's reach."""
    from sqlalchemy import select

    from tracker.models import Unit

    return select(Unit.id).where(unit_in_reach_clause(user, Unit.path))


def subtree_is_everything(path: str) -> bool:
    """True if every unit lies under `path` (the only root of the tree: a province deployment's committee).

    The tree is small, so this costs one indexed look-up; it lets the
    leaders at the root skip the visibility and subtree conditions that
    every task would pass anyway.
    """
    from sqlalchemy import select

    from tracker.extensions import db
    from tracker.models import Unit

    if path == "/":
        return True
    cache = _request_cache()
    if path not in cache:
        outside = db.session.scalar(select(Unit.id).where(~Unit.path.startswith(path, autoescape=True)).limit(1))
        cache[path] = outside is None
    return cache[path]


def _request_cache() -> dict:
    """Answers of `subtree_is_everything` for this request (a page asks several times); none outside one."""
    from flask import g, has_app_context

    if not has_app_context():
        return {}
    if "reach_everything" not in g:
        g.reach_everything = {}
    return g.reach_everything


def task_visible_clause(user: User) -> ColumnElement[bool]:
    """SQL condition: the task is visible to `user`.

    Visible: its lead unit, a cooperating unit or its issuing unit is in the
    user's reach, or it is assigned to them; tasks of unpublished directives
    only to the issuing side.
    """
    from sqlalchemy import and_, exists, or_, select

    from tracker.models import Directive, Task, task_cooperation

    if is_admin(user) or subtree_is_everything(reach_path(user)):
        return true()  # every task's issuing unit is then in reach
    ids = reach_unit_ids(user)
    from tracker.services.sql import in_query

    issuer_side = in_query(Task.issuer_unit_id, ids)
    published = exists().where(Directive.id == Task.directive_id, Directive.published_at.is_not(None))
    coop = in_query(Task.id, select(task_cooperation.c.task_id).where(task_cooperation.c.unit_id.in_(ids)))
    # Written as a flat OR of indexed terms so that SQLite reads each from an index and unites them.
    return or_(issuer_side, and_(published, in_query(Task.lead_unit_id, ids)),
               and_(published, Task.assignee_id == user.id), and_(published, coop))


def directive_visible_clause(user: User) -> ColumnElement[bool]:
    """SQL condition: the directive is visible (issued in reach, or one of its tasks is)."""
    from sqlalchemy import exists, or_, select

    from tracker.models import Directive, Task

    if is_admin(user):
        return true()
    task_seen = exists(select(Task.id).where(Task.directive_id == Directive.id, task_visible_clause(user)))
    return or_(Directive.issuing_unit_id.in_(reach_unit_ids(user)), task_seen)


def can_view_task(user: User, task) -> bool:
    if is_admin(user):
        return True
    if in_reach(user, task.issuer_unit):
        return True
    if not task.directive.published:
        return False
    return (in_reach(user, task.lead_unit) or task.assignee_id == user.id
            or any(in_reach(user, u) for u in task.cooperating_units))


def can_view_directive(user: User, directive) -> bool:
    if is_admin(user) or in_reach(user, directive.issuing_unit):
        return True
    return any(can_view_task(user, t) for t in directive.tasks)


def can_issue_for(user: User, unit: Unit) -> bool:
    """Leaders issue, and secretaries record, directives of their own unit."""
    return is_admin(user) or (user.role in ("leader", "secretary") and user.unit_id == unit.id)


def can_edit_directive(user: User, directive) -> bool:
    return can_issue_for(user, directive.issuing_unit)


def is_issuer(user: User, task) -> bool:
    """The issuing side of a task: leaders and secretaries of its issuing unit."""
    return is_admin(user) or (user.role in ("leader", "secretary") and user.unit_id == task.issuer_unit_id)


def can_decide(user: User, task, secretaries_decide: bool = False) -> bool:
    """Confirm or return completion, decide extensions, cancel: the issuing unit's leaders."""
    if is_admin(user):
        return True
    roles = ("leader", "secretary") if secretaries_decide else ("leader",)
    return user.role in roles and user.unit_id == task.issuer_unit_id


def is_lead_side(user: User, task) -> bool:
    """Members of the lead unit, the assignee, and leaders between the lead and issuing units."""
    if is_admin(user) or task.assignee_id == user.id or user.unit_id == task.lead_unit_id:
        return True
    return (user.role == "leader" and in_reach(user, task.lead_unit)
            and user.unit_id != task.issuer_unit_id and user.unit.path.startswith(task.issuer_unit.path))


def can_report(user: User, task) -> bool:
    """Post progress, submit completion, ask for an extension: the lead side of an open task."""
    return task.directive.published and is_lead_side(user, task)


def can_contribute(user: User, task) -> bool:
    """Cooperating units post their contribution to the lead unit."""
    return (task.directive.published and not is_lead_side(user, task)
            and any(user.unit.path.startswith(u.path) for u in task.cooperating_units))


def can_assign(user: User, task) -> bool:
    """Choose the assignee: the issuing side, and leaders and secretaries of the lead unit."""
    return is_issuer(user, task) or (user.role in ("leader", "secretary") and user.unit_id == task.lead_unit_id)


def can_split(user: User, task) -> bool:
    """Split off sub-tasks: leaders and secretaries of the lead unit (they become the issuer)."""
    return is_admin(user) or (user.role in ("leader", "secretary") and user.unit_id == task.lead_unit_id)


def can_remind(user: User, task) -> bool:
    """Send a manual reminder: the issuing side, and secretaries monitoring the lead unit."""
    return is_issuer(user, task) or (user.role == "secretary" and in_reach(user, task.lead_unit))
