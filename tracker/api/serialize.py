"""What the API returns for each resource: api.md's field names, units by code, users by username."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from tracker.models import Directive, ExtensionRequest, Notification, ProgressUpdate, Task, Unit
from tracker.rules.status import deadline_on, due_soon_flag, facts_of, status_on
from tracker.urls import external_url, id_url


def iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def unit_json(unit: Unit) -> dict[str, Any]:
    return {"code": unit.code, "name": unit.name, "short_name": unit.short_name,
            "parent": unit.parent.code if unit.parent else None, "kind": unit.kind, "active": unit.active}


def directive_json(directive: Directive) -> dict[str, Any]:
    return {
        "id": directive.id,
        "number": directive.number,
        "kind": directive.kind,
        "title": directive.title,
        "issued_on": iso(directive.issued_on),
        "issuing_unit": directive.issuing_unit.code,
        "signer": directive.signer,
        "text": directive.text,
        "published": directive.published,
        "url": external_url("directives.show", directive_id=directive.id),
    }


def deadline_in_force(task: Task, day: date, today: date) -> date | None:
    """The deadline on `day` (the current one from today on; the history before)."""
    if day >= today:
        return task.deadline
    return deadline_on(facts_of(task), day)


def due_soon(task: Task, status: str | None, day: date, today: date, calendar, rules) -> bool:
    """The `due_soon` flag on `day` (tracker.rules.status.due_soon_flag), with the deadline in force then."""
    return status == "in_progress" and due_soon_flag(status, deadline_in_force(task, day, today), day, calendar, rules)


def task_status(task: Task, day: date) -> str | None:
    return status_on(facts_of(task), day)


def task_url_builder():
    """task id -> its page's external URL: the route map asked once for a list of tasks."""
    return id_url("tasks.show", "task_id", build=external_url)


def task_json(task: Task, status: str | None, flag_due_soon: bool, task_url=None) -> dict[str, Any]:
    return {
        "id": task.id,
        "directive": task.directive_id,
        "parent": task.parent_id,
        "title": task.title,
        "description": task.description,
        "lead_unit": task.lead_unit.code,
        "cooperating_units": [u.code for u in task.cooperating_units],
        "assignee": task.assignee.username if task.assignee else None,
        "deadline": iso(task.deadline),
        "original_deadline": iso(task.original_deadline),
        "ongoing": task.deadline is None,
        "extended": task.extended,
        "priority": task.priority,
        "tags": list(task.tags or []),
        "progress": task.progress,
        "state": task.state,
        "status": status,
        "due_soon": flag_due_soon,
        "completed_on": iso(task.completed_on),
        "version": task.version,
        "url": task_url(task.id) if task_url else external_url("tasks.show", task_id=task.id),
    }


def update_json(update: ProgressUpdate) -> dict[str, Any]:
    return {
        "id": update.id,
        "task": update.task_id,
        "progress": update.progress,
        "note": update.results,
        "difficulties": update.difficulties,
        "proposals": update.proposals,
        "report_number": update.report_number,
        "contribution": update.contribution,
        "author": update.author.username if update.author else None,
        "unit": update.unit.code,
        "reported_on": iso(update.reported_on),
        "created_at": iso(update.created_at),
        "response": update.response,
    }


def extension_json(ext: ExtensionRequest) -> dict[str, Any]:
    return {
        "id": ext.id,
        "task": ext.task_id,
        "deadline": iso(ext.new_deadline),
        "old_deadline": iso(ext.old_deadline),
        "reason": ext.reason,
        "state": ext.state,
        "requested_by": ext.requested_by.username if ext.requested_by else None,
        "requested_at": iso(ext.requested_at),
        "decided_by": ext.decided_by.username if ext.decided_by else None,
        "decision_note": ext.decision_note,
    }


def notification_json(note: Notification) -> dict[str, Any]:
    return {
        "id": note.id,
        "kind": note.kind,
        "task": note.task_id,
        "title": note.title,
        "created_at": iso(note.created_at),
        "read": note.read_at is not None,
    }
