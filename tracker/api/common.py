"""Helpers the API views share: loading what a request names (404 outside reach), paging, responses."""
from __future__ import annotations

from datetime import date
from typing import Any

from flask import abort
from sqlalchemy import Select, func, select

from tracker import views_util
from tracker.api.auth import current_api_user
from tracker.api.errors import json_response
from tracker.api.inputs import MAX_ID, paging, query_date
from tracker.api.serialize import due_soon, task_json, task_status
from tracker.database import db
from tracker.models import Directive, ExtensionRequest, Task, load_calendar
from tracker.rules import reach
from tracker.services.planner import current_rules
from tracker.timeutil import today


def load_task(task_id: int, for_update: bool = False) -> Task:
    """The task if the token's user may see it; 404 otherwise (the pages' loader)."""
    return views_util.load_task(task_id, for_update, user=current_api_user())


def load_directive(directive_id: int) -> Directive:
    return views_util.load_directive(directive_id, user=current_api_user())


def load_extension(extension_id: int) -> ExtensionRequest:
    if extension_id > MAX_ID:
        abort(404)
    ext = db.session.get(ExtensionRequest, extension_id)
    if ext is None or not reach.can_view_task(current_api_user(), ext.task):
        abort(404)
    return ext


def as_of_day() -> tuple[date, date]:
    """(the day status is reported for, today): `?as_of=` or today."""
    day = today()
    return query_date("as_of") or day, day


def count_of(stmt: Select) -> int:
    """How many rows `stmt` gives, counted in the database."""
    return db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0


def page_of(stmt: Select, page: int, per_page: int) -> tuple[list[Any], int]:
    """Run `stmt` for one page; return (rows, total). `stmt` must have a stable order."""
    total = count_of(stmt)
    rows = db.session.execute(stmt.limit(per_page).offset((page - 1) * per_page)).all()
    return rows, total


def page_json(items: list[Any], total: int, page: int, per_page: int) -> dict[str, Any]:
    return {"items": items, "total": total, "page": page, "per_page": per_page}


def paged(stmt: Select, to_json) -> dict[str, Any]:
    """A page of single-entity rows as the contract's list shape."""
    page, per_page = paging()
    rows, total = page_of(stmt, page, per_page)
    return page_json([to_json(row[0]) for row in rows], total, page, per_page)


def one_task_json(task: Task, day: date, now: date) -> dict[str, Any]:
    status = task_status(task, day)
    return task_json(task, status, due_soon(task, status, day, now, load_calendar(), current_rules()))


def task_response(task: Task, status_code: int = 200, day: date | None = None, now: date | None = None):
    """The task as JSON (status as of `?as_of=`), with its version as the ETag."""
    if day is None:
        day, now = as_of_day()
    body = one_task_json(task, day, now)
    return json_response(body, status_code, {"ETag": f'"{task.version}"'})


def created(body: dict[str, Any], location: str):
    return json_response(body, 201, {"Location": location})
