"""/tasks and /extensions: the list, one task, its edits and every workflow action.

Each view follows the same order: read and check the request against its
declaration (400, 413, 422), load what it names (404 outside reach), act
through tracker.services.workflow (403, 409, 422 with the pages' messages),
commit once, answer through the answer's declaration.
"""
from __future__ import annotations

from flask import abort, current_app
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from tracker import views_util
from tracker.api import bp
from tracker.api.auth import current_api_user
from tracker.api.common import as_of_day, load_extension, load_task, page_json, paged, task_response
from tracker.api.inputs import (
    body,
    expected_version,
    find_unit,
    invalid,
    known_user,
    paging,
    query,
    query_unit,
    unit_or_error,
)
from tracker.api.serialize import (
    due_soon,
    extension_json,
    part_json,
    respond,
    task_json,
    task_url_builder,
    update_json,
)
from tracker.database import db
from tracker.models import ProgressUpdate, Task, Unit
from tracker.page_cache import count_cache
from tracker.rules import reach
from tracker.rules.status import facts_of
from tracker.schemas import (
    AsOf,
    CooperatingPartOut,
    CooperationIn,
    AssignIn,
    CompletionIn,
    ExtensionDecisionIn,
    ExtensionIn,
    ExtensionOut,
    NoteIn,
    Paging,
    ReasonIn,
    TaskListQuery,
    TaskPage,
    TaskPatch,
    UpdateIn,
    UpdateOut,
    UpdatePage,
)
from tracker.services import recurrence, workflow
from tracker.services import summary as task_summary
from tracker.services.errors import Forbidden, Invalid
from tracker.services.queries import TaskFilters, filters_key, match_count, page_ids, task_records
from tracker.text import fold
from tracker.timeutil import today

TAG_TEXT_MAX = 500  # Task.tag_text


# --- reading ----------------------------------------------------------------------------------

def list_filters(params: TaskListQuery) -> TaskFilters:
    """The filters of GET /tasks, every one checked (422 naming the parameter)."""
    assignee = None
    if params.assignee:
        assignee = known_user(current_api_user(), params.assignee)
        if assignee is None:  # an unknown name and one outside reach answer alike
            raise invalid({"assignee": _("Unknown user: %(name)s", name=params.assignee)})
    return TaskFilters(view="all", status=list(params.status), unit=query_unit(params, "unit"),
                       lead_unit=query_unit(params, "lead_unit"), assignee=assignee, directive_id=params.directive,
                       due_before=params.due_before, due_after=params.due_after, q=params.q or "",
                       as_of=params.as_of, sort="deadline")


def task_rows_json(rows, day, now) -> list[dict]:
    task_url = task_url_builder()
    return [task_json(task, status, due_soon(task, status, day, now), task_url, day=day)
            for task, status in rows]


@bp.route("/tasks")
def list_tasks():
    """A page of tasks: its ids in the list's order (queries.page_ids, as the HTML list), then the tasks read as
    plain rows (queries.task_records): no ORM object, and the same answer as each task's own."""
    params = query(TaskListQuery)
    filters = list_filters(params)
    page, per_page = paging(params)
    now = today()
    user = current_api_user()

    def count() -> int:
        if task_summary.answers_list(user, filters, now) and task_summary.holds(db.session, now):
            return task_summary.count(db.session, now, filters.status, lead_unit=filters.lead_unit)
        return match_count(db.session, user, filters, now)

    # Kept per worker until the data changes, as the HTML list's counts (tracker.page_cache): paging counts once.
    total = count_cache().get_or_compute(db.session, ("api-task-total", user.id, now, *filters_key(filters)), count)
    ids, _total = page_ids(db.session, user, filters, now, page, per_page, total, limit=None)
    day = filters.as_of or now
    items = task_rows_json(task_records(db.session, ids, day, now), day, now)
    return respond(TaskPage, page_json(items, total, page, per_page))


@bp.route("/tasks/<int:task_id>")
def get_task(task_id: int):
    """One task read as plain rows (queries.task_records, as the lists), its reach checked on them by the rule
    itself (rules.reach.can_view_task): 404 outside reach as for a missing task. A periodic task, whose
    periods the answer shows, is read as the Task (the answer of its edits, api.common.task_response)."""
    day, now = as_of_day(query(AsOf))
    if not 0 < task_id <= views_util.MAX_ID:
        abort(404)
    found = task_records(db.session, [task_id], day, now)
    if not found or not reach.can_view_task(current_api_user(), found[0][0]):
        abort(404)
    task = found[0][0]
    if task.recurring:
        task = load_task(task_id, options=(views_util.PARTS_OPTION,))
    # The status by the rule (serialize.task_status), not the lists' SQL one: that is of tasks that existed on `day`.
    return task_response(task, day, now)


@bp.route("/tasks/<int:task_id>/updates")
def list_updates(task_id: int):
    params = query(Paging)
    task = load_task(task_id)
    stmt = (db.select(ProgressUpdate).where(ProgressUpdate.task_id == task.id)
            .order_by(ProgressUpdate.created_at.desc(), ProgressUpdate.id.desc())
            .options(selectinload(ProgressUpdate.author), selectinload(ProgressUpdate.unit)))
    return respond(UpdatePage, paged(stmt, update_json, params))


# --- editing ----------------------------------------------------------------------------------

def _tags(values: list[str], errors: dict[str, str]) -> list[str]:
    tags = [t.strip() for t in values if t.strip()]
    if len("|" + "|".join(fold(t) for t in tags) + "|") > TAG_TEXT_MAX:
        errors["tags"] = _("Too many or too long tags (%(n)d characters in all at most).", n=TAG_TEXT_MAX - 2)
    return tags


def task_data(data, base: Task | None = None) -> workflow.TaskData:
    """The workflow's TaskData from a TaskIn or TaskPatch, keeping `base`'s values for the fields not sent."""
    sent = data.model_fields_set
    errors: dict[str, str] = {}
    lead = unit_or_error(data.lead_unit, "lead_unit", errors) if "lead_unit" in sent else base.lead_unit
    details: dict[int, workflow.PartData] = {}
    if "cooperating_units" in sent:
        cooperating: list[Unit] = []
        for item in data.cooperating_units:
            code = item if isinstance(item, str) else item.unit
            unit = unit_or_error(code, "cooperating_units", errors)
            if unit is not None and unit not in cooperating:
                cooperating.append(unit)
            if unit is not None and not isinstance(item, str):
                details[unit.id] = workflow.PartData(duty=item.duty, deadline=item.deadline)
    else:
        cooperating = list(base.cooperating_units) if base else []
    if "assignee" in sent:
        assignee = known_user(current_api_user(), data.assignee, lead) if data.assignee is not None else None
        if data.assignee is not None and assignee is None:
            errors["assignee"] = _("Unknown user: %(name)s", name=data.assignee[:80])
    else:
        assignee = base.assignee if base else None
    tags = _tags(data.tags, errors) if "tags" in sent else (list(base.tags or []) if base else [])
    if errors:
        raise invalid(errors)

    def value(name: str):
        return getattr(data, name) if name in sent or base is None else getattr(base, name)

    return workflow.TaskData(title=value("title"), description=value("description"), lead_unit=lead,
                             cooperating_units=cooperating, assignee=assignee, deadline=value("deadline"),
                             priority=value("priority"), tags=tags, part_details=details)


@bp.route("/tasks/<int:task_id>", methods=["PATCH"])
def patch_task(task_id: int):
    patch = body(TaskPatch)
    version = expected_version(patch.version if "version" in patch.model_fields_set else None)
    day, now = as_of_day(query(AsOf))
    if version is None:
        raise invalid({"version": _("Send the task's version (the If-Match header or the version field).")})
    actor = current_api_user()
    task = load_task(task_id, for_update=True)
    changed = patch.model_fields_set - {"version", "reason"}
    if not changed:
        if not (reach.is_issuer(actor, task) or reach.can_assign(actor, task)):
            raise Forbidden(_("You do not have permission to do this."))
        workflow.check_version(task, version)
        return task_response(task, day, now)
    if changed == {"assignee"} and not reach.is_issuer(actor, task):
        # The lead unit's leaders and secretaries may choose the assignee, and only that.
        workflow.assign(actor, task, task_data(patch, task).assignee, expected_version=version)
    else:
        workflow.update_task(actor, task, task_data(patch, task), now, expected_version=version,
                             reason=patch.reason)
    db.session.commit()
    return task_response(task, day, now)


# --- progress, completion, extensions ---------------------------------------------------------

@bp.route("/tasks/<int:task_id>/updates", methods=["POST"])
def post_update(task_id: int):
    report = body(UpdateIn)
    task = load_task(task_id, for_update=True)
    data = workflow.UpdateData(progress=report.progress, results=report.note, difficulties=report.difficulties,
                               proposals=report.proposals, report_number=report.report_number)
    try:
        update = workflow.post_update(current_api_user(), task, data, today())
    except Invalid as error:  # the page's "results" box is the API's "note"
        error.fields = {("note" if k == "results" else k): v for k, v in error.fields.items()}
        raise
    db.session.commit()
    return respond(UpdateOut, update_json(update), 201)


@bp.route("/tasks/<int:task_id>/cooperation", methods=["POST"])
def report_cooperation(task_id: int):
    report = body(CooperationIn)
    task = load_task(task_id, for_update=True)
    actor = current_api_user()
    data = workflow.UpdateData(progress=report.progress, results=report.note, difficulties=report.difficulties,
                               proposals=report.proposals, report_number=report.report_number, part_done=report.done)
    try:
        workflow.report_part(actor, task, data, today())
    except Invalid as error:  # the page's "results" box is the API's "note"
        error.fields = {("note" if k == "results" else k): v for k, v in error.fields.items()}
        raise
    db.session.commit()
    day = today()
    return respond(CooperatingPartOut, part_json(reach.cooperating_part(actor, task), facts_of(task), day), 201)


def _task_action(task_id: int, declaration, action):
    """Run a one-step workflow action on a task and answer with the task."""
    data = body(declaration)
    day, now = as_of_day(query(AsOf))
    task = load_task(task_id, for_update=True)
    action(task, data, now)
    db.session.commit()
    return task_response(task, day, now)


def _secretaries_decide() -> bool:
    return current_app.config["SECRETARIES_DECIDE"]


@bp.route("/tasks/<int:task_id>/assign", methods=["POST"])
def assign(task_id: int):
    def act(task, data, now):
        actor = current_api_user()
        if data.unit is not None:
            if "assignee" in data.model_fields_set:
                raise invalid({"unit": _("Give a person or a sub-unit, not both.")})
            unit = find_unit(data.unit)
            if unit is None or unit.id == task.lead_unit_id or not unit.path.startswith(task.lead_unit.path):
                raise invalid({"unit": _("Choose a sub-unit of %(unit)s.", unit=task.lead_unit.name)})
            workflow.check_version(task, expected_version(data.version))  # a stale view is refused, as for a person
            workflow.add_task(actor, task.directive, workflow.TaskData(
                title=task.title, lead_unit=unit, description=data.note, deadline=task.deadline,
                priority=task.priority), now, parent=task)
            return
        if "assignee" not in data.model_fields_set:
            raise invalid({"assignee": _("Give a person (or null) or a sub-unit.")})
        assignee = None
        if data.assignee is not None:
            assignee = known_user(current_api_user(), data.assignee, task.lead_unit)
            if assignee is None:
                raise invalid({"assignee": _("Unknown user: %(name)s", name=data.assignee[:80])})
        version = expected_version(data.version)
        workflow.assign(current_api_user(), task, assignee, expected_version=version, note=data.note)

    return _task_action(task_id, AssignIn, act)


def _complete(task, data, now) -> None:
    """A completion report; on a periodic task, one period reported done (tracker.services.recurrence)."""
    if task.recurring:
        recurrence.report_done(current_api_user(), task, data.period, data.note, now, data.report_date)
    else:
        workflow.submit_completion(current_api_user(), task, data.note, now, data.report_number, data.report_date)


@bp.route("/tasks/<int:task_id>/completion", methods=["POST"])
def submit_completion(task_id: int):
    return _task_action(task_id, CompletionIn, _complete)


@bp.route("/tasks/<int:task_id>/confirm", methods=["POST"])
def confirm(task_id: int):
    return _task_action(task_id, NoteIn, lambda task, data, now: workflow.confirm_completion(
        current_api_user(), task, data.note, now, _secretaries_decide()))


@bp.route("/tasks/<int:task_id>/return", methods=["POST"])
def return_report(task_id: int):
    return _task_action(task_id, ReasonIn, lambda task, data, now: workflow.return_completion(
        current_api_user(), task, data.reason, now, _secretaries_decide()))


@bp.route("/tasks/<int:task_id>/cancel", methods=["POST"])
def cancel(task_id: int):
    return _task_action(task_id, ReasonIn, lambda task, data, now: workflow.cancel_task(
        current_api_user(), task, data.reason, now, _secretaries_decide()))


@bp.route("/tasks/<int:task_id>/extensions", methods=["POST"])
def request_extension(task_id: int):
    ask = body(ExtensionIn)
    task = load_task(task_id, for_update=True)
    ext = workflow.request_extension(current_api_user(), task, ask.deadline, ask.reason, today())
    db.session.commit()
    return respond(ExtensionOut, extension_json(ext), 201)


def _decide(extension_id: int, approve: bool):
    decision = body(ExtensionDecisionIn)
    ext = load_extension(extension_id)
    load_task(ext.task_id, for_update=True)
    workflow.decide_extension(current_api_user(), ext, approve, decision.note, today(), _secretaries_decide(),
                              deadline=decision.deadline if approve else None)
    db.session.commit()
    return respond(ExtensionOut, extension_json(ext))


@bp.route("/extensions/<int:extension_id>/approve", methods=["POST"])
def approve_extension(extension_id: int):
    return _decide(extension_id, True)


@bp.route("/extensions/<int:extension_id>/reject", methods=["POST"])
def reject_extension(extension_id: int):
    return _decide(extension_id, False)
