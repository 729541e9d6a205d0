"""Task pages: the lists, one task with its history, and every action on it."""
from __future__ import annotations

from datetime import date

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from tracker import uploads
from tracker.database import db
from tracker.forms import choices
from tracker.models import AuditEvent, ExtensionRequest, ProgressUpdate, Unit, User, load_calendar
from tracker.paging import Page
from tracker.params import a_date, page_args
from tracker.rules import reach
from tracker.rules.recurrence import Recurrence
from tracker.rules.status import deadline_on, due_soon_flag, facts_of, status_on
from tracker.services import recurrence, workflow
from tracker.services.errors import ServiceError
from tracker.services.planner import current_rules
from tracker.services.queries import TaskFilters, from_args, list_page, status_counts
from tracker.tasks import bp
from tracker.tasks.forms import (
    AssignForm,
    DecisionForm,
    ExtensionForm,
    NoteForm,
    ProgressForm,
    ReasonForm,
    RespondForm,
    TaskForm,
)
from tracker.timeutil import today
from tracker.views_util import (
    apply_errors,
    flash_error,
    load_directive,
    load_task,
    unit_options,
    unit_options_html,
    user_options,
)

# Service error keys -> form fields, so that each message shows beside the control it is about.
TASK_FIELDS = {"lead_unit": "lead_unit_id", "cooperating_units": "cooperating_unit_ids", "assignee": "assignee_id",
               "recurrence_every": "recur_every", "recurrence_day": "recur_day", "recurrence_until": "recur_until"}


def _date_arg(name: str) -> date | None:
    value = request.args.get(name, "")
    day = a_date(value)
    if value and day is None:
        flash(_("Ignored an invalid date: %(value)s", value=value[:40]), "warning")
    return day


def filters_from_args(default_view: str = "all") -> TaskFilters:
    """The list's filters from the query string (tracker.services.queries.from_args), saying what was ignored."""
    ignored: list[str] = []
    filters = from_args(request.args, default_view, ignored)
    for value in ignored:
        flash(_("Ignored an invalid date: %(value)s", value=value[:40]), "warning")
    return filters


@bp.route("/tasks")
def index():
    default_view = "mine" if current_user.role == "staff" else "all"
    filters = filters_from_args(default_view)
    day = today()
    number, per_page = page_args(request.args)
    limit = current_app.config["TASK_LIST_COUNT_LIMIT"]
    counts, counted = status_counts(db.session, current_user, filters, day, limit=limit)
    if counted:
        total = sum(n for status, n in counts.items() if not filters.status or status in filters.status)
    else:  # more than `limit` tasks in reach: with a status filter, its matches are counted with the page
        total = None if filters.status else limit + 1
    rows, total = list_page(db.session, current_user, filters, day, number, per_page, total, limit)
    page = Page(rows, number, per_page, min(total, limit), more=total > limit)
    due_soon = set()
    if filters.as_of is None or filters.as_of >= day:
        # For a past day the flag would need each row's deadline history; it is shown on the task page.
        calendar, rules = load_calendar(), current_rules()
        due_soon = {task.id for task, status in rows if due_soon_flag(status, task.deadline, day, calendar, rules)}
    scope = current_user.unit if not reach.is_admin(current_user) else db.session.scalar(
        select(Unit).where(Unit.parent_id.is_(None)).order_by(Unit.id))
    return render_template("tasks/index.html", page=page, rows=rows, filters=filters,
                           counts=counts if counted else None,
                           due_soon=due_soon,
                           unit_options=unit_options_html(scope, filters.unit.id if filters.unit else None)
                           if scope else "",
                           today=day, args=request.args)


@bp.route("/tasks/<int:task_id>")
def show(task_id: int):
    return render_task(load_task(task_id))


def render_task(task, progress_form: ProgressForm | None = None, code: int = 200):
    """Render the task page; a failed report keeps what the user typed in `progress_form`."""
    day = today()
    as_of = _date_arg("as_of")
    calendar = load_calendar()
    facts = facts_of(task)
    status = status_on(facts, as_of or day)
    history = db.session.scalars(select(AuditEvent).where(AuditEvent.object_type == "task",
                                                          AuditEvent.object_id == task.id)
                                 .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())).all()
    assign_form = AssignForm(version=task.version, assignee_id=task.assignee_id or 0)
    can_assign = reach.can_assign(current_user, task)
    # The people of the lead unit are listed only for those who may assign (a department has ~150).
    assign_form.assignee_id.choices = choices([(0, _("(nobody: the lead unit's leaders)"))]
                                              + (user_options(task.lead_unit) if can_assign else []))
    secretaries_decide = current_app.config["SECRETARIES_DECIDE"]
    occurrences = [(occ, recurrence.status(occ, as_of or day)) for occ in task.occurrences] if task.recurring else []
    return render_template(
        "tasks/show.html", task=task, status=status, as_of=as_of, today=day, occurrences=occurrences,
        due_soon=due_soon_flag(status, deadline_on(facts, as_of or day), as_of or day, calendar, current_rules()),
        subtasks=[sub for sub in task.subtasks if reach.can_view_task(current_user, sub)],
        history=history, progress_form=progress_form or ProgressForm(), note_form=NoteForm(), reason_form=ReasonForm(),
        extension_form=ExtensionForm(), decision_form=DecisionForm(), assign_form=assign_form,
        respond_form=RespondForm(), accept=uploads.ACCEPT,
        can_report=reach.can_report(current_user, task), can_contribute=reach.can_contribute(current_user, task),
        can_decide=reach.can_decide(current_user, task, secretaries_decide),
        is_issuer=reach.is_issuer(current_user, task), can_assign=can_assign,
        can_split=reach.can_split(current_user, task)), code


def _back(task_id: int, anchor: str = ""):
    return redirect(url_for("tasks.show", task_id=task_id) + anchor)


def _run(task_id: int, action, success: str, anchor: str = ""):
    """Run a one-form action on a task: commit once on success, flash the error otherwise."""
    task = load_task(task_id, for_update=True)
    try:
        action(task)
    except ServiceError as error:
        db.session.rollback()
        flash_error(error)
    else:
        db.session.commit()
        flash(success, "success")
    return _back(task_id, anchor)


def _secretaries_decide() -> bool:
    return current_app.config["SECRETARIES_DECIDE"]


@bp.route("/tasks/<int:task_id>/edit", methods=["GET", "POST"])
def edit(task_id: int):
    task = load_task(task_id, for_update=request.method == "POST")
    if not reach.is_issuer(current_user, task):
        abort(403)
    form = TaskForm(obj=task)
    if request.method == "GET":
        form.cooperating_unit_ids.data = [u.id for u in task.cooperating_units]
        form.assignee_id.data = task.assignee_id or 0
        form.ongoing.data = task.deadline is None
        form.tags.data = ", ".join(task.tags or [])
        form.version.data = task.version
    prepare_task_form(form, task.issuing_unit, task.lead_unit)
    if form.validate_on_submit() and not missing_deadline(form):
        try:
            workflow.update_task(current_user, task, task_data(form), today(),
                                 expected_version=int(form.version.data or 0), reason=form.reason.data or "")
        except ServiceError as error:
            db.session.rollback()
            apply_errors(form, error, TASK_FIELDS)
            if error.status == 409:
                return render_template("tasks/form.html", form=form, task=task, directive=task.directive,
                                       parent=task.parent, conflict=True), 409
        else:
            db.session.commit()
            flash(_("The task has been saved."), "success")
            return _back(task.id)
    return render_template("tasks/form.html", form=form, task=task, directive=task.directive, parent=task.parent)


@bp.route("/tasks/<int:task_id>/subtasks/new", methods=["GET", "POST"])
def new_subtask(task_id: int):
    parent = load_task(task_id, for_update=request.method == "POST")
    if not reach.can_split(current_user, parent):
        abort(403)
    form = TaskForm()
    if request.method == "GET":
        form.deadline.data = parent.deadline
        form.ongoing.data = parent.deadline is None
        form.priority.data = parent.priority
    prepare_task_form(form, parent.lead_unit, None)
    if form.validate_on_submit() and not missing_deadline(form):
        try:
            task = workflow.add_task(current_user, parent.directive, task_data(form), today(), parent=parent)
        except ServiceError as error:
            db.session.rollback()
            apply_errors(form, error, TASK_FIELDS)
        else:
            db.session.commit()
            flash(_("The sub-task has been created."), "success")
            return _back(task.id)
    return render_template("tasks/form.html", form=form, task=None, directive=parent.directive, parent=parent)


@bp.route("/tasks/<int:task_id>/assign", methods=["POST"])
def assign(task_id: int):
    form = AssignForm()
    assignee = db.session.get(User, form.assignee_id.data) if form.assignee_id.data else None
    version = int(form.version.data) if (form.version.data or "").isdigit() else None
    return _run(task_id, lambda t: workflow.assign(current_user, t, assignee, expected_version=version),
                _("The assignee has been saved."))


@bp.route("/tasks/<int:task_id>/updates", methods=["POST"])
def post_update(task_id: int):
    task = load_task(task_id, for_update=True)
    form = ProgressForm()
    if not form.validate():
        return render_task(task, form, 422)
    try:
        update = workflow.post_update(current_user, task, workflow.UpdateData(
            progress=form.progress.data, results=form.results.data or "", difficulties=form.difficulties.data or "",
            proposals=form.proposals.data or "", report_number=form.report_number.data or ""), today())
        pending = []
        for storage in form.attachments.data or []:
            if storage and storage.filename:
                attachment, data = uploads.store(storage, current_user.id)
                attachment.update = update
                db.session.add(attachment)
                pending.append((attachment, data))
        db.session.flush()
        for attachment, data in pending:
            uploads.write_file(attachment, data)
    except ServiceError as error:
        db.session.rollback()
        flash_error(error)
        return render_task(load_task(task_id), form, 422)
    except OSError:
        db.session.rollback()
        flash(_("The attachments could not be saved (the server's disk may be full). Nothing was saved; "
                "please try again."), "error")
        return render_task(load_task(task_id), form, 507)
    db.session.commit()
    flash(_("Your progress report has been recorded."), "success")
    return _back(task.id, "#updates")


@bp.route("/tasks/<int:task_id>/updates/<int:update_id>/respond", methods=["POST"])
def respond(task_id: int, update_id: int):
    form = RespondForm()
    update = db.session.get(ProgressUpdate, update_id)
    if update is None or update.task_id != task_id:
        abort(404)
    return _run(task_id, lambda t: workflow.respond_to_update(current_user, update, form.response.data or ""),
                _("Your answer has been recorded."), "#updates")


@bp.route("/tasks/<int:task_id>/complete", methods=["POST"])
def complete(task_id: int):
    form = NoteForm()
    return _run(task_id, lambda t: workflow.submit_completion(current_user, t, form.note.data or "", today()),
                _("The completion report has been sent to the issuer."))


@bp.route("/tasks/<int:task_id>/periods/report", methods=["POST"])
def report_period(task_id: int):
    """The lead unit reports one period of a periodic task done (its periodic report sent)."""
    form = NoteForm()
    period = request.form.get("period", "")[:12] or None
    return _run(task_id, lambda t: recurrence.report_done(current_user, t, period, form.note.data or "", today()),
                _("The period has been reported done."), "#periods")


@bp.route("/tasks/<int:task_id>/confirm", methods=["POST"])
def confirm(task_id: int):
    form = NoteForm()
    return _run(task_id, lambda t: workflow.confirm_completion(current_user, t, form.note.data or "", today(),
                                                               _secretaries_decide()),
                _("Completion has been confirmed."))


@bp.route("/tasks/<int:task_id>/return", methods=["POST"])
def return_report(task_id: int):
    form = ReasonForm()
    return _run(task_id, lambda t: workflow.return_completion(current_user, t, form.reason.data or "", today(),
                                                              _secretaries_decide()),
                _("The report has been returned to the lead unit."))


@bp.route("/tasks/<int:task_id>/cancel", methods=["POST"])
def cancel(task_id: int):
    form = ReasonForm()
    return _run(task_id, lambda t: workflow.cancel_task(current_user, t, form.reason.data or "", today(),
                                                        _secretaries_decide()),
                _("The task has been cancelled."))


@bp.route("/tasks/<int:task_id>/extensions", methods=["POST"])
def request_extension(task_id: int):
    form = ExtensionForm()
    if not form.validate():
        task = load_task(task_id)
        for name, errors in form.errors.items():
            for error in errors:
                flash(f"{form[name].label.text}: {error}", "error")
        return _back(task.id, "#extension")
    return _run(task_id, lambda t: workflow.request_extension(current_user, t, form.deadline.data,
                                                              form.reason.data or "", today()),
                _("Your extension request has been sent to the issuer."))


@bp.route("/tasks/<int:task_id>/extensions/<int:extension_id>/decide", methods=["POST"])
def decide_extension(task_id: int, extension_id: int):
    form = DecisionForm()
    ext = db.session.get(ExtensionRequest, extension_id)
    if ext is None or ext.task_id != task_id:
        abort(404)
    approve = bool(form.approve.data)
    return _run(task_id, lambda t: workflow.decide_extension(current_user, ext, approve, form.note.data or "",
                                                             today(), _secretaries_decide()),
                _("The extension has been approved.") if approve else _("The extension has been rejected."))


@bp.route("/tasks/<int:task_id>/move", methods=["POST"])
def move(task_id: int):
    task = load_task(task_id, for_update=True)
    direction = -1 if request.form.get("direction") == "up" else 1
    try:
        workflow.move_task(current_user, task, direction)
    except ServiceError as error:
        db.session.rollback()
        flash_error(error)
    else:
        db.session.commit()
    return redirect(url_for("directives.show", directive_id=task.directive_id) + "#tasks")


@bp.route("/tasks/<int:task_id>/delete", methods=["POST"])
def delete(task_id: int):
    task = load_task(task_id, for_update=True)
    directive_id = task.directive_id
    try:
        workflow.remove_task(current_user, task)
    except ServiceError as error:
        db.session.rollback()
        flash_error(error)
        return _back(task_id)
    db.session.commit()
    flash(_("The task has been deleted."), "success")
    return redirect(url_for("directives.show", directive_id=directive_id) + "#tasks")


# --- one task with all its details ----------------------------------------------------------

def prepare_task_form(form: TaskForm, issuing_unit: Unit, lead_unit: Unit | None) -> None:
    options = unit_options(issuing_unit)
    form.lead_unit_id.choices = choices(options)
    form.cooperating_unit_ids.choices = choices(options)
    people_root = lead_unit or issuing_unit
    form.assignee_id.choices = choices([(0, _("(nobody: the lead unit's leaders)"))] + user_options(people_root))


def task_data(form: TaskForm) -> workflow.TaskData:
    lead = db.session.get(Unit, form.lead_unit_id.data)
    coop = list(db.session.scalars(select(Unit).where(Unit.id.in_(form.cooperating_unit_ids.data or []))))
    assignee = db.session.get(User, form.assignee_id.data) if form.assignee_id.data else None
    tags = [t.strip() for t in (form.tags.data or "").split(",") if t.strip()]
    every = form.recur_every.data or ""
    return workflow.TaskData(title=form.title.data or "", description=form.description.data or "", lead_unit=lead,
                             cooperating_units=coop, assignee=assignee,
                             deadline=None if form.ongoing.data else form.deadline.data,
                             priority=form.priority.data, tags=tags,
                             recurrence=Recurrence(every, form.recur_day.data, form.recur_until.data) if every else None)


def missing_deadline(form: TaskForm) -> bool:
    if form.recur_every.data:  # a periodic task: each period has its deadline
        return False
    if form.deadline.data is None and not form.ongoing.data and not form.deadline.errors:
        form.deadline.errors = [_("Enter a deadline or tick \"Ongoing\".")]
        return True
    return False


@bp.route("/directives/<int:directive_id>/tasks/new", methods=["GET", "POST"])
def new(directive_id: int):
    """Add one task to a directive, with all its details (the directive page adds several at once)."""
    directive = load_directive(directive_id)
    if not reach.can_edit_directive(current_user, directive):
        abort(403)
    form = TaskForm()
    prepare_task_form(form, directive.issuing_unit, None)
    if form.validate_on_submit() and not missing_deadline(form):
        try:
            task = workflow.add_task(current_user, directive, task_data(form), today())
        except ServiceError as error:
            db.session.rollback()
            apply_errors(form, error, TASK_FIELDS)
        else:
            db.session.commit()
            flash(_("The task has been added."), "success")
            return redirect(url_for("tasks.show", task_id=task.id))
    return render_template("tasks/form.html", form=form, task=None, directive=directive, parent=None)
