"""Profile, language switch and health check (the home page is the dashboard's)."""
from __future__ import annotations

from flask import current_app, flash, jsonify, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import text

from tracker.database import db
from tracker.main import bp
from tracker.main.forms import ProfileForm
from tracker.rules.preferences import GROUPS, channels
from tracker.services import audit


@bp.route("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any failure means "not healthy"
        db.session.rollback()
        return jsonify(status="error", database="unreachable"), 503
    return jsonify(status="ok", database="ok")


@bp.route("/favicon.ico")
def favicon():
    """Browsers ask for /favicon.ico whatever the page says: the app's icon, not a 404 on every page."""
    response = current_app.send_static_file("favicon.svg")
    response.cache_control.max_age = 86400
    return response


favicon.public = True  # the sign-in page has it too (tracker.security honours this)


@bp.route("/language", methods=["POST"])
def set_language():
    lang = request.form.get("lang", "")
    if lang in current_app.config["LANGUAGES"]:
        session["lang"] = lang
        if current_user.is_authenticated:
            current_user.language = lang
            db.session.commit()
    return redirect(request.referrer if request.referrer and request.referrer.startswith(request.host_url)
                    else url_for("dashboard.home"))


@bp.route("/profile", methods=["GET", "POST"])
def profile():
    user = current_user._get_current_object()
    current = channels(user.role, user.notification_prefs)
    form = ProfileForm(obj=user, **{f"pref_{group}": value for group, value in current.items()})
    if form.validate_on_submit():
        chosen = {group: getattr(form, f"pref_{group}").data for group in GROUPS}
        changes = audit.diff(user, {"language": form.language.data,
                                    "email_notifications": form.email_notifications.data})
        if chosen != current:
            changes["notification_prefs"] = [current, chosen]
        user.language = form.language.data
        user.email_notifications = form.email_notifications.data
        user.notification_prefs = chosen
        if changes:
            audit.record("user.profile", actor=current_user, obj=user, changes=changes)
        db.session.commit()
        flash(_("Your profile has been saved."), "success")
        return redirect(url_for("main.profile"))
    return render_template("main/profile.html", form=form, user=user, groups=GROUPS)
