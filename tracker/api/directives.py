"""/directives: list, record, one directive with its tasks, add tasks, publish."""
from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload, undefer

from tracker.api import bp
from tracker.api.auth import current_api_user
from tracker.api.common import as_of_day, created, load_directive, paged, task_response
from tracker.api.errors import json_response
from tracker.api.inputs import (
    MAX_ID,
    Field,
    find_user,
    invalid,
    parse_body,
    query_int,
    query_text,
    read_json,
    unit_or_error,
)
from tracker.api.serialize import directive_json
from tracker.api.tasks import NEW_TASK, task_data, task_list_select, task_rows_json
from tracker.database import db
from tracker.models import DIRECTIVE_KINDS, Directive, Task
from tracker.rules import reach
from tracker.services import reach_sql, workflow
from tracker.services.errors import Forbidden
from tracker.services.queries import TaskFilters
from tracker.text import like_pattern

NEW_DIRECTIVE = {
    "number": Field("string", required=True, max_length=80),
    "kind": Field("string", required=True, max_length=20),
    "title": Field("string", required=True, max_length=1000),
    "issued_on": Field("date", required=True),
    "issuing_unit": Field("string", max_length=40),
    "signer": Field("string", max_length=255),
    "text": Field("string"),
    "on_behalf_of": Field("string", nullable=True, max_length=80),
}


def detail_json(directive: Directive, day, now) -> dict:
    """The directive with the tasks of it the caller may see, status as of `day`."""
    rows = db.session.execute(task_list_select(TaskFilters(directive_id=directive.id, sort="directive",
                                                           as_of=day if day != now else None), now)).all()
    return {**directive_json(directive), "tasks": task_rows_json(rows, day, now)}


@bp.route("/directives")
def list_directives():
    q = query_text("q")
    kind = query_text("kind", 20)
    year = query_int("year", None, 1900, 2999)
    if kind and kind not in DIRECTIVE_KINDS:
        raise invalid({"kind": _("Unknown kind (one of %(all)s).", all=", ".join(DIRECTIVE_KINDS))})
    stmt = select(Directive).where(reach_sql.directive_visible_clause(current_api_user()))
    if q.strip():
        stmt = stmt.where(Directive.search_text.like(like_pattern(q), escape="\\"))
    if kind:
        stmt = stmt.where(Directive.kind == kind)
    if year:
        stmt = stmt.where(Directive.year == year)
    stmt = (stmt.options(selectinload(Directive.issuing_unit), undefer(Directive.text))
            .order_by(Directive.issued_on.desc(), Directive.id.desc()))
    return json_response(paged(stmt, directive_json))


@bp.route("/directives", methods=["POST"])
def create_directive():
    fields = parse_body(read_json(), NEW_DIRECTIVE)
    actor = current_api_user()
    if not reach.can_record_directive(actor):
        raise Forbidden(_("You do not have permission to do this."))
    errors: dict[str, str] = {}
    unit = unit_or_error(fields["issuing_unit"], "issuing_unit", errors) if "issuing_unit" in fields else actor.unit
    on_behalf = None
    if fields.get("on_behalf_of"):
        on_behalf = find_user(fields["on_behalf_of"])
        if on_behalf is None:
            errors["on_behalf_of"] = _("Unknown user: %(name)s", name=fields["on_behalf_of"])
    elif "on_behalf_of" not in fields and actor.role == "leader" and unit is not None and actor.unit_id == unit.id:
        on_behalf = actor  # a leader issues in their own name, as the page does
    if errors:
        raise invalid(errors)
    directive = workflow.create_directive(actor, workflow.DirectiveData(
        number=fields["number"], kind=fields["kind"], title=fields["title"], issued_on=fields["issued_on"],
        issuing_unit=unit, signer=fields.get("signer", ""), text=fields.get("text", ""), on_behalf_of=on_behalf))
    db.session.commit()
    now = as_of_day()[1]
    return created(detail_json(directive, now, now), url_for("api.get_directive", directive_id=directive.id))


@bp.route("/directives/<int:directive_id>")
def get_directive(directive_id: int):
    day, now = as_of_day()
    return json_response(detail_json(load_directive(directive_id), day, now))


@bp.route("/directives/<int:directive_id>/publish", methods=["POST"])
def publish_directive(directive_id: int):
    parse_body(read_json(), {})
    directive = load_directive(directive_id)
    day, now = as_of_day()
    workflow.publish_directive(current_api_user(), directive, now)
    db.session.commit()
    return json_response(detail_json(directive, day, now))


@bp.route("/directives/<int:directive_id>/tasks", methods=["POST"])
def add_task(directive_id: int):
    fields = parse_body(read_json(), NEW_TASK)
    day, now = as_of_day()
    directive = load_directive(directive_id)
    actor = current_api_user()
    parent = None
    if fields.get("parent") is not None:
        parent_id = fields["parent"]
        parent = db.session.get(Task, parent_id) if 0 < parent_id <= MAX_ID else None
        if parent is None or parent.directive_id != directive.id or not reach.can_view_task(actor, parent):
            raise invalid({"parent": _("No such task in this document.")})
    task = workflow.add_task(actor, directive, task_data(fields), now, parent=parent)
    db.session.commit()
    response = task_response(task, 201, day=day, now=now)
    response.headers["Location"] = url_for("api.get_task", task_id=task.id)
    return response

