"""Periodic tasks: their occurrences created ahead of time, reported done, their status on a day.

A recurring task is itself ongoing (no deadline of its own); each period is
a `TaskOccurrence` row with its deadline (tracker.rules.recurrence).
Occurrences exist up to today + the first reminder window: every period
that has begun by then, so the current period and the next due soon are
always there. `materialise` creates the missing rows when the task is
created and when the reminder planner runs each day (`materialise_all`).

In the figures each occurrence due by a day counts as one unit of work
(`occurrence_counts`): done on time, done late or overdue by the same rules
as tasks (tracker.rules.status). Services never commit; callers do.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import exists, select
from sqlalchemy.orm import selectinload

from tracker.database import db
from tracker.lazytext import _l
from tracker.models import Directive, ReminderSettings, Task, TaskOccurrence, User, load_calendar
from tracker.rules import reach
from tracker.rules.recurrence import Recurrence, periods
from tracker.rules.status import JUDGED_STATUSES, TaskFacts, due_soon_until, rates, status_on
from tracker.services import audit, reach_sql
from tracker.services.errors import Conflict, Forbidden, Invalid


def recurrence_of(task: Task) -> Recurrence | None:
    if task.recur_every is None:
        return None
    return Recurrence(task.recur_every, task.recur_day, task.recur_until)


def horizon(today: date) -> date:
    """The last day whose periods exist already: today + the first reminder window (working days)."""
    settings = db.session.get(ReminderSettings, 1) or ReminderSettings.defaults()
    return max(today, due_soon_until(today, load_calendar(), settings.rules()))


def materialise(task: Task, through: date) -> list[TaskOccurrence]:
    """Create the task's missing occurrences for the periods begun by `through`; return the new ones."""
    rec = recurrence_of(task)
    if rec is None or task.is_closed:
        return []
    have = {o.period for o in task.occurrences}
    new = []
    for period in periods(rec, task.assigned_on, through):
        if period.label in have:
            continue
        occ = TaskOccurrence(task=task, period=period.label, starts_on=period.start, deadline=period.deadline,
                             original_deadline=period.deadline, state="open", note="")
        db.session.add(occ)
        new.append(occ)
    if new:
        task.occurrences.sort(key=lambda o: o.starts_on)
        db.session.flush()
    return new


def materialise_all(today: date) -> int:
    """Create the missing occurrences of every open periodic task of a published directive; return how many."""
    through = horizon(today)
    published = exists().where(Directive.id == Task.directive_id, Directive.published_at.is_not(None))
    tasks = db.session.scalars(select(Task).where(Task.recur_every.is_not(None), Task.state == "open", published)
                               .order_by(Task.id)).all()
    return sum(len(materialise(task, through)) for task in tasks)


def facts(occ: TaskOccurrence, task: Task) -> TaskFacts:
    """An occurrence's facts for tracker.rules.status: it exists as long as its task."""
    changes = ((occ.extended_on, occ.deadline),) if occ.extended_on is not None else ()
    return TaskFacts(assigned_on=task.assigned_on, original_deadline=occ.original_deadline,
                     deadline_changes=changes, completed_on=occ.completed_on, done_on=occ.done_on,
                     cancelled_on=occ.cancelled_on if occ.cancelled_on is not None else task.cancelled_on)


def status(occ: TaskOccurrence, day: date) -> str | None:
    return status_on(facts(occ, occ.task), day)


def find(task: Task, period: str | None) -> TaskOccurrence:
    """The occurrence named by `period`, else the current one (the earliest still open)."""
    if period:
        occ = next((o for o in task.occurrences if o.period == period), None)
        if occ is None:
            raise Invalid(_l("Please correct the errors below."), {"period": _l("No such period: %(period)s",
                                                                                period=period[:20])})
        return occ
    occ = task.current_occurrence
    if occ is None:
        raise Conflict(_l("No period of this task is waiting for a report."))
    return occ


def report_done(actor: User, task: Task, period: str | None, note: str, today: date,
                completed_on: date | None = None) -> TaskOccurrence:
    """The lead unit reports one period's work done (its periodic report sent): that occurrence is done.

    `completed_on` (the report's date) defaults to today and cannot be in the future.
    """
    if not reach.can_report(actor, task):
        raise Forbidden(_l("Only the lead unit can report completion."))
    if not task.recurring or task.state != "open":
        raise Conflict(_l("Only an open periodic task has periods to report."))
    occ = find(task, period)
    if occ.state != "open":
        raise Conflict(_l("This period was already reported."))
    if not note.strip():
        raise Invalid(_l("Please correct the errors below."), {"note": _l("Describe the results.")})
    if completed_on is not None and completed_on > today:
        raise Invalid(_l("Please correct the errors below."), {"completed_on": _l("The date cannot be in the future.")})
    occ.state = "done"
    occ.completed_on = completed_on or today
    occ.done_on = today
    occ.note = note.strip()
    occ.reported_by_id = actor.id
    audit.record("task.occurrence_done", actor=actor, obj=task, summary=f"{occ.period}: {task.title}"[:200],
                 changes={"period": occ.period, "deadline": occ.deadline, "completed_on": occ.completed_on})
    return occ


def periodic_figures(user: User, day: date) -> dict | None:
    """The periods of the periodic tasks in `user`'s reach due by `day`, each one unit of work.

    {"counts": {status: n}, "judged": n, "on_time_rate": r}; None when there is none. The
    dashboard shows it beside the task figures (where a periodic task counts once, as ongoing).
    """
    published = exists().where(Directive.id == Task.directive_id, Directive.published_at.is_not(None))
    tasks = db.session.scalars(select(Task).where(Task.recur_every.is_not(None), published,
                                                  reach_sql.task_visible_clause(user))
                               .options(selectinload(Task.occurrences))).all()
    counts = occurrence_counts(list(tasks), day)
    if not counts:
        return None
    return {"counts": counts, "judged": sum(counts.get(s, 0) for s in JUDGED_STATUSES),
            "on_time_rate": rates(counts)["on_time_rate"]}


def occurrence_counts(tasks: list[Task], day: date) -> dict[str, int]:
    """Status counts of the occurrences of `tasks` due by `day` (or done by then): each one unit of work."""
    counts: dict[str, int] = {}
    for task in tasks:
        for occ in task.occurrences:
            if occ.deadline > day and not (occ.done_on is not None and occ.done_on <= day):
                continue
            value = status(occ, day)
            if value is not None:
                counts[value] = counts.get(value, 0) + 1
    return counts
