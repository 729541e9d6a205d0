"""/tasks and /extensions: the list, one task, its edits and every workflow action.

Each view follows the same order: read and check the body (400, 413, 422),
load what it names (404 outside reach), act through tracker.services.workflow
(403, 409, 422 with the pages' messages), commit once, answer.
"""
from __future__ import annotations

from flask import current_app, request
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from tracker.api import bp
from tracker.api.auth import current_api_user
from tracker.api.common import as_of_day, count_of, load_extension, load_task, page_json, paged, task_response
from tracker.api.errors import json_response
from tracker.api.inputs import (
    Field,
    expected_version,
    find_user,
    invalid,
    paging,
    parse_body,
    query_date,
    query_int,
    query_text,
    query_unit,
    read_json,
    unit_or_error,
)
from tracker.api.serialize import due_soon, extension_json, task_json, task_url_builder, update_json
from tracker.database import db
from tracker.models import ProgressUpdate, Task, Unit, load_calendar
from tracker.rules import reach
from tracker.rules.status import STATUSES
from tracker.services import workflow
from tracker.services.errors import Forbidden, Invalid
from tracker.services.planner import current_rules
from tracker.services.queries import TaskFilters, gathers, task_select
from tracker.text import fold
from tracker.timeutil import today

TITLE_MAX = 1000
TEXT_MAX = 100_000
TAG_TEXT_MAX = 500  # Task.tag_text

TASK_FIELDS = {
    "title": Field("string", max_length=TITLE_MAX),
    "description": Field("string", max_length=TEXT_MAX),
    "lead_unit": Field("string", max_length=40),
    "cooperating_units": Field("string_list", max_length=40),
    "assignee": Field("string", nullable=True, max_length=80),
    "deadline": Field("date", nullable=True),
    "priority": Field("string", max_length=10),
    "tags": Field("string_list", max_length=100, max_items=20),
}
NEW_TASK = {**TASK_FIELDS, "title": Field("string", required=True, max_length=TITLE_MAX),
            "lead_unit": Field("string", required=True, max_length=40),
            "deadline": Field("date", required=True, nullable=True),
            "parent": Field("integer", nullable=True)}
PATCH_TASK = {**TASK_FIELDS, "version": Field("integer"), "reason": Field("string", max_length=TEXT_MAX)}
UPDATE = {"progress": Field("integer", nullable=True), "note": Field("string", max_length=TEXT_MAX),
          "difficulties": Field("string", max_length=TEXT_MAX), "proposals": Field("string", max_length=TEXT_MAX),
          "report_number": Field("string", max_length=80)}
NOTE = {"note": Field("string", max_length=TEXT_MAX)}
REASON = {"reason": Field("string", required=True, max_length=TEXT_MAX)}
EXTENSION = {"deadline": Field("date", required=True), "reason": Field("string", required=True, max_length=TEXT_MAX)}


# --- reading ----------------------------------------------------------------------------------

def list_filters() -> TaskFilters:
    """The filters of GET /tasks, every one checked (422 naming the parameter)."""
    statuses = [s for value in request.args.getlist("status") for s in value.split(",") if s]
    bad = [s for s in statuses if s not in STATUSES]
    if bad:
        raise invalid({"status": _("Unknown status: %(values)s (one of %(all)s)", values=", ".join(bad)[:200],
                                   all=", ".join(STATUSES))})
    assignee = None
    username = query_text("assignee", 80)
    if username:
        assignee = find_user(username)
        if assignee is None:
            raise invalid({"assignee": _("Unknown user: %(name)s", name=username)})
    return TaskFilters(view="all", status=statuses, unit=query_unit("unit"), lead_unit=query_unit("lead_unit"),
                       assignee=assignee, directive_id=query_int("directive"),
                       due_before=query_date("due_before"), due_after=query_date("due_after"),
                       q=query_text("q"), as_of=query_date("as_of"), sort="deadline")


def task_rows_json(rows, day, now) -> list[dict]:
    calendar, rules, task_url = load_calendar(), current_rules(), task_url_builder()
    return [task_json(task, status, due_soon(task, status, day, now, calendar, rules), task_url)
            for task, status in rows]


def task_list_select(filters: TaskFilters, now, expected: int | None = None):
    stmt = task_select(current_api_user(), filters, now, expected)
    if filters.as_of is not None and filters.as_of < now:
        stmt = stmt.options(selectinload(Task.deadline_changes))  # the deadline in force on that day
    return stmt


@bp.route("/tasks")
def list_tasks():
    filters = list_filters()
    page, per_page = paging()
    now = today()
    stmt = task_list_select(filters, now)
    total = count_of(stmt)
    if gathers(current_api_user(), filters, now, total):  # a few matches: gathered and sorted (queries._ordered)
        stmt = task_list_select(filters, now, expected=total)
    rows = db.session.execute(stmt.limit(per_page).offset((page - 1) * per_page)).all()
    return json_response(page_json(task_rows_json(rows, filters.as_of or now, now), total, page, per_page))


@bp.route("/tasks/<int:task_id>")
def get_task(task_id: int):
    day, now = as_of_day()
    return task_response(load_task(task_id), day=day, now=now)


@bp.route("/tasks/<int:task_id>/updates")
def list_updates(task_id: int):
    task = load_task(task_id)
    stmt = (db.select(ProgressUpdate).where(ProgressUpdate.task_id == task.id)
            .order_by(ProgressUpdate.created_at.desc(), ProgressUpdate.id.desc())
            .options(selectinload(ProgressUpdate.author), selectinload(ProgressUpdate.unit)))
    return json_response(paged(stmt, update_json))


# --- editing ----------------------------------------------------------------------------------

def _tags(values: list[str], errors: dict[str, str]) -> list[str]:
    tags = [t.strip() for t in values if t.strip()]
    if len("|" + "|".join(fold(t) for t in tags) + "|") > TAG_TEXT_MAX:
        errors["tags"] = _("Too many or too long tags (%(n)d characters in all at most).", n=TAG_TEXT_MAX - 2)
    return tags


def task_data(fields: dict, base: Task | None = None) -> workflow.TaskData:
    """Build the workflow's TaskData from the body, keeping `base`'s values for fields left out."""
    errors: dict[str, str] = {}
    lead = unit_or_error(fields["lead_unit"], "lead_unit", errors) if "lead_unit" in fields else base.lead_unit
    if "cooperating_units" in fields:
        cooperating: list[Unit] = []
        for code in fields["cooperating_units"]:
            unit = unit_or_error(code, "cooperating_units", errors)
            if unit is not None and unit not in cooperating:
                cooperating.append(unit)
    else:
        cooperating = list(base.cooperating_units) if base else []
    if "assignee" in fields:
        assignee = find_user(fields["assignee"]) if fields["assignee"] is not None else None
        if fields["assignee"] is not None and assignee is None:
            errors["assignee"] = _("Unknown user: %(name)s", name=fields["assignee"][:80])
    else:
        assignee = base.assignee if base else None
    tags = _tags(fields["tags"], errors) if "tags" in fields else (list(base.tags or []) if base else [])
    if errors:
        raise invalid(errors)
    return workflow.TaskData(
        title=fields.get("title", base.title if base else ""),
        description=fields.get("description", base.description if base else ""),
        lead_unit=lead, cooperating_units=cooperating, assignee=assignee,
        deadline=fields["deadline"] if "deadline" in fields else (base.deadline if base else None),
        priority=fields.get("priority", base.priority if base else "normal"), tags=tags)


@bp.route("/tasks/<int:task_id>", methods=["PATCH"])
def patch_task(task_id: int):
    fields = parse_body(read_json(), PATCH_TASK)
    version = expected_version(fields.pop("version", None))
    reason = fields.pop("reason", "")
    day, now = as_of_day()
    if version is None:
        raise invalid({"version": _("Send the task's version (the If-Match header or the version field).")})
    actor = current_api_user()
    task = load_task(task_id, for_update=True)
    if not fields:
        if not (reach.is_issuer(actor, task) or reach.can_assign(actor, task)):
            raise Forbidden(_("You do not have permission to do this."))
        workflow.check_version(task, version)
        return task_response(task, day=day, now=now)
    if set(fields) == {"assignee"} and not reach.is_issuer(actor, task):
        # The lead unit's leaders and secretaries may choose the assignee, and only that.
        workflow.assign(actor, task, task_data(fields, task).assignee, expected_version=version)
    else:
        workflow.update_task(actor, task, task_data(fields, task), now, expected_version=version, reason=reason)
    db.session.commit()
    return task_response(task, day=day, now=now)


# --- progress, completion, extensions ---------------------------------------------------------

@bp.route("/tasks/<int:task_id>/updates", methods=["POST"])
def post_update(task_id: int):
    fields = parse_body(read_json(), UPDATE)
    task = load_task(task_id, for_update=True)
    data = workflow.UpdateData(progress=fields.get("progress"), results=fields.get("note", ""),
                               difficulties=fields.get("difficulties", ""), proposals=fields.get("proposals", ""),
                               report_number=fields.get("report_number", ""))
    try:
        update = workflow.post_update(current_api_user(), task, data, today())
    except Invalid as error:  # the page's "results" box is the API's "note"
        error.fields = {("note" if k == "results" else k): v for k, v in error.fields.items()}
        raise
    db.session.commit()
    return json_response(update_json(update), 201)


def _task_action(task_id: int, spec: dict, action):
    """Run a one-step workflow action on a task and answer with the task."""
    fields = parse_body(read_json(), spec)
    day, now = as_of_day()
    task = load_task(task_id, for_update=True)
    action(task, fields, now)
    db.session.commit()
    return task_response(task, day=day, now=now)


def _secretaries_decide() -> bool:
    return current_app.config.get("SECRETARIES_DECIDE", False)


@bp.route("/tasks/<int:task_id>/completion", methods=["POST"])
def submit_completion(task_id: int):
    return _task_action(task_id, NOTE, lambda task, f, now: workflow.submit_completion(
        current_api_user(), task, f.get("note", ""), now))


@bp.route("/tasks/<int:task_id>/confirm", methods=["POST"])
def confirm(task_id: int):
    return _task_action(task_id, NOTE, lambda task, f, now: workflow.confirm_completion(
        current_api_user(), task, f.get("note", ""), now, _secretaries_decide()))


@bp.route("/tasks/<int:task_id>/return", methods=["POST"])
def return_report(task_id: int):
    return _task_action(task_id, REASON, lambda task, f, now: workflow.return_completion(
        current_api_user(), task, f["reason"], now, _secretaries_decide()))


@bp.route("/tasks/<int:task_id>/cancel", methods=["POST"])
def cancel(task_id: int):
    return _task_action(task_id, REASON, lambda task, f, now: workflow.cancel_task(
        current_api_user(), task, f["reason"], now, _secretaries_decide()))


@bp.route("/tasks/<int:task_id>/extensions", methods=["POST"])
def request_extension(task_id: int):
    fields = parse_body(read_json(), EXTENSION)
    task = load_task(task_id, for_update=True)
    ext = workflow.request_extension(current_api_user(), task, fields["deadline"], fields["reason"], today())
    db.session.commit()
    return json_response(extension_json(ext), 201)


def _decide(extension_id: int, approve: bool):
    fields = parse_body(read_json(), NOTE)
    ext = load_extension(extension_id)
    load_task(ext.task_id, for_update=True)
    workflow.decide_extension(current_api_user(), ext, approve, fields.get("note", ""), today(),
                              _secretaries_decide())
    db.session.commit()
    return json_response(extension_json(ext))


@bp.route("/extensions/<int:extension_id>/approve", methods=["POST"])
def approve_extension(extension_id: int):
    return _decide(extension_id, True)


@bp.route("/extensions/<int:extension_id>/reject", methods=["POST"])
def reject_extension(extension_id: int):
    return _decide(extension_id, False)

