"""Error pages (HTML) and JSON errors for the API."""
from __future__ import annotations

from flask import Flask, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from tracker.extensions import db


def wants_json() -> bool:
    return request.path.startswith("/api/")


def init_errorhandlers(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        message = _("Your form has expired or was sent from another site. Please reload the page and try again.")
        return render_template("errors/error.html", code=400, message=message), 400

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if wants_json():
            from tracker.api.errors import json_error

            return json_error(error.code or 500, error.name.lower().replace(" ", "_"), error.description)
        return render_template("errors/error.html", code=error.code, message=_error_message(error.code)), error.code

    @app.errorhandler(OperationalError)
    def database_down(error):
        db.session.rollback()
        app.logger.exception("database error")
        message = _("The database is not reachable right now. Please try again in a moment.")
        if wants_json():
            from tracker.api.errors import json_error

            return json_error(503, "unavailable", message)
        return render_template("errors/error.html", code=503, message=message), 503

    @app.errorhandler(Exception)
    def internal_error(error):
        if isinstance(error, HTTPException):
            return http_error(error)
        db.session.rollback()
        app.logger.exception("unhandled error")
        if app.config.get("TESTING") and app.config.get("PROPAGATE_TEST_ERRORS", True):
            raise error
        if wants_json():
            from tracker.api.errors import json_error

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
