"""Helpers the API views share: loading what a request names (404 outside reach), paging, answers."""
from __future__ import annotations

from datetime import date
from typing import Any

from flask import abort, url_for
from pydantic import BaseModel
from sqlalchemy import Select, func, select

from tracker import views_util
from tracker.api.auth import current_api_user
from tracker.api.inputs import paging
from tracker.api.serialize import due_soon, respond, task_detail_json, task_status
from tracker.database import db
from tracker.models import Directive, ExtensionRequest, Task
from tracker.rules import reach
from tracker.schemas import MAX_ID, AsOf, Paging, TaskDetailOut
from tracker.timeutil import today


def load_task(task_id: int, for_update: bool = False, options=()) -> Task:
    """The task if the token's user may see it; 404 otherwise (the pages' loader; `options` as there)."""
    return views_util.load_task(task_id, for_update, user=current_api_user(), options=options)


def load_directive(directive_id: int) -> Directive:
    return views_util.load_directive(directive_id, user=current_api_user())


def load_extension(extension_id: int) -> ExtensionRequest:
    if extension_id > MAX_ID:
        abort(404)
    ext = db.session.get(ExtensionRequest, extension_id)
    if ext is None or not reach.can_view_task(current_api_user(), ext.task):
        abort(404)
    return ext


def as_of_day(params: AsOf) -> tuple[date, date]:
    """(the day status is reported for, today): `?as_of=` or today."""
    day = today()
    return params.as_of or day, day


def count_of(stmt: Select) -> int:
    """How many rows `stmt` gives, counted in the database."""
    return db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0


def page_json(items: list[Any], total: int, page: int, per_page: int) -> dict[str, Any]:
    return {"items": items, "total": total, "page": page, "per_page": per_page}


def paged(stmt: Select, to_json, params: Paging) -> dict[str, Any]:
    """A page of single-entity rows (`stmt` in a stable order) as the contract's list shape."""
    page, per_page = paging(params)
    total = count_of(stmt)
    rows = db.session.execute(stmt.limit(per_page).offset((page - 1) * per_page)).all()
    return page_json([to_json(row[0]) for row in rows], total, page, per_page)


def task_response(task: Task, day: date, now: date, status_code: int = 200, headers: dict | None = None):
    """The task (a Task, or its plain rows: queries.TaskRecord) as JSON (status as of `day`), with its version
    as the ETag."""
    status = task_status(task, day, now)
    body = task_detail_json(task, status, due_soon(task, status, day, now), day)
    return respond(TaskDetailOut, body, status_code, {"ETag": f'"{task.version}"', **(headers or {})})


def created(model: type[BaseModel], body: dict[str, Any], endpoint: str, **values):
    return respond(model, body, 201, {"Location": url_for(endpoint, **values)})
