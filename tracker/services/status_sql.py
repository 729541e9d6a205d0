"""The status rule of tracker.rules.status, written as SQL for lists and dashboards.

`status_sql(day)` is a CASE giving each task's status on `day`, so the
database counts, filters and pages by status; `tests/services/test_status.py`
checks on random histories that it agrees with `rules.status.status_on`.
"""
from __future__ import annotations

from datetime import date
from functools import lru_cache

from sqlalchemy import and_, case, exists, literal, or_, select
from sqlalchemy.sql.elements import ColumnElement

from tracker.models import OPEN_STATES, CooperatingPart, DeadlineChange, Task

# The days that close a task: a status read from `state` holds for a day only if none is later than it.
CLOSED_ON = (Task.done_on, Task.cancelled_on)


def any_after(day: date, columns) -> ColumnElement[bool]:
    """SQL: some row has a date in one of `columns` after `day` (one index look-up each)."""
    return or_(*(exists().where(column > day) for column in columns))


def open_state_sql(day: date, statuses) -> list[ColumnElement[bool]]:
    """Conditions implied by today's (or a later day's) status being one of `statuses`, all open ones
    (in progress, overdue), that an index answers: the task is not closed, and, overdue only, its
    deadline is before `day`. Redundant beside `status_sql`; exact with `open_status_sql`."""
    conditions = [Task.state.in_(OPEN_STATES)]
    if set(statuses) == {"overdue"}:
        conditions.append(Task.deadline < day)
    return conditions


def open_status_sql(day: date, statuses) -> list[ColumnElement[bool]]:
    """Conditions equal to the status on `day` (today or later) being one of `statuses` (in progress,
    overdue): status_sql's CASE unfolded into plain comparisons of the columns, whose selectivity the
    planner can estimate (not cancelled nor done by the day; overdue: the deadline before it; in
    progress: no deadline or not before it)."""
    conditions = [*open_state_sql(day, statuses), or_(Task.cancelled_on.is_(None), Task.cancelled_on > day),
                  or_(Task.done_on.is_(None), Task.done_on > day)]
    if set(statuses) == {"in_progress"}:
        conditions.append(or_(Task.deadline.is_(None), Task.deadline >= day))
    return conditions


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


@lru_cache(maxsize=16)
def status_sql(day: date, historical: bool = True) -> ColumnElement[str]:
    """SQL CASE giving the status on `day` (use with tasks that existed on that day).

    With `historical=False` the current deadline column is used, which is
    right (and faster) for today: no extension can be effective after today.
    Kept per day (an SQL expression is immutable, so statements share it): a
    list page asks for it twice, and building it cost ~0.3 ms each time.
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


def part_deadline_sql() -> ColumnElement:
    """SQL for a cooperating part's deadline in force today (rules.status.part_deadline): its own, capped."""
    own = CooperatingPart.deadline
    return case((own.is_(None), Task.deadline), (Task.deadline.is_(None), own),
                (own < Task.deadline, own), else_=Task.deadline)


def part_status_sql(day: date) -> ColumnElement[str]:
    """SQL CASE giving a cooperating part's status on `day` (rules.status.part_status_on, today's deadlines).

    Use with parts that existed on that day (`part_existed_sql`), joined to their task.
    """
    deadline = part_deadline_sql()
    d = literal(day)
    done = CooperatingPart.done_on
    return case(
        (and_(Task.cancelled_on.is_not(None), Task.cancelled_on <= d), literal("cancelled")),
        (and_(done.is_not(None), done <= d),
         case((or_(deadline.is_(None), done <= deadline), literal("done_on_time")), else_=literal("done_late"))),
        (or_(deadline.is_(None), d <= deadline), literal("in_progress")),
        else_=literal("overdue"),
    )


def part_existed_sql(day: date) -> ColumnElement[bool]:
    """SQL condition: the cooperating part existed on `day`."""
    return and_(Task.assigned_on <= day, or_(CooperatingPart.added_on.is_(None), CooperatingPart.added_on <= day))
