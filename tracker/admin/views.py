"""Admin pages: units, users, audit log."""
from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, or_, select

from tracker import params
from tracker.admin import bp
from tracker.admin.audit_export import audit_filters, audit_select
from tracker.admin.forms import CHANGE_FORMS, TemporaryPasswordForm, UnitForm, UserForm
from tracker.database import db
from tracker.forms import choices
from tracker.models import AuditEvent, OutboxMessage, Unit, UnitChange, UnitChangeMember, User
from tracker.paging import Page
from tracker.params import page_args
from tracker.services import audit
from tracker.services import units as unit_changes
from tracker.services.errors import Invalid
from tracker.services.units import district_refused, unit_blockers
from tracker.services.users import revoke_credentials, revoke_sessions
from tracker.text import like_pattern
from tracker.timeutil import format_date, today


def _per_page() -> int:
    return min(max((params.whole(request.args.get("per_page"), 1, 10**9) or 25), 1), 200)


def _tree_positions() -> dict[int, int]:
    """Return each unit's position in the tree read top-down, siblings in Vietnamese name order.

    Ordering by the materialised path would compare ids as text ("/1/10/" before
    "/1/2/"), so the tree is walked here instead.
    """
    children: dict[int | None, list[tuple[str, int]]] = defaultdict(list)
    for unit_id, parent_id, sort_key in db.session.execute(select(Unit.id, Unit.parent_id, Unit.sort_key)):
        children[parent_id].append((sort_key, unit_id))
    positions: dict[int, int] = {}
    stack = sorted(children[None], reverse=True)
    while stack:
        _, unit_id = stack.pop()
        if unit_id in positions:  # never loop, whatever the data
            continue
        positions[unit_id] = len(positions)
        stack.extend(sorted(children[unit_id], reverse=True))
    return positions


def _in_tree_order(units: list[Unit]) -> list[Unit]:
    positions = _tree_positions()
    return sorted(units, key=lambda u: (positions.get(u.id, len(positions)), u.id))


def _unit_choices(exclude: Unit | None = None, blank: str | None = None) -> list:
    units = _in_tree_order(db.session.scalars(select(Unit)).all())
    pairs = [(0, blank)] if blank is not None else []
    for unit in units:
        if exclude is not None and exclude.id is not None and unit.path.startswith(exclude.path):
            continue
        pairs.append((unit.id, "\u2003" * unit.depth + unit.name + ("" if unit.active else f" ({_('inactive')})")))
    return choices(pairs)


# --- units -------------------------------------------------------------------------------

@bp.route("/")
def home():
    """The admin's home page: each part of the administration, with the figures that need attention."""

    def count(stmt) -> int:
        return db.session.scalar(stmt) or 0

    figures = {
        "units": count(select(func.count()).select_from(Unit).where(Unit.active.is_(True))),
        "users": count(select(func.count()).select_from(User).where(User.active.is_(True))),
        "inactive_users": count(select(func.count()).select_from(User).where(User.active.is_(False))),
        "failed_mail": count(select(func.count()).select_from(OutboxMessage).where(OutboxMessage.state == "failed")),
        "pending_mail": count(select(func.count()).select_from(OutboxMessage).where(OutboxMessage.state == "pending")),
    }
    recent = db.session.scalars(select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(8)).all()
    return render_template("admin/home.html", figures=figures, recent=recent)


@bp.route("/units")
def units():
    q = request.args.get("q", "").strip()
    kind = request.args.get("kind", "")
    status = request.args.get("status", "")
    stmt = select(Unit)
    if q:
        stmt = stmt.where(Unit.search_text.like(like_pattern(q), escape="\\"))
    if kind:
        stmt = stmt.where(Unit.kind == kind)
    if status == "active":
        stmt = stmt.where(Unit.active.is_(True))
    elif status == "inactive":
        stmt = stmt.where(Unit.active.is_(False))
    elif status == "former":
        stmt = stmt.where(Unit.ended_on.is_not(None))
    if q:
        page = db.paginate(stmt.order_by(Unit.sort_key, Unit.id), page=params.whole(request.args.get("page"), 1, params.MAX_PAGE) or 1,
                           per_page=_per_page(), error_out=False)
    else:
        units = _in_tree_order(db.session.scalars(stmt).all())
        number, per_page = page_args(request.args)
        page = Page(units[(number - 1) * per_page:number * per_page], number, per_page, len(units))
    return render_template("admin/units.html", page=page, q=q, kind=kind, status=status,
                           history=_histories([u.id for u in page.items]), one_day=timedelta(days=1))


def _histories(unit_ids: list[int]) -> dict[int, list[UnitChange]]:
    """The changes each unit took part in, oldest first: the tree shows them beside the unit."""
    if not unit_ids:
        return {}
    rows = db.session.execute(select(UnitChangeMember.unit_id, UnitChange).join(UnitChange)
                              .where(UnitChangeMember.unit_id.in_(unit_ids))
                              .order_by(UnitChange.effective_on, UnitChange.id)).all()
    result: dict[int, list[UnitChange]] = defaultdict(list)
    for unit_id, change in rows:
        if change not in result[unit_id]:
            result[unit_id].append(change)
    return result


def _apply_unit_form(form: UnitForm, unit: Unit) -> dict:
    aliases = [a.strip() for a in (form.aliases.data or "").splitlines() if a.strip()]
    fields = {"code": form.code.data.strip(), "name": form.name.data.strip(),
              "short_name": (form.short_name.data or "").strip(), "kind": form.kind.data,
              "aliases": aliases, "email": (form.email.data or "").strip(), "active": form.active.data,
              "started_on": form.started_on.data}
    changes = audit.diff(unit, fields) if unit.id else {}
    for name, value in fields.items():
        setattr(unit, name, value)
    unit.refresh_search()
    return changes


def _validate_unit(form: UnitForm, unit: Unit) -> Unit | None | bool:
    """Check uniqueness and the tree; return the new parent, or False on an error."""
    code = form.code.data.strip()
    taken = db.session.scalar(select(Unit).where(func.lower(Unit.code) == code.lower(), Unit.id != (unit.id or 0)))
    if taken:
        form.code.errors.append(_("This code is already used by %(name)s.", name=taken.name))
    parent = db.session.get(Unit, form.parent_id.data) if form.parent_id.data else None
    if unit.id and unit.would_cycle(parent):
        form.parent_id.errors.append(_("A unit cannot be placed under itself or one of its sub-units."))
    if not form.active.data and unit.id:
        blockers = unit_blockers(unit, for_delete=False)
        if blockers:
            form.active.errors.append(_("This unit still has %(what)s; move or close them first.",
                                        what=", ".join(map(str, blockers))))
    if form.kind.data == "district" and unit.kind != "district":
        refused = district_refused("district", form.started_on.data, today())
        if refused:
            form.kind.errors.append(refused)
    if taken or form.parent_id.errors or form.active.errors or form.kind.errors:
        return False
    return parent


@bp.route("/units/new", methods=["GET", "POST"])
def unit_new():
    form = UnitForm()
    form.parent_id.choices = _unit_choices(blank=_("(none: top of the tree)"))
    if request.method == "GET" and params.an_id(request.args.get("parent")):
        form.parent_id.data = params.an_id(request.args.get("parent"))
    if form.validate_on_submit():
        unit = Unit()
        parent = _validate_unit(form, unit)
        if parent is not False:
            _apply_unit_form(form, unit)
            db.session.add(unit)
            db.session.flush()
            unit.set_parent(parent)
            audit.record("unit.create", actor=current_user, obj=unit, summary=unit.name)
            db.session.commit()
            flash(_("Unit %(name)s has been created.", name=unit.name), "success")
            return redirect(url_for("admin.units"))
    return render_template("admin/unit_form.html", form=form, unit=None)


@bp.route("/units/<int:unit_id>/edit", methods=["GET", "POST"])
def unit_edit(unit_id: int):
    unit = db.get_or_404(Unit, unit_id)
    form = UnitForm(obj=unit)
    # The page offers no parent inside the unit's own subtree; a posted one is accepted by the
    # field so that _validate_unit can say clearly why it is refused.
    form.parent_id.choices = _unit_choices(exclude=None if request.method == "POST" else unit,
                                           blank=_("(none: top of the tree)"))
    if request.method == "GET":
        form.aliases.data = "\n".join(unit.aliases or [])
        form.parent_id.data = unit.parent_id or 0
    if form.validate_on_submit():
        parent = _validate_unit(form, unit)
        if parent is not False:
            changes = _apply_unit_form(form, unit)
            if (parent.id if parent else None) != unit.parent_id:
                changes["parent"] = [unit.parent.code if unit.parent else None, parent.code if parent else None]
                unit.set_parent(parent)
            audit.record("unit.update", actor=current_user, obj=unit, summary=unit.name, changes=changes)
            db.session.commit()
            flash(_("Unit %(name)s has been saved.", name=unit.name), "success")
            return redirect(url_for("admin.units"))
    form.parent_id.choices = _unit_choices(exclude=unit, blank=_("(none: top of the tree)"))
    if form.parent_id.data not in {choice.value for choice in form.parent_id.choices}:
        form.parent_id.data = unit.parent_id or 0  # show the current parent, not a refused one
    return render_template("admin/unit_form.html", form=form, unit=unit,
                           blockers=unit_blockers(unit, for_delete=True))


@bp.route("/units/<int:unit_id>/delete", methods=["POST"])
def unit_delete(unit_id: int):
    unit = db.get_or_404(Unit, unit_id)
    blockers = unit_blockers(unit, for_delete=True)
    if blockers:
        flash(_("%(name)s cannot be deleted because it has %(what)s. Deactivate it instead.",
                name=unit.name, what=", ".join(map(str, blockers))), "error")
        return redirect(url_for("admin.unit_edit", unit_id=unit.id))
    audit.record("unit.delete", actor=current_user, obj=unit, summary=unit.name, changes={"code": unit.code})
    db.session.delete(unit)
    db.session.commit()
    flash(_("Unit %(name)s has been deleted.", name=unit.name), "success")
    return redirect(url_for("admin.units"))


def _living_choices(unit: Unit, blank: str | None = None) -> list:
    """The units that may take over from `unit`: living, outside its subtree, in tree order."""
    units = [u for u in _in_tree_order(db.session.scalars(select(Unit).where(Unit.ended_on.is_(None))).all())
             if not u.path.startswith(unit.path)]
    pairs = [(0, blank)] if blank is not None else []
    pairs += [(u.id, "\u2003" * u.depth + u.name) for u in units]
    return choices(pairs)


@bp.route("/units/<int:unit_id>/rename", methods=["GET", "POST"])
def unit_rename(unit_id: int):
    return unit_change(unit_id, "rename")


@bp.route("/units/<int:unit_id>/merge", methods=["GET", "POST"])
def unit_merge(unit_id: int):
    return unit_change(unit_id, "merge")


@bp.route("/units/<int:unit_id>/split", methods=["GET", "POST"])
def unit_split(unit_id: int):
    return unit_change(unit_id, "split")


@bp.route("/units/<int:unit_id>/dissolve", methods=["GET", "POST"])
def unit_dissolve(unit_id: int):
    return unit_change(unit_id, "dissolve")


def unit_change(unit_id: int, kind: str):
    """Rename, merge, split or dissolve a unit from a date, by a decision."""
    unit = db.get_or_404(Unit, unit_id)
    if unit.ended_on is not None:
        flash(_("%(name)s no longer exists: it ended on %(day)s.", name=unit.name, day=format_date(unit.ended_on)),
              "error")
        return redirect(url_for("admin.units"))
    form = CHANGE_FORMS[kind]()
    if kind in ("merge", "dissolve"):
        form.into.choices = _living_choices(unit, blank=_("(choose)"))
    elif kind == "split":
        form.into.choices = _living_choices(unit)
        form.tasks_to.choices = _living_choices(unit, blank=_("(the first successor)"))
    tasks = unit_changes.open_tasks_of(unit) if kind == "split" else []
    if request.method == "GET" and kind == "rename":
        form.name.data, form.short_name.data = unit.name, unit.short_name
    if form.validate_on_submit():
        try:
            result = _apply_change(kind, form, unit, tasks)
        except Invalid as refused:
            db.session.rollback()
            for name, problem in refused.fields.items():
                target = getattr(form, name, None) if name not in ("unit", "units") else None
                (target.errors if target is not None else form.form_errors).append(problem)
        else:
            db.session.commit()
            if kind == "rename":
                flash(_("%(former)s is now named %(name)s.", former=result.change.former_name, name=unit.name),
                      "success")
            else:
                flash(_("The change of %(name)s has been saved: %(tasks)d open tasks, %(users)d users and "
                        "%(units)d sub-units passed on.", name=unit.name, tasks=result.tasks, users=result.users,
                        units=result.sub_units), "success")
            return redirect(url_for("admin.units"))
    return render_template("admin/unit_change.html", form=form, unit=unit, kind=kind, tasks=tasks,
                           chosen={t.id: params.an_id(request.form.get(f"task-{t.id}")) for t in tasks})


def _apply_change(kind: str, form, unit: Unit, tasks) -> unit_changes.ChangeResult:
    common = {"on": form.on.data, "decision": form.decision.data or "", "today": today()}
    if kind == "rename":
        return unit_changes.rename_unit(current_user, unit, form.name.data, short_name=form.short_name.data or "",
                                        **common)
    if kind == "split":
        successors = [db.session.get(Unit, i) for i in form.into.data or []]
        main = db.session.get(Unit, form.tasks_to.data) if form.tasks_to.data else None
        targets = {}
        for task in tasks:
            chosen = params.an_id(request.form.get(f"task-{task.id}"))
            if chosen:
                targets[task.id] = db.get_or_404(Unit, chosen)
        return unit_changes.split_unit(current_user, unit, successors, tasks_to=main, task_targets=targets, **common)
    successor = db.session.get(Unit, form.into.data) if form.into.data else None
    if successor is None:
        raise Invalid(_("The change was not saved."), {"into": _("Choose the successor.")})
    if kind == "merge":
        return unit_changes.merge_units(current_user, [unit], successor, **common)
    return unit_changes.dissolve_unit(current_user, unit, successor, **common)


# --- users -------------------------------------------------------------------------------

@bp.route("/users")
def users():
    q = request.args.get("q", "").strip()
    role = request.args.get("role", "")
    unit_id = (params.an_id(request.args.get("unit")) or 0)
    status = request.args.get("status", "")
    stmt = select(User).join(User.unit)
    if q:
        pattern = like_pattern(q)
        stmt = stmt.where(or_(User.search_text.like(pattern, escape="\\"), Unit.search_text.like(pattern, escape="\\")))
    if role:
        stmt = stmt.where(User.role == role)
    if unit_id:
        unit = db.session.get(Unit, unit_id)
        if unit:
            stmt = stmt.where(Unit.path.startswith(unit.path))
    if status == "active":
        stmt = stmt.where(User.active.is_(True))
    elif status == "inactive":
        stmt = stmt.where(User.active.is_(False))
    stmt = stmt.order_by(User.sort_key, User.username)
    page = db.paginate(stmt, page=params.whole(request.args.get("page"), 1, params.MAX_PAGE) or 1, per_page=_per_page(), error_out=False)
    return render_template("admin/users.html", page=page, q=q, role=role, unit_id=unit_id, status=status,
                           unit_choices=_unit_choices(blank=_("All units")))


def _validate_user(form: UserForm, user: User) -> bool:
    username = form.username.data.strip().lower()
    taken = db.session.scalar(select(User).where(User.username == username, User.id != (user.id or 0)))
    if taken:
        form.username.errors.append(_("This username is already taken."))
    unit = db.session.get(Unit, form.unit_id.data)
    if unit is None:
        form.unit_id.errors.append(_("Choose a unit."))
    elif not unit.active and (user.unit_id != unit.id):
        form.unit_id.errors.append(_("This unit is inactive."))
    if user.id == current_user.id and (form.role.data != "admin" or not form.active.data):
        form.role.errors.append(_("You cannot remove your own administrator rights or deactivate yourself."))
    return not (taken or form.unit_id.errors or form.role.errors)


def _apply_user_form(form: UserForm, user: User) -> dict:
    fields = {"username": form.username.data.strip().lower(), "full_name": form.full_name.data.strip(),
              "email": form.email.data.strip(), "unit_id": form.unit_id.data, "role": form.role.data,
              "position_title": (form.position_title.data or "").strip(), "language": form.language.data,
              "active": form.active.data}
    changes = audit.diff(user, fields) if user.id else {}
    for name, value in fields.items():
        setattr(user, name, value)
    user.refresh_search()
    return changes


@bp.route("/users/new", methods=["GET", "POST"])
def user_new():
    form = UserForm()
    form.unit_id.choices = _unit_choices()
    if request.method == "GET" and params.an_id(request.args.get("unit")):
        form.unit_id.data = params.an_id(request.args.get("unit"))
    if form.validate_on_submit():
        user = User()
        if not form.password.data:
            form.password.errors.append(_("Give a temporary password; the user changes it at first sign-in."))
        elif _validate_user(form, user):
            _apply_user_form(form, user)
            user.set_password(form.password.data)
            user.must_change_password = True
            db.session.add(user)
            db.session.flush()
            audit.record("user.create", actor=current_user, obj=user, summary=user.username,
                         changes={"role": user.role, "unit": user.unit_id})
            db.session.commit()
            flash(_("User %(name)s has been created.", name=user.username), "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, user=None)


@bp.route("/users/<int:user_id>/edit", methods=["GET", "POST"])
def user_edit(user_id: int):
    user = db.get_or_404(User, user_id)
    form = UserForm(obj=user)
    form.unit_id.choices = _unit_choices()
    if form.validate_on_submit() and _validate_user(form, user):
        was_active = user.active
        changes = _apply_user_form(form, user)
        if form.password.data:
            user.set_password(form.password.data)
            user.must_change_password = True
            changes["password"] = ["***", "(temporary)"]
        if form.password.data:
            revoke_credentials(user, actor=current_user)  # sessions, API tokens and calendar links
        elif (was_active and not user.active) or "role" in changes:
            revoke_sessions(user)
        action = "user.role_change" if "role" in changes else "user.update"
        audit.record(action, actor=current_user, obj=user, summary=user.username, changes=changes)
        db.session.commit()
        flash(_("User %(name)s has been saved.", name=user.username), "success")
        return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, user=user, password_form=TemporaryPasswordForm())


@bp.route("/users/<int:user_id>/active", methods=["POST"])
def user_set_active(user_id: int):
    user = db.get_or_404(User, user_id)
    active = request.form.get("active") == "1"
    if user.id == current_user.id and not active:
        flash(_("You cannot deactivate yourself."), "error")
        return redirect(url_for("admin.users"))
    if user.active != active:
        user.active = active
        if not active:
            revoke_sessions(user)
        audit.record("user.activate" if active else "user.deactivate", actor=current_user, obj=user, summary=user.username)
        db.session.commit()
    flash((_("User %(name)s has been activated.", name=user.username) if active
           else _("User %(name)s has been deactivated and signed out.", name=user.username)), "success")
    return redirect(request.form.get("back") if (request.form.get("back") or "").startswith("/admin/")
                    else url_for("admin.users"))


@bp.route("/users/<int:user_id>/password", methods=["POST"])
def user_temporary_password(user_id: int):
    user = db.get_or_404(User, user_id)
    form = TemporaryPasswordForm()
    form.username_for_policy = user.username
    if not form.validate_on_submit():
        for error in form.password.errors:
            flash(error, "error")
        return redirect(url_for("admin.user_edit", user_id=user.id))
    user.set_password(form.password.data)
    user.must_change_password = True
    revoke_credentials(user, actor=current_user)  # sessions, API tokens and calendar links
    audit.record("user.temporary_password", actor=current_user, obj=user, summary=user.username)
    db.session.commit()
    flash(_("A temporary password has been set for %(name)s; they must change it at the next sign-in.",
            name=user.username), "success")
    return redirect(url_for("admin.user_edit", user_id=user.id))


# --- audit log ---------------------------------------------------------------------------

@bp.route("/audit")
def audit_log():
    filters = audit_filters()
    page = db.paginate(audit_select(**filters), page=params.whole(request.args.get("page"), 1, params.MAX_PAGE) or 1, per_page=_per_page(),
                       error_out=False)
    return render_template("admin/audit.html", page=page, action=filters["action"], actor=filters["actor"],
                           object_type=filters["object_type"], object_id=filters["object_id"] or "",
                           history_names=audit.people_names(page.items))


