"""What the API returns for each resource, built through its declaration (tracker.schemas).

A declaration's fields are read from the object of the same names; only the
fields that differ from the row (units by code, users by username, the
status of the day, links) are given here. The answer is validated against
the declaration and written as JSON in readable UTF-8.
"""
from __future__ import annotations

from datetime import date
from typing import Any

from flask import current_app
from pydantic import BaseModel

from tracker.models import CooperatingPart, Directive, ExtensionRequest, Notification, ProgressUpdate, Task, Unit
from tracker.rules.status import (
    TaskFacts,
    deadline_on,
    due_soon_flag,
    facts_of,
    may_be_due_soon,
    part_deadline,
    part_facts_of,
    part_status_on,
    status_on,
)
from tracker.schemas import (
    CooperatingPartOut,
    DirectiveOut,
    ExtensionOut,
    NotificationOut,
    OccurrenceOut,
    TaskOut,
    TaskRecurrenceOut,
    UnitOut,
    UpdateOut,
)
from tracker.services import recurrence
from tracker.timeutil import today as today_
from tracker.urls import external_url, id_url
from tracker.views_util import due_soon_rules


def fields_of(model: type[BaseModel], obj, **given: Any) -> dict[str, Any]:
    """The declaration's fields: `given` ones as given, the others read from `obj` by name."""
    return {name: given[name] if name in given else getattr(obj, name) for name in model.model_fields}


def respond(model: type[BaseModel], data: dict[str, Any], status: int = 200, headers: dict[str, str] | None = None):
    """The answer `data`, checked against its declaration `model`, as JSON."""
    response = current_app.response_class(model.model_validate(data).model_dump_json(), status=status,
                                          mimetype="application/json")
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def unit_json(unit: Unit) -> dict[str, Any]:
    return fields_of(UnitOut, unit, parent=unit.parent.code if unit.parent else None,
                     successors=[s.code for s in unit.successors])


def directive_json(directive: Directive) -> dict[str, Any]:
    tracker = directive.tracker or directive.created_by
    return fields_of(DirectiveOut, directive, issuing_unit=directive.issuing_unit.code,
                     on_behalf_of=directive.on_behalf_of.username if directive.on_behalf_of else None,
                     tracker=tracker.username if tracker else None,
                     url=external_url("directives.show", directive_id=directive.id))


def deadline_in_force(task: Task, day: date, today: date) -> date | None:
    """The deadline on `day` (the current one from today on; the history before)."""
    if day >= today:
        return task.deadline
    return deadline_on(facts_of(task), day)


def due_soon(task: Task, status: str | None, day: date, today: date) -> bool:
    """The `due_soon` flag on `day` (tracker.rules.status.due_soon_flag), with the deadline in force then: the
    deadline's history is read only for a task in progress, and the calendar and the reminder rules (kept
    per worker, views_util.due_soon_rules) only for a task that may be due soon."""
    if status != "in_progress":
        return False
    deadline = deadline_in_force(task, day, today)
    return may_be_due_soon(status, deadline) and due_soon_flag(status, deadline, day, *due_soon_rules())


def facts_on(task: Task, day: date, today: date) -> TaskFacts:
    """The task's facts for its status on `day`: from today on the deadline in force is the current one, so its
    history is read only for a past day (as the lists' SQL status does, tracker.services.status_sql)."""
    if day >= today:
        return TaskFacts(assigned_on=task.assigned_on, original_deadline=task.deadline, completed_on=task.completed_on,
                         done_on=task.done_on, cancelled_on=task.cancelled_on)
    return facts_of(task)


def task_status(task: Task, day: date, today: date) -> str | None:
    return status_on(facts_on(task, day, today), day)


def task_url_builder():
    """task id -> its page's external URL: the route map asked once for a list of tasks."""
    return id_url("tasks.show", "task_id", build=external_url)


def part_json(part: CooperatingPart, facts: TaskFacts, day: date) -> dict[str, Any]:
    return fields_of(CooperatingPartOut, part, unit=part.unit.code,
                     deadline=part_deadline(part.deadline, deadline_on(facts, day)),
                     status=part_status_on(facts, part_facts_of(part), day),
                     assignee=part.assignee.username if part.assignee else None)


def parts_json(task: Task, day: date | None) -> list[dict[str, Any]]:
    """The task's cooperating parts on `day` (today by default)."""
    parts = task.parts_in_order
    if not parts:
        return []
    now = today_()
    day = day or now
    facts = facts_on(task, day, now)
    return [part_json(part, facts, day) for part in parts]


def task_json(task: Task, status: str | None, flag_due_soon: bool, task_url=None,
              day: date | None = None) -> dict[str, Any]:
    return fields_of(
        TaskOut, task, directive=task.directive_id, parent=task.parent_id, lead_unit=task.lead_unit.code,
        cooperating_units=[u.code for u in task.cooperating_units], cooperating_parts=parts_json(task, day),
        assignee=task.assignee.username if task.assignee else None, ongoing=task.deadline is None,
        tags=list(task.tags or []), status=status, due_soon=flag_due_soon,
        url=task_url(task.id) if task_url else external_url("tasks.show", task_id=task.id))


def task_detail_json(task: Task, status: str | None, flag_due_soon: bool, day: date) -> dict[str, Any]:
    """One task with its recurrence and its periods' statuses on `day` (GET /tasks/{id})."""
    rec = None
    if task.recurring:
        rec = fields_of(TaskRecurrenceOut, task, every=task.recur_every, day=task.recur_day, until=task.recur_until)
    occurrences = [fields_of(OccurrenceOut, occ, status=recurrence.status(occ, day))
                   for occ in (task.occurrences if task.recurring else ())]
    return {**task_json(task, status, flag_due_soon, day=day), "recurrence": rec, "occurrences": occurrences}


def update_json(update: ProgressUpdate) -> dict[str, Any]:
    return fields_of(UpdateOut, update, task=update.task_id, note=update.results,
                     author=update.author.username if update.author else None, unit=update.unit.code)


def extension_json(ext: ExtensionRequest) -> dict[str, Any]:
    return fields_of(ExtensionOut, ext, task=ext.task_id, deadline=ext.new_deadline,
                     requested_by=ext.requested_by.username if ext.requested_by else None,
                     decided_by=ext.decided_by.username if ext.decided_by else None)


def notification_json(note: Notification) -> dict[str, Any]:
    directive = note.directive_id or (note.task.directive_id if note.task_id else None)
    return fields_of(NotificationOut, note, task=note.task_id, directive=directive, read=note.read_at is not None)
