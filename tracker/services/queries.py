"""Task queries shared by the lists, the API, the exports and the dashboards.

`TaskFilters` is what a user can narrow a list by; `task_select` turns it
into one SELECT over the tasks visible to the user, with the status on the
chosen day as a column, so counting and paging happen in the database.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Select, case, exists, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from tracker.models import Task, Unit, User, task_cooperation
from tracker.services import reach
from tracker.services.status import STATUSES, existed_sql, status_sql
from tracker.text import fold, like_pattern

SORTS = {  # "priority" sorts by priority_order()
    "deadline": (Task.deadline.is_(None), Task.deadline, Task.id),
    "-deadline": (Task.deadline.is_(None), Task.deadline.desc(), Task.id.desc()),
    "updated": (Task.updated_at.desc(), Task.id.desc()),
    "title": (Task.search_text, Task.id),
    "directive": (Task.directive_id, Task.position, Task.id),
}


@dataclass
class TaskFilters:
    view: str = "all"  # mine, unit, all
    status: list[str] = field(default_factory=list)
    unit: Unit | None = None  # lead or cooperating, with sub-units
    lead_unit: Unit | None = None
    assignee: User | None = None
    directive_id: int | None = None
    due_after: date | None = None
    due_before: date | None = None
    priority: str = ""
    q: str = ""
    tag: str = ""
    attention: bool = False
    due_soon_until: date | None = None  # deadline on or before this date, not closed
    as_of: date | None = None
    top_level: bool = False
    sort: str = "deadline"


def _in_subtree(column, unit: Unit):
    return column.in_(select(Unit.id).where(Unit.path.startswith(unit.path, autoescape=True)))


def priority_order():
    """Urgent first, then high, then normal."""
    return case((Task.priority == "urgent", 0), (Task.priority == "high", 1), else_=2)


def base_select(user: User, filters: TaskFilters, today: date):
    """Return (select of Task ids-and-status, status column, day) without ordering or paging."""
    day = filters.as_of or today
    historical = filters.as_of is not None and filters.as_of < today
    status = status_sql(day, historical=historical).label("status")
    stmt = select(Task, status).where(reach.task_visible_clause(user))
    if historical:
        stmt = stmt.where(existed_sql(day))
    if filters.view == "mine":
        stmt = stmt.where(Task.assignee_id == user.id)
    elif filters.view == "unit":
        stmt = stmt.where(_unit_clause(user.unit))
    if filters.unit is not None:
        stmt = stmt.where(_unit_clause(filters.unit))
    if filters.lead_unit is not None:
        stmt = stmt.where(_in_subtree(Task.lead_unit_id, filters.lead_unit))
    if filters.assignee is not None:
        stmt = stmt.where(Task.assignee_id == filters.assignee.id)
    if filters.directive_id:
        stmt = stmt.where(Task.directive_id == filters.directive_id)
    if filters.due_after:
        stmt = stmt.where(Task.deadline >= filters.due_after)
    if filters.due_before:
        stmt = stmt.where(Task.deadline <= filters.due_before)
    if filters.priority:
        stmt = stmt.where(Task.priority == filters.priority)
    if filters.q.strip():
        stmt = stmt.where(Task.search_text.like(like_pattern(filters.q), escape="\\"))
    if filters.tag.strip():
        stmt = stmt.where(Task.tag_text.like(like_pattern("|" + fold(filters.tag) + "|"), escape="\\"))
    if filters.attention:
        stmt = stmt.where(Task.needs_attention.is_(True), Task.state.in_(("open", "submitted")))
    if filters.due_soon_until is not None:
        stmt = stmt.where(Task.state.in_(("open", "submitted")), Task.deadline >= day,
                          Task.deadline <= filters.due_soon_until)
    if filters.top_level:
        stmt = stmt.where(Task.parent_id.is_(None))
    return stmt, status


def _unit_clause(unit: Unit):
    ids = select(Unit.id).where(Unit.path.startswith(unit.path, autoescape=True))
    coop = exists(select(task_cooperation.c.task_id).where(task_cooperation.c.task_id == Task.id,
                                                           task_cooperation.c.unit_id.in_(ids)))
    return or_(Task.lead_unit_id.in_(ids), coop)


def task_select(user: User, filters: TaskFilters, today: date) -> Select:
    """The filtered, sorted list of (Task, status) rows, with what a row shows loaded eagerly."""
    stmt, status = base_select(user, filters, today)
    if filters.status:
        stmt = stmt.where(status.in_([s for s in filters.status if s in STATUSES]))
    if filters.sort == "priority":
        order = (priority_order(), Task.deadline.is_(None), Task.deadline, Task.id)
    else:
        order = SORTS.get(filters.sort, SORTS["deadline"])
    return stmt.order_by(*order).options(
        joinedload(Task.lead_unit), joinedload(Task.assignee), joinedload(Task.directive),
        selectinload(Task.cooperating_units))


def status_counts(session, user: User, filters: TaskFilters, today: date) -> dict[str, int]:
    """Count the filtered tasks by status (the status filter itself is ignored), in SQL."""
    stmt, status = base_select(user, filters, today)
    sub = stmt.with_only_columns(status).subquery()
    rows = session.execute(select(sub.c.status, func.count()).group_by(sub.c.status)).all()
    counts = {s: 0 for s in STATUSES}
    counts.update({s: n for s, n in rows})
    return counts
