"""/directives: list, record, one directive with its tasks, add tasks, publish."""
from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload, undefer

from tracker.api import bp
from tracker.api.auth import current_api_user
from tracker.api.common import as_of_day, created, load_directive, paged, task_response
from tracker.api.inputs import body, invalid, known_user, query, unit_or_error
from tracker.api.serialize import directive_json, respond
from tracker.api.tasks import task_data, task_rows_json
from tracker.database import db
from tracker.models import Directive, Task
from tracker.rules import reach
from tracker.rules.recurrence import Recurrence
from tracker.schemas import (
    MAX_ID,
    AsOf,
    DirectiveDetailOut,
    DirectiveIn,
    DirectiveListQuery,
    DirectivePage,
    EmptyIn,
    TaskIn,
)
from tracker.services import reach_sql, workflow
from tracker.services.errors import Forbidden, Invalid
from tracker.services.queries import TaskFilters, ordered_ids, task_records
from tracker.text import like_pattern


def detail_json(directive: Directive, day, now) -> dict:
    """The directive with the tasks of it the caller may see, status as of `day` (read as the list's rows)."""
    filters = TaskFilters(directive_id=directive.id, sort="directive", as_of=day if day != now else None)
    ids = ordered_ids(db.session, current_api_user(), filters, now)
    return {**directive_json(directive), "tasks": task_rows_json(task_records(db.session, ids, day, now), day, now)}


@bp.route("/directives")
def list_directives():
    params = query(DirectiveListQuery)
    stmt = select(Directive).where(reach_sql.directive_visible_clause(current_api_user()))
    if params.q and params.q.strip():
        stmt = stmt.where(Directive.search_text.like(like_pattern(params.q), escape="\\"))
    if params.kind:
        stmt = stmt.where(Directive.kind == params.kind)
    if params.year:
        stmt = stmt.where(Directive.year == params.year)
    stmt = (stmt.options(selectinload(Directive.issuing_unit), selectinload(Directive.on_behalf_of),
                         selectinload(Directive.tracker), selectinload(Directive.created_by), undefer(Directive.text))
            .order_by(Directive.issued_on.desc(), Directive.id.desc()))
    return respond(DirectivePage, paged(stmt, directive_json, params))


@bp.route("/directives", methods=["POST"])
def create_directive():
    data = body(DirectiveIn)
    actor = current_api_user()
    if not reach.can_record_directive(actor):
        raise Forbidden(_("You do not have permission to do this."))
    errors: dict[str, str] = {}
    sent = data.model_fields_set
    unit = unit_or_error(data.issuing_unit, "issuing_unit", errors) if "issuing_unit" in sent else actor.unit
    on_behalf = None
    if data.on_behalf_of:
        on_behalf = known_user(actor, data.on_behalf_of)
        if on_behalf is None:
            errors["on_behalf_of"] = _("Unknown user: %(name)s", name=data.on_behalf_of)
    elif "on_behalf_of" not in sent and actor.role == "leader" and unit is not None and actor.unit_id == unit.id:
        on_behalf = actor  # a leader issues in their own name, as the page does
    tracker = None
    if data.tracker:
        tracker = known_user(actor, data.tracker)
        if tracker is None:
            errors["tracker"] = _("Unknown user: %(name)s", name=data.tracker)
    if errors:
        raise invalid(errors)
    directive = workflow.create_directive(actor, workflow.DirectiveData(
        number=data.number, kind=data.kind, title=data.title, issued_on=data.issued_on, issuing_unit=unit,
        signer=data.signer, text=data.text, on_behalf_of=on_behalf, tracker=tracker))
    db.session.commit()
    now = as_of_day(AsOf())[1]
    return created(DirectiveDetailOut, detail_json(directive, now, now), "api.get_directive",
                   directive_id=directive.id)


@bp.route("/directives/<int:directive_id>")
def get_directive(directive_id: int):
    day, now = as_of_day(query(AsOf))
    return respond(DirectiveDetailOut, detail_json(load_directive(directive_id), day, now))


@bp.route("/directives/<int:directive_id>/publish", methods=["POST"])
def publish_directive(directive_id: int):
    body(EmptyIn)
    directive = load_directive(directive_id)
    day, now = as_of_day(query(AsOf))
    workflow.publish_directive(current_api_user(), directive, now)
    db.session.commit()
    return respond(DirectiveDetailOut, detail_json(directive, day, now))


@bp.route("/directives/<int:directive_id>/tasks", methods=["POST"])
def add_task(directive_id: int):
    data = body(TaskIn)
    day, now = as_of_day(query(AsOf))
    directive = load_directive(directive_id)
    actor = current_api_user()
    parent = None
    if data.parent is not None:
        parent = db.session.get(Task, data.parent) if 0 < data.parent <= MAX_ID else None
        if parent is None or parent.directive_id != directive.id or not reach.can_view_task(actor, parent):
            raise invalid({"parent": _("No such task in this document.")})
    task_values = task_data(data)
    if data.recurrence is not None:
        task_values.recurrence = Recurrence(data.recurrence.every, data.recurrence.day, data.recurrence.until)
    try:
        task = workflow.add_task(actor, directive, task_values, now, parent=parent)
    except Invalid as error:  # the form's recurrence_every/_day/_until boxes are the API's one `recurrence`
        error.fields = {("recurrence" if k.startswith("recurrence_") else k): v for k, v in error.fields.items()}
        raise
    db.session.commit()
    return task_response(task, day, now, 201, {"Location": url_for("api.get_task", task_id=task.id)})
