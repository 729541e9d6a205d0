"""The API's error shape: {"error": {"code", "message", "fields"}}.

Codes: `bad_request` (400, malformed JSON or parameters), `unauthorized`
(401), `forbidden` (403), `not_found` (404), `conflict` (409, stale version
or illegal state change), `request_entity_too_large` (413), `invalid` (422,
`fields` names each bad field and why). Errors raised by the workflow
(tracker.services.errors) keep their message and fields, so pages and API
say the same thing.
"""
from __future__ import annotations

from typing import Any

from flask import Blueprint

from tracker.database import db
from tracker.errors import json_error, record_denied
from tracker.services.errors import ServiceError


class ApiError(Exception):
    """Raised by API views; rendered as the contract's JSON error."""

    def __init__(self, status: int, code: str, message: str, fields: dict[str, Any] | None = None,
                 headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status, self.code, self.message = status, code, str(message)
        self.fields = {k: str(v) for k, v in (fields or {}).items()}
        self.headers = headers or {}


def init_error_handlers(bp: Blueprint) -> None:
    """Render ApiError and the workflow's errors as JSON; nothing of a failed request is kept."""

    @bp.errorhandler(ApiError)
    def api_error(error: ApiError):
        _refused(error.status)
        return json_error(error.status, error.code, error.message, error.fields, error.headers)

    @bp.errorhandler(ServiceError)
    def service_error(error: ServiceError):
        _refused(error.status)
        return json_error(error.status, error.code, error.message, error.fields)


def _refused(status: int) -> None:
    """Drop what the request did; a 403 is logged as the pages log it (`auth.denied`, when the app does)."""
    db.session.rollback()
    if status == 403:
        record_denied()
