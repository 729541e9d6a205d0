"""Task pages: the lists, one task with its history, and every action on it."""
from __future__ import annotations

from dataclasses import replace
from datetime import date

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from tracker import uploads
from tracker.database import db
from tracker.forms import choices
from tracker.models import (
    AuditEvent,
    Directive,
    ExtensionRequest,
    ProgressUpdate,
    Task,
    Unit,
    User,
)
from tracker.page_cache import count_cache
from tracker.paging import Page
from tracker.params import a_date, page_args
from tracker.rules import reach
from tracker.rules.recurrence import Recurrence
from tracker.rules.status import (
    deadline_on,
    due_soon_flag,
    facts_of,
    may_be_due_soon,
    part_facts_of,
    part_status_on,
    status_on,
)
from tracker.services import audit, recurrence, workflow
from tracker.services import summary as task_summary
from tracker.services.errors import ServiceError
from tracker.services.queries import (
    TaskFilters,
    directive_numbered,
    filters_key,
    from_args,
    list_page,
    match_count,
    status_counts,
    visible_directive,
)
from tracker.tasks import bp, exports
from tracker.tasks.render import task_rows
from tracker.tasks.forms import (
    AssignForm,
    CompletionForm,
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
    due_soon_rules,
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


def _list_filters() -> tuple[TaskFilters, Directive | None]:
    """The list's filters, with the document they name if the viewer may see it: a number typed in the
    filter bar that is one document's picks that document (its tasks, its name in the heading)."""
    filters = filters_from_args("mine" if current_user.role == "staff" else "all")
    directive = visible_directive(current_user, filters.directive_id)
    if directive is None and filters.doc.strip():
        directive = directive_numbered(current_user, filters.doc)
        if directive is not None:
            filters = replace(filters, directive_id=directive.id, doc="")
    if directive is None or directive.published:
        # A draft's tasks count nowhere: they are listed (as "Bản nháp") only on the draft's own list.
        filters = replace(filters, published_only=True)
    return filters, directive


def _days_overdue(rows, filters: TaskFilters, day: date) -> dict[int, int]:
    """Days since the deadline (in force on the list's day) of each overdue row, as the dashboard counts."""
    on = filters.as_of or day
    late = {}
    for task, status in rows:
        if status == "overdue" and task.directive.published:
            deadline = task.deadline if on >= day else deadline_on(facts_of(task), on)
            if deadline is not None:
                late[task.id] = (on - deadline).days
    return late


def _list_subject(filters: TaskFilters, directive: Directive | None, rows) -> list[tuple[str, str]]:
    """What the list is filtered by, in words: the document, units and person (for its heading)."""
    named = []
    if directive is not None:
        named.append((_("Document"), directive.number))
    elif filters.doc.strip():
        named.append((_("Document"), filters.doc.strip()))
    for label, unit in ((_("Unit"), filters.unit), (_("Lead unit"), filters.lead_unit),
                        (_("Issuing unit"), filters.issuing_unit), (_("Cooperating unit"), filters.cooperating_unit)):
        if unit is not None:
            named.append((label, unit.name))
    # A person is named only where the list shows their tasks anyway (never an id's owner out of reach).
    if filters.assignee is not None and (filters.assignee.id == current_user.id or rows):
        named.append((_("Assignee"), filters.assignee.full_name))
    return named


def _list_counts(filters: TaskFilters, day: date, limit: int) -> tuple[dict[str, int] | None, int]:
    """The list's counts by status (None beyond `limit` tasks in reach) and how many tasks it holds
    (`limit` + 1 for "more than"): kept per worker until the data changes (tracker.page_cache), so
    paging, sorting and switching statuses count once, and a list opened again counts nothing.
    """
    def count() -> tuple[dict[str, int] | None, int]:
        if task_summary.unit_list_exceeds(db.session, current_user, filters, day, limit):
            # A unit's list of more than `limit` tasks: not read to find it out (its matches are counted below).
            if not filters.status:
                return None, limit + 1
            matches = task_summary.unit_counts(db.session, current_user, filters, day, statuses=filters.status)
            if matches is not None:
                return None, min(sum(matches.values()), limit + 1)
            return None, match_count(db.session, current_user, filters, day, limit)
        # Every task's list, or a unit's, for whoever sees every task; a unit's list in one's reach: from the
        # summary (the tasks a unit only cooperates on counted beside it).
        counts = task_summary.list_counts(db.session, current_user, filters, day)
        if counts is None:
            counts = task_summary.unit_counts(db.session, current_user, filters, day)
        if counts is not None:
            matching = sum(n for status, n in counts.items() if not filters.status or status in filters.status)
            if sum(counts.values()) <= limit:
                return counts, matching
            return None, min(matching, limit + 1) if filters.status else limit + 1
        counts, counted = status_counts(db.session, current_user, filters, day, limit=limit)
        if counted:
            return counts, sum(n for status, n in counts.items() if not filters.status or status in filters.status)
        # More than `limit` tasks in reach: a status filter's matches are counted alone, up to the limit.
        return None, match_count(db.session, current_user, filters, day, limit) if filters.status else limit + 1

    # The filters as the query string writes them (page and page size apart), with the user and the day.
    return count_cache().get_or_compute(db.session, ("task-list-counts", current_user.id, day, limit,
                                                     *filters_key(filters)), count)


@bp.route("/tasks")
def index():
    filters, directive = _list_filters()
    day = today()
    number, per_page = page_args(request.args)
    limit = current_app.config["TASK_LIST_COUNT_LIMIT"]
    counts, total = _list_counts(filters, day, limit)
    # Plain rows (TaskRow) unless the list is of a past day: its overdue days need each task's deadline history.
    plain = filters.as_of is None or filters.as_of >= day
    rows, total = list_page(db.session, current_user, filters, day, number, per_page, total, limit, plain=plain)
    page = Page(rows, number, per_page, min(total, limit), more=total > limit)
    due_soon = set()
    # For a past day the flag would need each row's deadline history; it is shown on the task page. The
    # calendar and the reminder rules are read only for a page with a row that may be due soon (none of an
    # overdue list's).
    candidates = [(task, status) for task, status in rows if may_be_due_soon(status, task.deadline)] \
        if filters.as_of is None or filters.as_of >= day else []
    if candidates:
        calendar, rules = due_soon_rules()
        due_soon = {task.id for task, status in candidates
                    if due_soon_flag(status, task.deadline, day, calendar, rules)}
    scope = current_user.unit if not reach.is_admin(current_user) else db.session.scalar(
        select(Unit).where(Unit.parent_id.is_(None)).order_by(Unit.id))
    # The exports take the list's own query string: exactly what it shows, on every page.
    export_args = {k: v for k, v in request.args.to_dict(flat=False).items() if k not in ("page", "per_page")}
    return render_template("tasks/index.html", page=page, rows=rows, filters=filters,
                           counts=counts,
                           due_soon=due_soon, days_overdue=_days_overdue(rows, filters, day),
                           directive=directive, subject=_list_subject(filters, directive, rows),
                           export_args=export_args,
                           unit_options=unit_options_html(scope, filters.unit.id if filters.unit else None)
                           if scope else "",
                           today=day, args=request.args, task_rows=task_rows)


EXPORT_LIMIT = 10_000  # rows of one export (a province holds ~40,000 tasks; a list this long is refiltered)


def _export_rows():
    """(values rows, the filters in words) of the whole filtered list, in the list's order."""
    filters, directive = _list_filters()
    day = today()
    rows, _total = list_page(db.session, current_user, filters, day, 1, EXPORT_LIMIT, None, EXPORT_LIMIT)
    rows = rows[:EXPORT_LIMIT]
    late = _days_overdue(rows, filters, day)
    values = [exports.values(n, task, status, late.get(task.id)) for n, (task, status) in enumerate(rows, start=1)]
    described = [("Danh sách", "Nhiệm vụ"), ("Số liệu tính đến ngày", (filters.as_of or day).strftime("%d/%m/%Y"))]
    with force_locale("vi"):
        described += [(label, name) for label, name in _list_subject(filters, directive, rows)]
    described += [("Người xuất", current_user.full_name), ("Số nhiệm vụ", str(len(rows)))]
    return values, described, day


def _download(data: bytes, mimetype: str, name: str) -> Response:
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@bp.route("/tasks/export.xlsx")
def export_xlsx():
    """The filtered list, exactly as /tasks shows it (all its pages), as an Excel workbook."""
    values, described, day = _export_rows()
    return _download(exports.xlsx(values, described),
                     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                     f"danh-sach-nhiem-vu-{day.isoformat()}.xlsx")


@bp.route("/tasks/export.csv")
def export_csv():
    """The filtered list, exactly as /tasks shows it (all its pages), as CSV (UTF-8 with BOM)."""
    values, _described, day = _export_rows()
    return _download("".join(exports.csv_text(values)).encode("utf-8"), "text/csv; charset=utf-8",
                     f"danh-sach-nhiem-vu-{day.isoformat()}.csv")


# The task page always shows the task's document: read in the task's own query. (Its reports' files in one
# query each, with selectinload, measured slower than the lazy loads they replace, even at five reports.)
PAGE_OPTIONS = (joinedload(Task.directive),)


@bp.route("/tasks/<int:task_id>")
def show(task_id: int):
    return render_task(load_task(task_id, options=PAGE_OPTIONS))


def render_task(task, progress_form: ProgressForm | None = None, code: int = 200, **forms):
    """Render the task page; a failed form (`progress_form`, or `forms` by name) keeps what the user typed,
    with its errors beside its fields."""
    day = today()
    as_of = _date_arg("as_of")
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
    my_part = reach.cooperating_part(current_user, task)
    part_form = None
    if my_part is not None and task.directive.published and reach.can_assign_part(current_user, my_part):
        part_form = AssignForm(assignee_id=my_part.assignee_id or 0)
        part_form.assignee_id.choices = choices([(0, _("(nobody: the unit's leaders)"))] + user_options(my_part.unit))
    return render_template(
        "tasks/show.html", task=task, status=status, as_of=as_of, today=day, occurrences=occurrences,
        parts=part_table(task, facts, as_of or day), my_part=my_part, part_form=part_form,
        due_soon=due_soon_flag(status, deadline_on(facts, as_of or day), as_of or day, *due_soon_rules()),
        subtasks=[sub for sub in task.subtasks if reach.can_view_task(current_user, sub)],
        history=history, history_names=audit.people_names(history), progress_form=progress_form or ProgressForm(),
        **{"note_form": NoteForm(formdata=None), "reason_form": ReasonForm(formdata=None),
           "cancel_form": ReasonForm(formdata=None), "return_form": ReasonForm(formdata=None),
           "extension_form": ExtensionForm(formdata=None), "decision_form": DecisionForm(formdata=None),
           "respond_form": RespondForm(formdata=None), **forms},
        assign_form=assign_form, accept=uploads.ACCEPT,
        can_report=reach.can_report(current_user, task), can_contribute=reach.can_contribute(current_user, task),
        can_decide=reach.can_decide(current_user, task, secretaries_decide),
        is_issuer=reach.is_issuer(current_user, task), can_assign=can_assign,
        can_split=reach.can_split(current_user, task)), code


def part_table(task, facts, day: date) -> list[dict]:
    """The cooperating parts the viewer may follow: all for the lead side and the issuer, else their own."""
    everyone = reach.is_issuer(current_user, task) or reach.is_lead_side(current_user, task) \
        or reach.is_admin(current_user)
    mine = reach.cooperating_part(current_user, task)
    rows = []
    for part in task.parts_in_order:
        if not everyone and part is not mine:
            continue
        last = next((u for u in task.updates if u.contribution and u.unit.path.startswith(part.unit.path)), None)
        rows.append({"part": part, "deadline": part.deadline_in_force, "last": last,
                     "status": part_status_on(facts, part_facts_of(part), day)})
    return rows


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


def _store_files(record, files, attach) -> list:
    """Store the uploaded `files` of `record` (`attach(record, attachment)` links each one); the caller writes
    them to the disk once flushed. A refused file raises the upload's ServiceError: nothing is saved."""
    pending = []
    for storage in files or []:
        if storage and storage.filename:
            attachment, data = uploads.store(storage, current_user.id)
            attach(record, attachment)
            db.session.add(attachment)
            pending.append((attachment, data))
    db.session.flush()
    for attachment, data in pending:
        uploads.write_file(attachment, data)
    return pending


def _disk_full() -> None:
    db.session.rollback()
    flash(_("The attachments could not be saved (the server's disk may be full). Nothing was saved; "
            "please try again."), "error")


def _run_with_files(task_id: int, action, files, attach, success: str):
    """`_run` for an action whose record takes uploaded files: `attach(record, attachment)` links each one.

    A refused file or a failed write saves nothing, as for progress reports.
    """
    task = load_task(task_id, for_update=True)
    try:
        _store_files(action(task), files, attach)
    except ServiceError as error:
        db.session.rollback()
        flash_error(error)
    except OSError:
        _disk_full()
    else:
        db.session.commit()
        flash(success, "success")
    return _back(task_id)


def _run_form(task_id: int, form, name: str, action, success: str, anchor: str = "", files=None, attach=None):
    """Run a task action from `form`: its errors (the form's or the service's) come back beside its fields
    on the task page (rendered as `name`), the way the progress report's do. With `files`, the record the
    action returns takes them (`attach(record, attachment)`), as in `_run_with_files`."""
    task = load_task(task_id, for_update=True)
    if form.validate():
        try:
            record = action(task)
            if files is not None:
                _store_files(record, files, attach)
        except ServiceError as error:
            db.session.rollback()
            if not any(name in form for name in error.fields):  # about the task, not the form: flashed
                flash_error(error)
                return _back(task_id, anchor)
            apply_errors(form, error)
        except OSError:
            _disk_full()
            return _back(task_id, anchor)
        else:
            db.session.commit()
            flash(success, "success")
            return _back(task_id, anchor)
    return render_task(load_task(task_id), code=422, **{name: form})


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
    if form.validate_on_submit() and not missing_deadline(form) and (details := part_details(form)) is not None:
        try:
            workflow.update_task(current_user, task, task_data(form, details), today(),
                                 expected_version=int(form.version.data or 0), reason=form.reason.data or "")
        except ServiceError as error:
            db.session.rollback()
            apply_errors(form, error, TASK_FIELDS)
            if error.status == 409:
                return render_template("tasks/form.html", form=form, task=task, directive=task.directive,
                                       parent=task.parent, conflict=True, parts=part_rows(form, task)), 409
        else:
            db.session.commit()
            flash(_("The task has been saved."), "success")
            return _back(task.id)
    return render_template("tasks/form.html", form=form, task=task, directive=task.directive, parent=task.parent,
                           parts=part_rows(form, task))


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
    if form.validate_on_submit() and not missing_deadline(form) and (details := part_details(form)) is not None:
        try:
            task = workflow.add_task(current_user, parent.directive, task_data(form, details), today(), parent=parent)
        except ServiceError as error:
            db.session.rollback()
            apply_errors(form, error, TASK_FIELDS)
        else:
            db.session.commit()
            flash(_("The sub-task has been created."), "success")
            return _back(task.id)
    return render_template("tasks/form.html", form=form, task=None, directive=parent.directive, parent=parent,
                           parts=part_rows(form))


@bp.route("/tasks/<int:task_id>/assign", methods=["POST"])
def assign(task_id: int):
    form = AssignForm()
    assignee = db.session.get(User, form.assignee_id.data) if form.assignee_id.data else None
    version = int(form.version.data) if (form.version.data or "").isdigit() else None
    return _run(task_id, lambda t: workflow.assign(current_user, t, assignee, expected_version=version,
                                                   note=form.note.data or ""),
                _("The assignee has been saved."))


@bp.route("/tasks/<int:task_id>/parts/<int:unit_id>/assign", methods=["POST"])
def assign_part(task_id: int, unit_id: int):
    form = AssignForm()
    task = load_task(task_id, for_update=True)
    part = next((p for p in task.cooperating_parts if p.unit_id == unit_id), None)
    if part is None:
        abort(404)
    assignee = db.session.get(User, form.assignee_id.data) if form.assignee_id.data else None
    try:
        workflow.assign_part(current_user, task, part, assignee)
    except ServiceError as error:
        db.session.rollback()
        flash_error(error)
    else:
        db.session.commit()
        flash(_("The person in charge of your unit's part has been saved."), "success")
    return _back(task_id, "#report")


@bp.route("/tasks/<int:task_id>/updates", methods=["POST"])
def post_update(task_id: int):
    task = load_task(task_id, for_update=True)
    form = ProgressForm()
    if not form.validate():
        return render_task(task, form, 422)
    try:
        update = workflow.post_update(current_user, task, workflow.UpdateData(
            progress=form.progress.data, results=form.results.data or "", difficulties=form.difficulties.data or "",
            proposals=form.proposals.data or "", report_number=form.report_number.data or "",
            part_done=bool(form.part_done.data) and reach.can_contribute(current_user, task)), today())
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
        apply_errors(form, error)
        return render_task(load_task(task_id), form, 422)
    except OSError:
        db.session.rollback()
        flash(_("The attachments could not be saved (the server's disk may be full). Nothing was saved; "
                "please try again."), "error")
        return render_task(load_task(task_id), form, 507)
    db.session.commit()
    flash(_("Your unit's report on its part has been recorded.") if update.contribution else
          _("Your progress report has been recorded."), "success")
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
    form = CompletionForm()
    if not form.validate():  # e.g. a malformed date: said, nothing saved
        for name, errors in form.errors.items():
            for error in errors:
                flash(f"{form[name].label.text}: {error}", "error")
        return _back(task_id, "#complete")
    return _run_with_files(
        task_id, lambda t: workflow.submit_completion(current_user, t, form.note.data or "", today(),
                                                      form.report_number.data or "", form.report_date.data),
        form.attachments.data, lambda report, attachment: setattr(attachment, "completion_report", report),
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
    return _run_form(task_id, form, "return_form",
                     lambda t: workflow.return_completion(current_user, t, form.reason.data or "", today(),
                                                          _secretaries_decide()),
                     _("The report has been returned to the lead unit."))


@bp.route("/tasks/<int:task_id>/cancel", methods=["POST"])
def cancel(task_id: int):
    form = ReasonForm()
    return _run_form(task_id, form, "cancel_form",
                     lambda t: workflow.cancel_task(current_user, t, form.reason.data or "", today(),
                                                    _secretaries_decide()),
                     _("The task has been cancelled."))


@bp.route("/tasks/<int:task_id>/extensions", methods=["POST"])
def request_extension(task_id: int):
    form = ExtensionForm()
    return _run_form(task_id, form, "extension_form",
                     lambda t: workflow.request_extension(current_user, t, form.deadline.data,
                                                          form.reason.data or "", today()),
                     _("Your extension request has been sent to the issuer."), "#extension",
                     files=form.attachments.data, attach=lambda ext, attachment: setattr(attachment, "extension", ext))


@bp.route("/tasks/<int:task_id>/extensions/<int:extension_id>/decide", methods=["POST"])
def decide_extension(task_id: int, extension_id: int):
    form = DecisionForm()
    ext = db.session.get(ExtensionRequest, extension_id)
    if ext is None or ext.task_id != task_id:
        abort(404)
    approve = bool(form.approve.data)
    if form.deadline.raw_data and form.deadline.raw_data[0] and form.deadline.data is None:
        flash(f"{form.deadline.label.text}: {_('Enter a valid date.')}", "error")
        return _back(task_id, "#decide-extension")
    return _run(task_id, lambda t: workflow.decide_extension(current_user, ext, approve, form.note.data or "",
                                                             today(), _secretaries_decide(),
                                                             deadline=form.deadline.data if approve else None),
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


def part_rows(form: TaskForm, task=None) -> list[dict]:
    """The duty and deadline rows of the chosen cooperating units: as posted, else as saved."""
    chosen = form.cooperating_unit_ids.data or []
    units = {u.id: u for u in db.session.scalars(select(Unit).where(Unit.id.in_(chosen)))} if chosen else {}
    saved = {p.unit_id: p for p in task.cooperating_parts} if task is not None else {}
    rows = []
    for unit_id in chosen:
        if unit_id not in units:
            continue
        if request.method == "POST":
            duty = request.form.get(f"part-{unit_id}-duty", "")
            deadline = request.form.get(f"part-{unit_id}-deadline", "")
        else:
            part = saved.get(unit_id)
            duty = part.duty if part else ""
            deadline = part.deadline.isoformat() if part and part.deadline else ""
        rows.append({"unit": units[unit_id], "duty": duty, "deadline": deadline})
    return rows


def part_details(form: TaskForm) -> dict[int, workflow.PartData] | None:
    """Each chosen cooperating unit's duty and own deadline from the form; None (with the error set) if invalid."""
    details = {}
    for unit_id in form.cooperating_unit_ids.data or []:
        duty = request.form.get(f"part-{unit_id}-duty", "")
        raw = request.form.get(f"part-{unit_id}-deadline", "").strip()
        deadline = a_date(raw) if raw else None
        if raw and deadline is None:
            form.cooperating_unit_ids.errors = [_("Enter a valid date for each cooperating unit's deadline.")]
            return None
        if len(duty) > 5000 or any(ord(c) < 32 and c not in "\r\n\t" for c in duty):
            form.cooperating_unit_ids.errors = [_("A cooperating unit's duty is at most 5000 characters of text.")]
            return None
        details[unit_id] = workflow.PartData(duty=duty, deadline=deadline)
    return details


def task_data(form: TaskForm, details: dict[int, workflow.PartData] | None = None) -> workflow.TaskData:
    lead = db.session.get(Unit, form.lead_unit_id.data)
    coop = list(db.session.scalars(select(Unit).where(Unit.id.in_(form.cooperating_unit_ids.data or []))))
    assignee = db.session.get(User, form.assignee_id.data) if form.assignee_id.data else None
    tags = [t.strip() for t in (form.tags.data or "").split(",") if t.strip()]
    every = form.recur_every.data or ""
    return workflow.TaskData(title=form.title.data or "", description=form.description.data or "", lead_unit=lead,
                             cooperating_units=coop, assignee=assignee,
                             deadline=None if form.ongoing.data else form.deadline.data,
                             priority=form.priority.data, tags=tags, part_details=details or {},
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
    if form.validate_on_submit() and not missing_deadline(form) and (details := part_details(form)) is not None:
        try:
            task = workflow.add_task(current_user, directive, task_data(form, details), today())
        except ServiceError as error:
            db.session.rollback()
            apply_errors(form, error, TASK_FIELDS)
        else:
            db.session.commit()
            flash(_("The task has been added."), "success")
            return redirect(url_for("tasks.show", task_id=task.id))
    return render_template("tasks/form.html", form=form, task=None, directive=directive, parent=None,
                           parts=part_rows(form))
