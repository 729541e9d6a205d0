"""A task's status on a date: the table of domain.md, in one place.

`status_on` answers for one task from its dated facts. Its twin in SQL,
`tracker.services.status_sql.status_sql`, builds the same rule as an
expression so lists and dashboards can count and filter in the database;
tests check that both agree on random histories. Pure: no Flask, no
database session, no clock (the caller passes the day).

The `due_soon` flag beside the status is here too, the one rule that
pages, API, dashboards and reminders use: not done, and the deadline within
the first reminder window (the admin's rules; 7 working days by default).

Status on day D, with the deadline in force on D (after the extensions
approved by D):
- the task did not exist yet (assigned after D): no status (None). A task
  exists from the day it was assigned (`assigned_on`): its directive's issue
  date, or the day it was added if after publication, however late the
  notice was recorded;
- cancelled on or before D: ``cancelled``;
- confirmed done on or before D: ``done_on_time`` if there is no deadline
  or the confirmed report's date ``completed_on`` <= deadline, else
  ``done_late``;
- otherwise ``in_progress`` if there is no deadline or D <= deadline, else
  ``overdue`` (late from the day after the deadline).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from tracker.rules.calendar import WorkCalendar
from tracker.rules.reminders import DEFAULT_RULES, ReminderRules

# The statuses in the order every page, chart, export and report lists them.
STATUSES = ("done_on_time", "done_late", "in_progress", "overdue", "cancelled")
DONE_STATUSES = ("done_on_time", "done_late")
OPEN_STATUSES = ("in_progress", "overdue")  # not yet done nor cancelled
JUDGED_STATUSES = ("done_on_time", "done_late", "overdue")  # the on-time rate's denominator


@dataclass(frozen=True)
class TaskFacts:
    """What is needed to know a task's status on any day."""

    assigned_on: date
    original_deadline: date | None
    # (effective_on, new_deadline) in the order they were made.
    deadline_changes: Sequence[tuple[date, date | None]] = field(default_factory=tuple)
    completed_on: date | None = None
    done_on: date | None = None
    cancelled_on: date | None = None


def assignment_day(issued_on: date, added_after_publication: bool, added_on: date) -> date:
    """The day a task counts from: its directive's issue date, or the day it was added after publication.

    Never later than the day it was recorded (`added_on`): a notice recorded before its date counts
    from the day it was recorded, so a task has a status on every day it is listed.
    """
    return added_on if added_after_publication else min(issued_on, added_on)


def deadline_on(facts: TaskFacts, day: date) -> date | None:
    """Return the deadline in force on `day`: the last change effective by then, else the original."""
    deadline = facts.original_deadline
    for effective_on, new_deadline in facts.deadline_changes:
        if effective_on <= day:
            deadline = new_deadline
    return deadline


def status_on(facts: TaskFacts, day: date) -> str | None:
    """Return the status of the task on `day` (None if it did not exist yet)."""
    if facts.assigned_on > day:
        return None
    if facts.cancelled_on is not None and facts.cancelled_on <= day:
        return "cancelled"
    deadline = deadline_on(facts, day)
    if facts.done_on is not None and facts.done_on <= day:
        if deadline is None or (facts.completed_on or facts.done_on) <= deadline:
            return "done_on_time"
        return "done_late"
    if deadline is None or day <= deadline:
        return "in_progress"
    return "overdue"


def facts_of(task) -> TaskFacts:
    """Read the facts from a Task row (with its deadline changes loaded)."""
    return TaskFacts(
        assigned_on=task.assigned_on,
        original_deadline=task.original_deadline,
        deadline_changes=tuple((c.effective_on, c.new_deadline) for c in task.deadline_changes),
        completed_on=task.completed_on,
        done_on=task.done_on,
        cancelled_on=task.cancelled_on,
    )


@dataclass(frozen=True)
class PartFacts:
    """What is needed to know a cooperating part's status: its own dates, beside its task's facts."""

    added_on: date | None = None  # the day it was added after publication; None: with the task
    deadline: date | None = None  # its own deadline; None: the task's
    done_on: date | None = None  # the day the cooperating unit marked its part done


def deadline_extended(original_deadline: date | None, deadline: date | None) -> bool:
    """True if the deadline in force is no longer the one given at publication (`Task.extended`)."""
    return original_deadline != deadline and original_deadline is not None


def part_deadline(own: date | None, task_deadline: date | None) -> date | None:
    """The deadline in force of a cooperating part: its own, never later than the task's."""
    if own is None or task_deadline is None:
        return own if task_deadline is None else task_deadline
    return min(own, task_deadline)


def part_status_on(task: TaskFacts, part: PartFacts, day: date) -> str | None:
    """Return a cooperating part's status on `day`, by the task rules against the part's own dates.

    The part exists from the later of the day the task was assigned and the
    day the part was added after publication; it is cancelled with its task; it is done (on time or late) from
    the day the unit marked it done, else in progress or overdue against its
    own deadline in force (capped by the task's deadline on `day`).
    """
    started = max(task.assigned_on, part.added_on) if part.added_on else task.assigned_on
    return status_on(TaskFacts(
        assigned_on=started, original_deadline=part_deadline(part.deadline, deadline_on(task, day)),
        completed_on=part.done_on, done_on=part.done_on, cancelled_on=task.cancelled_on), day)


def part_facts_of(part) -> PartFacts:
    """Read the facts from a CooperatingPart row."""
    return PartFacts(added_on=part.added_on, deadline=part.deadline, done_on=part.done_on)


def rates(counts: dict[str, int]) -> dict[str, float | None]:
    """Completion and on-time rates from status counts (None when the denominator is 0)."""
    done = counts.get("done_on_time", 0) + counts.get("done_late", 0)
    active = sum(counts.get(s, 0) for s in STATUSES) - counts.get("cancelled", 0)
    judged = sum(counts.get(s, 0) for s in JUDGED_STATUSES)
    return {
        "completion_rate": done / active if active else None,
        "on_time_rate": counts.get("done_on_time", 0) / judged if judged else None,
    }


def due_soon_until(day: date, cal: WorkCalendar, rules: ReminderRules = DEFAULT_RULES) -> date:
    """The last deadline that is due soon on `day`: the day before the (window + 1)th working day after it.

    A deadline is due soon on `day` when `day <= deadline <= due_soon_until(day)`: at most
    `rules.due_soon_days` working days are left in (day, deadline], from the day the first
    reminder fires through the deadline itself; it holds on days off too. Lists and
    dashboards compare deadlines with this date in SQL.
    """
    return cal.add_working_days(day, rules.due_soon_days + 1) - timedelta(days=1)


def is_due_soon(deadline: date | None, day: date, cal: WorkCalendar, rules: ReminderRules = DEFAULT_RULES) -> bool:
    """True if a task not done with `deadline` in force is due soon on `day` (see `due_soon_until`)."""
    return deadline is not None and day <= deadline <= due_soon_until(day, cal, rules)


def may_be_due_soon(status: str | None, deadline: date | None) -> bool:
    """True if a task of `status` with `deadline` in force may be due soon (the calendar and the reminder
    rules tell): only a task in progress with a deadline."""
    return status == "in_progress" and deadline is not None


def due_soon_flag(status: str | None, deadline: date | None, day: date, cal: WorkCalendar,
                  rules: ReminderRules = DEFAULT_RULES) -> bool:
    """The `due_soon` flag shown beside `status` on `day`: only a task in progress is due soon."""
    return may_be_due_soon(status, deadline) and is_due_soon(deadline, day, cal, rules)
