"""Helpers the blueprints share: loading objects with their permission check, service errors."""
from __future__ import annotations

from flask import abort, flash, has_request_context, request
from flask_login import current_user
from markupsafe import Markup, escape
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from tracker.database import db
from tracker.models import CooperatingPart, Directive, Task, Unit, User, load_calendar
from tracker.page_cache import REFERENCE_ROW, reference_cache, remember_version, version_column
from tracker.rules import reach
from tracker.services import reach_sql
from tracker.services.errors import Forbidden, ServiceError
from tracker.services.notices import unread_sql
from tracker.services.planner import current_rules

MAX_ID = 2**31 - 1  # ids are 32-bit integers on every backend; larger ones name nothing


# A task's cooperating parts with their units and assignees, in one statement (the page and the API show each
# part by its unit and person: loaded lazily, a part's unit and person were one statement each).
PARTS_OPTION = selectinload(Task.cooperating_parts).options(joinedload(CooperatingPart.unit),
                                                             joinedload(CooperatingPart.assignee))


def load_task(task_id: int, for_update: bool = False, user: User | None = None, options=()) -> Task:
    """Return the task if `user` (the signed-in one by default) may see it; 404 otherwise.

    Existence does not leak: a task outside one's reach answers like a missing one. `options`: what else
    to load with it (not with `for_update`).
    """
    if not 0 < task_id <= MAX_ID:
        abort(404)
    stmt = select(Task).where(Task.id == task_id)
    if for_update:
        stmt = stmt.with_for_update()
    else:  # every task page and answer shows them: one query, not three (FOR UPDATE refuses outer joins)
        stmt = stmt.options(joinedload(Task.lead_unit), joinedload(Task.assignee), *options)
    task = db.session.scalar(stmt)
    if task is None or not reach.can_view_task(user or current_user, task):
        abort(404)
    return task


def due_soon_rules():
    """(the working-day calendar, the reminder rules): what "due soon" means (tracker.rules.status.due_soon_flag),
    kept per worker until the reference data changes (tracker.page_cache), so a page reads neither table again."""
    return reference_cache().get_or_compute(db.session, ("due-soon-rules",),
                                            lambda: (load_calendar(), current_rules()))


def signed_in_columns() -> list:
    """SQL columns the sign-in check (a page's session, an API token) reads beside its user and unit (Unit in
    the statement): the data's and the reference data's versions (tracker.page_cache) and whether the user's
    unit holds every unit (reach_sql.subtree_is_everything). `remember_signed_in` keeps what they answered."""
    return [version_column(), version_column(REFERENCE_ROW), reach_sql.everything_sql(Unit)]


def remember_signed_in(user: User, answers) -> None:
    """Keep the answers of `signed_in_columns` (in their order) for the rest of the request."""
    data, reference, everything = answers
    remember_version(db.session, data, reference)
    if user.unit is not None:
        reach_sql.remember_everything(user.unit.path, everything)


def keep_reach_units(user: User) -> None:
    """The ids of the units in `user`'s reach, kept per worker until the units change, given to this
    request's session (reach_sql.reach_unit_id_list: search checks each window row against them): no
    statement of their own once kept."""
    if user.unit is None:
        return
    ids = reference_cache().get_or_compute(db.session, ("reach-units", reach.reach_path(user)),
                                           lambda: tuple(reach_sql.reach_unit_id_list(user)))
    reach_sql.remember_reach_units(user, list(ids))


def load_directive(directive_id: int, user: User | None = None) -> Directive:
    """Return the directive if `user` (the signed-in one by default) may see it; 404 otherwise."""
    if not 0 < directive_id <= MAX_ID:
        abort(404)
    directive = db.session.get(Directive, directive_id)
    if directive is None or not reach.can_view_directive(user or current_user, directive):
        abort(404)
    return directive


def apply_errors(form, error: ServiceError, field_map: dict[str, str] | None = None) -> None:
    """Show a service error on the form: field messages beside their fields, the rest as a flash."""
    if isinstance(error, Forbidden):
        abort(403, description=error.message)
    shown = False
    for name, message in error.fields.items():
        target = (field_map or {}).get(name, name)
        if target in form:
            form[target].errors = list(form[target].errors) + [message]
            shown = True
    if not shown or not error.fields:
        flash(error.message, "error")


def flash_error(error: ServiceError) -> None:
    """For one-button actions: flash the message (and field reasons)."""
    if isinstance(error, Forbidden):
        abort(403, description=error.message)
    details = "; ".join(error.fields.values())
    flash(f"{error.message} {details}".strip(), "error")


def unit_options(root: Unit, every_unit: list[Unit] | None = None) -> list[tuple[int, str]]:
    """Active units of `root`'s subtree, indented, in tree order (picked from `every_unit`, every unit
    of the tree already loaded, when given)."""
    if every_unit is not None:
        units = [u for u in every_unit if u.path.startswith(root.path) and u.active]
    else:  # plain rows, not Unit objects: a province's picker lists ~170 units on every list page
        units = db.session.execute(select(Unit.id, Unit.parent_id, Unit.sort_key, Unit.name, Unit.path)
                                   .where(Unit.path.startswith(root.path, autoescape=True),
                                          Unit.active.is_(True))).all()
    base = root.path.count("/")
    return [(u.id, "\u2003" * (u.path.count("/") - base) + u.name) for u in tree_order(units)]


def unit_options_html(root: Unit, selected: int | None) -> Markup:
    """The <option>s of `unit_options(root)`, `selected` marked: kept per worker until the units change."""
    return reference_cache().get_or_render(db.session, ("unit-options", root.id, selected),
                                           lambda: options_html(unit_options(root), selected))


def options_html(choices: list[tuple[int, str]], selected: int | None) -> Markup:
    """The <option>s of a unit picker's `choices` (`unit_options`), `selected` marked. Plain strings with the
    names escaped: Markup.format per option took 2 of the 3 ms of a province's picker."""
    return Markup("".join(f'<option value="{int(value)}"{" selected" if value == selected else ""}>'
                          f'{escape(label)}</option>' for value, label in choices))


def tree_order(units: list) -> list:
    """Sort units (or rows with id, parent_id and sort_key) depth-first, siblings by their Vietnamese sort key."""
    by_parent: dict[int | None, list[Unit]] = {}
    ids = {u.id for u in units}
    for unit in units:
        parent = unit.parent_id if unit.parent_id in ids else None
        by_parent.setdefault(parent, []).append(unit)
    ordered: list[Unit] = []

    def walk(parent):
        for unit in sorted(by_parent.get(parent, []), key=lambda u: u.sort_key):
            ordered.append(unit)
            walk(unit.id)

    walk(None)
    return ordered


def user_options(root: Unit) -> list[tuple[int, str]]:
    """Active users of `root`'s subtree, by unit then name."""
    rows = db.session.execute(
        select(User.id, User.full_name, Unit.short_name, Unit.name).join(User.unit)
        .where(Unit.path.startswith(root.path, autoescape=True), User.active.is_(True))
        .order_by(Unit.path, User.sort_key)).all()  # plain rows: a department lists ~150 people
    return [(user_id, f"{full_name} — {short_name or name}") for user_id, full_name, short_name, name in rows]


_UNREAD = "tracker.unread_notifications"  # the request's bell count: (user id, count)


def bell_count(user: User) -> int:
    """The user's unread notifications, counted once per request (a page made of two templates, as the
    dashboard's kept body and its frame, asks twice; a GET's sign-in may have read it: `remember_bell_count`)."""
    if not has_request_context():
        return db.session.scalar(unread_sql(user.id)) or 0
    counted = request.environ.get(_UNREAD)
    if counted is None or counted[0] != user.id:
        counted = request.environ[_UNREAD] = (user.id, db.session.scalar(unread_sql(user.id)) or 0)
    return counted[1]


def remember_bell_count(user_id: int, count: int) -> None:
    """Keep the count read with the signed-in user (a GET changes no notification before its page shows it)."""
    request.environ[_UNREAD] = (user_id, count)
