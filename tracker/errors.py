"""Error pages (HTML) and JSON errors for the API.

A 403 is recorded in the audit log (`auth.denied`, with the method and
path) in a short transaction of its own, after what the request did has
been rolled back. A database that cannot be reached gives a 503 page (or
JSON under /api/) rendered without touching the database again.
"""
from __future__ import annotations

import json
from typing import Any

from flask import Flask, current_app, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from werkzeug.exceptions import Forbidden, HTTPException

from tracker.database import db, set_read_only_request
from tracker.extensions import login_manager
from tracker.services import audit


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None):
    """A JSON response in readable UTF-8 (Vietnamese is not escaped)."""
    response = current_app.response_class(json.dumps(body, ensure_ascii=False), status=status,
                                          mimetype="application/json")
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def json_error(status: int, code: str, message: str, fields: dict[str, Any] | None = None,
               headers: dict[str, str] | None = None):
    body = {"error": {"code": code, "message": str(message), "fields": {k: str(v) for k, v in (fields or {}).items()}}}
    return json_response(body, status, headers)


def wants_json() -> bool:
    return request.path.startswith("/api/")


def record_denied() -> None:
    """Write one `auth.denied` audit event for this request (never raises).

    The request's own changes are rolled back first: a refused request keeps
    nothing. API views that answer 403 themselves can call this too.
    """
    try:
        db.session.rollback()
        set_read_only_request(False)  # SQLite: the insert begins IMMEDIATE, not as an upgraded read
        audit.record("auth.denied", actor=current_user, summary=f"{request.method} {request.path}"[:500],
                     changes={"method": request.method, "path": request.path[:300],
                              "endpoint": request.endpoint or ""})
        db.session.commit()
    except SQLAlchemyError:
        db.session.rollback()
        current_app.logger.warning("could not record a permission denial for %s", request.path, exc_info=True)


def _forget_user() -> None:
    """Render as anonymous: loading the user (and the unread count) would need the database again."""
    login_manager._update_request_context_with_user(None)


def init_errorhandlers(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        message = _("Your form has expired or was sent from another site. Please reload the page and try again.")
        return render_template("errors/error.html", code=400, message=message), 400

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code == 403:
            record_denied()
        if wants_json():
            return json_error(error.code or 500, error.name.lower().replace(" ", "_"), error.description)
        message = _error_message(error.code)
        if error.code == 403 and getattr(error, "description", None) and error.description != Forbidden.description:
            message = error.description  # the rule's own reason, e.g. "Only the issuer can confirm completion."
        return render_template("errors/error.html", code=error.code, message=message), error.code

    @app.errorhandler(OperationalError)
    def database_down(error):
        try:
            db.session.rollback()
        except SQLAlchemyError:  # the connection may be gone already
            pass
        app.logger.exception("database error")
        _forget_user()  # before anything asks for the user's language or name
        message = _("The database is not reachable right now. Please try again in a moment.")
        if wants_json():
            response = json_error(503, "unavailable", message)
        else:
            response = app.make_response((render_template("errors/error.html", code=503, message=message), 503))
        response.headers["Retry-After"] = "30"
        response.headers["Cache-Control"] = "no-store"
        return response

    @app.errorhandler(Exception)
    def internal_error(error):
        if isinstance(error, HTTPException):
            return http_error(error)
        db.session.rollback()
        app.logger.exception("unhandled error")
        if app.config.get("TESTING") and app.config["PROPAGATE_TEST_ERRORS"]:
            raise error
        if wants_json():
            return json_error(500, "internal_error", "Internal error")
        return render_template("errors/error.html", code=500, message=_error_message(500)), 500


def _error_message(code: int | None) -> str:
    return {
        400: _("The request could not be understood."),
        403: _("You do not have permission to do this."),
        404: _("This page does not exist, or you may not see it."),
        405: _("This action is not allowed here."),
        413: _("The file or request is too large."),
        429: _("Too many attempts. Please wait a few minutes and try again."),
        500: _("Something went wrong on our side. The error has been logged."),
    }.get(code or 500, _("An error occurred."))
