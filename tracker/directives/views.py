"""Directive pages: list, record, edit, split into tasks, publish, attachments."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from tracker import params, uploads
from tracker.database import db
from tracker.directives import bp
from tracker.directives.forms import DirectiveForm, TaskBatchForm
from tracker.forms import choices
from tracker.models import Attachment, Directive, Task, Unit, User
from tracker.rules import reach
from tracker.rules.recurrence import Recurrence
from tracker.services import reach_sql, workflow
from tracker.services.errors import ServiceError
from tracker.services.queries import TaskFilters, task_select
from tracker.services.status_sql import status_sql
from tracker.text import like_pattern
from tracker.timeutil import today
from tracker.views_util import (
    apply_errors,
    flash_error,
    load_directive,
    load_task,
    tree_order,
    unit_options,
)

# Service error keys -> form fields, so that each message shows beside the control it is about.
DIRECTIVE_FIELDS = {"issuing_unit": "issuing_unit_id", "on_behalf_of": "on_behalf_of_id", "tracker": "tracker_id"}
ROW_FIELDS = {"lead_unit": "lead_unit_id",  # a row of the batch table names only its lead unit
              "recurrence_every": "recur_every", "recurrence_day": "recur_day", "recurrence_until": "recur_every"}


@bp.route("/directives")
def index():
    q = request.args.get("q", "").strip()
    kind = request.args.get("kind", "")
    year = params.whole(request.args.get("year"), params.MIN_YEAR, params.MAX_YEAR)
    state = request.args.get("state", "")
    stmt = select(Directive).where(reach_sql.directive_visible_clause(current_user))
    if q:
        stmt = stmt.where(Directive.search_text.like(like_pattern(q), escape="\\"))
    if kind:
        stmt = stmt.where(Directive.kind == kind)
    if year:
        stmt = stmt.where(Directive.year == year)
    if state == "draft":
        stmt = stmt.where(Directive.published_at.is_(None))
    elif state == "published":
        stmt = stmt.where(Directive.published_at.is_not(None))
    stmt = stmt.options(selectinload(Directive.issuing_unit)).order_by(Directive.issued_on.desc(), Directive.id.desc())
    page = db.paginate(stmt, page=params.whole(request.args.get("page"), 1, params.MAX_PAGE) or 1, per_page=25, error_out=False)
    progress = _status_bars([d.id for d in page.items])
    return render_template("directives/index.html", page=page, q=q, kind=kind, year=year, state=state,
                           progress=progress, can_create=reach.can_record_directive(current_user))


def _status_bars(directive_ids: list[int]) -> dict[int, dict[str, int]]:
    """Count each directive's visible top-level tasks by today's status, in one query."""
    if not directive_ids:
        return {}
    day = today()
    status = status_sql(day, historical=False)
    rows = db.session.execute(
        select(Task.directive_id, status, func.count()).where(
            Task.directive_id.in_(directive_ids), Task.parent_id.is_(None), reach_sql.task_visible_clause(current_user))
        .group_by(Task.directive_id, status)).all()
    bars: dict[int, dict[str, int]] = {}
    for directive_id, status_name, count in rows:
        bars.setdefault(directive_id, {})[status_name] = count
    return bars


def _issuing_units() -> list[Unit]:
    if reach.is_admin(current_user):
        return tree_order(list(db.session.scalars(select(Unit).where(Unit.active.is_(True)))))
    return [current_user.unit]


def _prepare_directive_form(form: DirectiveForm, unit: Unit | None = None) -> None:
    units = _issuing_units()
    form.issuing_unit_id.choices = choices((u.id, u.name) for u in units)
    unit = unit or (db.session.get(Unit, form.issuing_unit_id.data) if form.issuing_unit_id.data else units[0])
    leaders = db.session.scalars(select(User).where(User.unit_id == unit.id, User.role == "leader",
                                                    User.active.is_(True)).order_by(User.sort_key)).all()
    form.on_behalf_of_id.choices = choices([(0, "—")] + [(u.id, f"{u.full_name} ({u.position_title})")
                                                         for u in leaders])
    office = db.session.scalars(select(User).where(User.unit_id == unit.id, User.role.in_(("secretary", "leader")),
                                                   User.active.is_(True))
                                .order_by(User.role.desc(), User.sort_key)).all()  # secretaries first
    trackers = [(u.id, f"{u.full_name} ({u.position_title})") for u in office]
    if form.tracker_id.data and all(value != form.tracker_id.data for value, _label in trackers):
        tracker = db.session.get(User, form.tracker_id.data)  # e.g. an admin who recorded it: keep them listed
        if tracker is not None:
            trackers.append((tracker.id, f"{tracker.full_name} ({tracker.position_title})"))
    form.tracker_id.choices = choices([(0, "—")] + trackers)


def _directive_data(form: DirectiveForm) -> workflow.DirectiveData:
    unit = db.session.get(Unit, form.issuing_unit_id.data)
    on_behalf = db.session.get(User, form.on_behalf_of_id.data) if form.on_behalf_of_id.data else None
    tracker = db.session.get(User, form.tracker_id.data) if form.tracker_id.data else None
    return workflow.DirectiveData(number=form.number.data or "", kind=form.kind.data, title=form.title.data or "",
                                  issued_on=form.issued_on.data, issuing_unit=unit, signer=form.signer.data or "",
                                  text=form.text.data or "", on_behalf_of=on_behalf, tracker=tracker)


def _save_attachments(form: DirectiveForm, directive: Directive) -> list[tuple[Attachment, bytes]]:
    """Check every uploaded file first, so one bad file saves none of them."""
    pending = []
    for storage in form.attachments.data or []:
        if storage and storage.filename:
            attachment, data = uploads.store(storage, current_user.id)
            attachment.directive = directive
            pending.append((attachment, data))
    return pending


def _write_and_commit(pending: list[tuple[Attachment, bytes]]) -> None:
    for attachment, _data in pending:
        db.session.add(attachment)
    db.session.flush()
    for attachment, data in pending:
        uploads.write_file(attachment, data)
    db.session.commit()


def _save(form: DirectiveForm, change) -> Directive | None:
    """Apply `change` (returning the directive), store the attachments and commit once.

    On a refused change or a failed file write nothing is saved, the form keeps its input and
    says what happened; None is returned.
    """
    try:
        directive = change()
        _write_and_commit(_save_attachments(form, directive))
    except ServiceError as error:
        db.session.rollback()
        apply_errors(form, error, DIRECTIVE_FIELDS)
    except OSError:
        db.session.rollback()
        flash(_("The attachments could not be saved (the server's disk may be full). Nothing was saved; "
                "please try again."), "error")
    else:
        return directive
    return None


def _date_confirmed(form: DirectiveForm) -> bool:
    """A date after today is kept only once confirmed (a typo like 2062 for 2026 is caught at the field)."""
    if form.issued_on.data is None or form.issued_on.data <= today() or form.future_ok.data:
        return True
    form.issued_on.errors = [*form.issued_on.errors, _(
        "This date is after today (%(today)s). If it is right, tick the box below and save again.",
        today=today().strftime("%d/%m/%Y"))]
    return False


@bp.route("/directives/new", methods=["GET", "POST"])
def new():
    if not reach.can_record_directive(current_user):
        abort(403)
    form = DirectiveForm()
    if request.method == "GET":
        form.issued_on.data = today()
        form.issuing_unit_id.data = current_user.unit_id
        if current_user.role == "leader":
            form.on_behalf_of_id.data = current_user.id
        form.tracker_id.data = current_user.id
    _prepare_directive_form(form)
    if form.validate_on_submit() and _date_confirmed(form):
        directive = _save(form, lambda: workflow.create_directive(current_user, _directive_data(form)))
        if directive is not None:
            flash(_("Document %(number)s has been recorded. Now add its tasks.", number=directive.number), "success")
            return redirect(url_for("directives.show", directive_id=directive.id))
    return render_template("directives/form.html", form=form, directive=None, accept=uploads.ACCEPT, today=today())


@bp.route("/directives/<int:directive_id>/edit", methods=["GET", "POST"])
def edit(directive_id: int):
    directive = load_directive(directive_id)
    if not reach.can_edit_directive(current_user, directive):
        abort(403)
    form = DirectiveForm(obj=directive)
    if request.method == "GET":
        form.issuing_unit_id.data = directive.issuing_unit_id
        form.on_behalf_of_id.data = directive.on_behalf_of_id or 0
        form.tracker_id.data = directive.tracker_id or directive.created_by_id or 0
    _prepare_directive_form(form, directive.issuing_unit)
    if form.validate_on_submit() and _date_confirmed(form):
        def change() -> Directive:
            workflow.update_directive(current_user, directive, _directive_data(form))
            return directive

        if _save(form, change) is not None:
            flash(_("Document %(number)s has been saved.", number=directive.number), "success")
            return redirect(url_for("directives.show", directive_id=directive.id))
    return render_template("directives/form.html", form=form, directive=directive, accept=uploads.ACCEPT,
                           today=today())


def _batch_form(directive: Directive, formdata=None) -> TaskBatchForm:
    form = TaskBatchForm(formdata=formdata) if formdata is not None else TaskBatchForm()
    options = [(0, "—")] + unit_options(directive.issuing_unit)
    for row in form.rows:
        row.form.lead_unit_id.choices = choices(options)
    return form


@bp.route("/directives/<int:directive_id>")
def show(directive_id: int):
    directive = load_directive(directive_id)
    day = today()
    rows = db.session.execute(task_select(current_user, TaskFilters(directive_id=directive.id, sort="directive"),
                                          day)).all()
    can_edit = reach.can_edit_directive(current_user, directive)
    return render_template("directives/show.html", directive=directive, rows=rows, can_edit=can_edit,
                           batch=_batch_form(directive) if can_edit else None, today=day)


@bp.route("/directives/<int:directive_id>/tasks", methods=["POST"])
def add_tasks(directive_id: int):
    """Add several tasks at once: all rows are saved, or none (with the errors shown)."""
    directive = load_directive(directive_id)
    if not reach.can_edit_directive(current_user, directive):
        abort(403)
    form = _batch_form(directive, request.form)
    day = today()
    if form.add_rows.data:
        for _i in range(5):
            form.rows.append_entry()
            form.rows[-1].form.lead_unit_id.choices = form.rows[0].form.lead_unit_id.choices
        return _show_with_batch(directive, form)
    if not form.validate():
        return _show_with_batch(directive, form)
    added, failed = 0, False
    for row in form.rows:
        data = row.form
        if not (data.title.data or "").strip():
            continue
        lead = db.session.get(Unit, data.lead_unit_id.data) if data.lead_unit_id.data else None
        if lead is None:
            data.lead_unit_id.errors = [_("Choose the lead unit.")]
            failed = True
            continue
        every = data.recur_every.data or ""
        if data.deadline.data is None and not data.ongoing.data and not every:
            data.deadline.errors = [_("Enter a deadline or tick \"Ongoing\".")]
            failed = True
            continue
        try:
            workflow.add_task(current_user, directive, workflow.TaskData(
                title=data.title.data, lead_unit=lead, deadline=None if data.ongoing.data else data.deadline.data,
                priority=data.priority.data,
                recurrence=Recurrence(every, data.recur_day.data) if every else None), day)
            added += 1
        except ServiceError as error:
            apply_errors(data, error, ROW_FIELDS)
            failed = True
    if failed:
        db.session.rollback()
        flash(_("No task was added: please correct the rows marked below."), "error")
        return _show_with_batch(directive, form)
    if not added:
        flash(_("Write at least one task."), "error")
        return _show_with_batch(directive, form)
    db.session.commit()
    flash(_("%(n)d tasks have been added.", n=added), "success")
    return redirect(url_for("directives.show", directive_id=directive.id) + "#tasks")


def _show_with_batch(directive: Directive, form: TaskBatchForm):
    day = today()
    rows = db.session.execute(task_select(current_user, TaskFilters(directive_id=directive.id, sort="directive"),
                                          day)).all()
    return render_template("directives/show.html", directive=directive, rows=rows, can_edit=True, batch=form,
                           today=day), 422


@bp.route("/directives/<int:directive_id>/publish", methods=["POST"])
def publish(directive_id: int):
    directive = load_directive(directive_id)
    try:
        workflow.publish_directive(current_user, directive, today())
    except ServiceError as error:
        db.session.rollback()
        flash_error(error)
    else:
        db.session.commit()
        flash(_("Document %(number)s has been published: its units can see their tasks.",
                number=directive.number), "success")
    return redirect(url_for("directives.show", directive_id=directive.id))


@bp.route("/directives/<int:directive_id>/delete", methods=["POST"])
def delete(directive_id: int):
    """Delete a draft document with its tasks and files (whoever may edit it); published ones stay."""
    directive = load_directive(directive_id)
    number = directive.number
    try:
        stored = workflow.delete_directive(current_user, directive)
    except ServiceError as error:
        db.session.rollback()
        flash_error(error)
        return redirect(url_for("directives.show", directive_id=directive_id))
    db.session.commit()
    for name in stored:  # the rows are gone: their files go too (a file left behind is only disk space)
        uploads.remove_file(name)
    flash(_("Draft document %(number)s has been deleted with its tasks.", number=number), "success")
    return redirect(url_for("directives.index"))


@bp.route("/attachments/<int:attachment_id>")
def attachment(attachment_id: int):
    """Download an attachment, for those who may see its directive or task."""
    item = db.session.get(Attachment, attachment_id)
    if item is None:
        abort(404)
    if item.update_id is not None:
        load_task(item.update.task_id)
    elif item.completion_report_id is not None:
        load_task(item.completion_report.task_id)
    elif item.extension_id is not None:
        load_task(item.extension.task_id)
    elif item.directive_id is not None:
        load_directive(item.directive_id)
    else:
        abort(404)
    path = uploads.file_path(item)
    if not path.exists():
        abort(404)
    response = send_file(path, mimetype=item.content_type, as_attachment=True, download_name=item.original_name,
                         max_age=0)
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
