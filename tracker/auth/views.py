"""Sign-in, sign-out and password change."""
from __future__ import annotations

import secrets
import unicodedata
from datetime import timedelta
from urllib.parse import urlsplit

from flask import abort, current_app, flash, make_response, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from tracker.auth import bp
from tracker.auth.devices import device_for, set_device_cookie
from tracker.auth.forms import ChangePasswordForm, LoginForm
from tracker.auth.sessions import end_session, start_session
from tracker.database import db
from tracker.models import User
from tracker.models.user import password_method
from tracker.rules.signin import Limits
from tracker.services import audit, signin
from tracker.services.users import revoke_credentials
from tracker.timeutil import utcnow


_UNSAFE_CATEGORIES = {"Cc", "Cf", "Cs", "Zl", "Zp"}  # control, format, surrogate, line and paragraph separators


def safe_next(target: str | None) -> str:
    """Return `target` if it is a path on this site, else the home page (no open redirect).

    Control and format characters (CR/LF, tab, NUL, DEL, line separators, bidi overrides...) never belong in a path we link to: a
    CR/LF would otherwise reach the Location header, and browsers drop tabs and newlines
    from URLs, which turns a slash, a tab and "/evil.example" into "//evil.example".
    """
    if not target or "\\" in target or any(unicodedata.category(c) in _UNSAFE_CATEGORIES for c in target):
        return url_for("dashboard.home")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return url_for("dashboard.home")
    return target


_DUMMY_HASHES: dict[str, str] = {}


def _check_password(user: User | None, password: str) -> bool:
    """Check `password` against `user`'s hash, spending the same time when there is no such user.

    An unknown username must not answer faster than a wrong password, or the
    response time would tell which usernames exist.
    """
    if user is not None and user.password_hash:
        return user.check_password(password)
    method = password_method()
    if method not in _DUMMY_HASHES:
        _DUMMY_HASHES[method] = generate_password_hash(secrets.token_urlsafe(16), method=method)
    check_password_hash(_DUMMY_HASHES[method], password)
    return False


def _limits() -> Limits:
    config = current_app.config
    return Limits(max_failures=config["LOGIN_MAX_FAILURES"], slow_after=config["LOGIN_SLOW_AFTER"],
                  window=timedelta(minutes=config["LOGIN_LOCK_MINUTES"]),
                  per_address=config["LOGIN_MAX_FAILURES_PER_IP"],
                  per_account=config["LOGIN_MAX_FAILURES_PER_ACCOUNT"])


def _refused(form, verdict, user: User | None, username: str):
    """Answer an attempt a sign-in limit stops before its password is checked (the same for any username)."""
    if verdict.outcome == "address":
        abort(429)
    audit.record("auth.login_failed", actor=user, object_type="user",
                 object_id=user.id if user else None, summary=username)
    db.session.commit()
    if verdict.outcome == "wait":
        flash(ngettext("Too many failed sign-in attempts. Please wait %(num)d second before trying again.",
                       "Too many failed sign-in attempts. Please wait %(num)d seconds before trying again.",
                       verdict.seconds), "error")
        response = make_response(render_template("auth/login.html", form=form), 429)
        response.headers["Retry-After"] = str(verdict.seconds)
        return response
    flash(_("Too many failed sign-in attempts. Sign-in is locked for %(minutes)d minutes.",
            minutes=current_app.config["LOGIN_LOCK_MINUTES"]), "error")
    return render_template("auth/login.html", form=form), 200


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")))
    form = LoginForm()
    if form.validate_on_submit():
        username = form.username.data.strip().lower()
        signin.serialize(username)
        ip, now, limits = request.remote_addr or "", utcnow(), _limits()
        device = signin.trusted_device(username, device_for(username), now, limits)
        verdict = signin.check(username, ip, device, now, limits)
        user = db.session.scalar(select(User).where(User.username == username))
        if verdict.outcome != "check":
            return _refused(form, verdict, user, username)
        ok = _check_password(user, form.password.data) and user.active
        signin.record(username, ip, device, ok, now)
        if not ok:
            audit.record("auth.login_failed", actor=user, object_type="user",
                         object_id=user.id if user else None, summary=username)
            db.session.commit()
            flash(_("Wrong username or password."), "error")
            return render_template("auth/login.html", form=form), 200
        if user.password_needs_rehash():
            user.set_password(form.password.data)
        start_session(user, remember=form.remember.data)
        audit.record("auth.login", actor=user, obj=user)
        db.session.commit()
        if user.must_change_password:
            response = redirect(url_for("auth.change_password"))
        else:
            response = redirect(safe_next(request.args.get("next")))
        set_device_cookie(response, username)
        return response
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    if current_user.is_authenticated:
        audit.record("auth.logout", actor=current_user._get_current_object(), obj=current_user._get_current_object())
    end_session()
    db.session.commit()
    flash(_("You have signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/password", methods=["GET", "POST"])
def change_password():
    form = ChangePasswordForm()
    form.username_for_policy = current_user.username
    if form.validate_on_submit():
        if not current_user.check_password(form.current_password.data):
            form.current_password.errors.append(_("The current password is not correct."))
        else:
            user = current_user._get_current_object()
            user.set_password(form.new_password.data)
            user.must_change_password = False
            revoked = revoke_credentials(user, actor=user, keep_token=session.get("sid"))
            audit.record("auth.password_changed", actor=user, obj=user)
            db.session.commit()
            flash(_("Your password has been changed. Other browsers have been signed out."), "success")
            if revoked:
                flash(_("Your API tokens and calendar links have been revoked with the old password. "
                        "Make new ones on your profile page."), "warning")
                return redirect(url_for("main.profile") + "#api-tokens")
            return redirect(url_for("dashboard.home"))
    return render_template("auth/change_password.html", form=form)
