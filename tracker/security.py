"""Request hooks: sign-in required everywhere, forced password change, headers."""
from __future__ import annotations

from flask import Flask, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tracker.database import db, set_read_only_request
from tracker.services import audit
from tracker.views_util import MAX_ID

# The largest id: ids are 32-bit integers on PostgreSQL (SQLite overflows past 2**63).
# Endpoints reachable without signing in.
PUBLIC_ENDPOINTS = {"auth.login", "main.healthz", "main.set_language", "static"}
# Endpoints a user who must change their password may still reach.
PASSWORD_CHANGE_ENDPOINTS = {"auth.change_password", "auth.logout", "static", "main.healthz"}

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def init_request_hooks(app: Flask) -> None:
    @app.before_request
    def begin_mode():
        set_read_only_request(request.method in ("GET", "HEAD", "OPTIONS"))
        db.session.info[audit.CLIENT_IP] = request.remote_addr or ""  # what audit events record as "from"

    @app.before_request
    def require_login():
        endpoint = request.endpoint or ""
        if request.blueprint == "api":
            return None  # the API authenticates bearer tokens itself (tracker/api/auth.py)
        if endpoint in PUBLIC_ENDPOINTS or getattr(app.view_functions.get(endpoint), "public", False):
            return None
        if not current_user.is_authenticated:
            return redirect(url_for("auth.login", next=request.full_path if request.query_string else request.path))
        if current_user.must_change_password and endpoint not in PASSWORD_CHANGE_ENDPOINTS:
            flash(_("Please choose a new password before you continue."), "warning")
            return redirect(url_for("auth.change_password"))
        return None

    @app.before_request
    def refuse_nul_characters():
        """A NUL character in a page's query string or form means nothing and no database stores it: 400.

        (The API checks its query strings and JSON bodies against their declarations: 422 naming the field.)
        """
        if request.blueprint == "api":
            return None
        pairs = list(request.args.items(multi=True))
        if request.method not in ("GET", "HEAD", "OPTIONS") and request.mimetype in (
                "application/x-www-form-urlencoded", "multipart/form-data"):
            pairs += list(request.form.items(multi=True))
        if any("\x00" in key or "\x00" in value for key, value in pairs):
            abort(400, description=_("The request holds a NUL character, which no field accepts."))
        return None

    @app.before_request
    def refuse_impossible_ids():
        """An id no database column can hold names nothing: 404, not an overflow error (the API checks its own)."""
        if request.blueprint != "api" and any(isinstance(v, int) and not 0 <= v <= MAX_ID
                                               for v in (request.view_args or {}).values()):
            abort(404)
        return None

    @app.after_request
    def security_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CSP)
        if "frame-ancestors" not in headers["Content-Security-Policy"]:  # a view's own CSP (downloads)
            headers["Content-Security-Policy"] += "; frame-ancestors 'none'"
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        if current_user and getattr(current_user, "is_authenticated", False) and request.endpoint != "static":
            # What a signed-in user sees (pages, downloads, exports) stays out of every cache, shared PCs' too.
            headers["Cache-Control"] = "no-store"
        return response
