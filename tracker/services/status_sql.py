"""The status rule of tracker.rules.status, written as SQL for lists and dashboards.

`status_sql(day)` is a CASE giving each task's status on `day`, so the
database counts, filters and pages by status; `tests/services/test_status.py`
checks on random histories that it agrees with `rules.status.status_on`.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import and_, case, exists, literal, or_, select
from sqlalchemy.sql.elements import ColumnElement

from tracker.models import DeadlineChange, Task


def deadline_sql(day: date | None = None) -> ColumnElement:
    """SQL for the deadline in force on `day` (None: today's, i.e. the task's current deadline)."""
    if day is None:
        return Task.deadline
    change = DeadlineChange.__table__.alias("dc")
    latest = (
        select(change.c.new_deadline)
        .where(change.c.task_id == Task.id, change.c.effective_on <= day)
        .order_by(change.c.effective_on.desc(), change.c.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    any_change = exists().where(change.c.task_id == Task.id, change.c.effective_on <= day)
    return case((any_change, latest), else_=Task.original_deadline)


def status_sql(day: date, historical: bool = True) -> ColumnElement[str]:
    """SQL CASE giving the status on `day` (use with tasks that existed on that day).

    With `historical=False` the current deadline column is used, which is
    right (and faster) for today: no extension can be effective after today.
    """
    deadline = deadline_sql(day if historical else None)
    d = literal(day)
    completed = case((Task.completed_on.is_not(None), Task.completed_on), else_=Task.done_on)
    return case(
        (and_(Task.cancelled_on.is_not(None), Task.cancelled_on <= d), literal("cancelled")),
        (and_(Task.done_on.is_not(None), Task.done_on <= d),
         case((or_(deadline.is_(None), completed <= deadline), literal("done_on_time")), else_=literal("done_late"))),
        (or_(deadline.is_(None), d <= deadline), literal("in_progress")),
        else_=literal("overdue"),
    )


def existed_sql(day: date) -> ColumnElement[bool]:
    """SQL condition: the task existed on `day` (it had been assigned by then)."""
    return Task.assigned_on <= day
