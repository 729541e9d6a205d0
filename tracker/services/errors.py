"""Errors the services raise; pages turn them into form errors or flashes, the API into JSON."""
from __future__ import annotations


class ServiceError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, message: str, fields: dict[str, str] | None = None):
        super().__init__(str(message))
        self.message = str(message)
        self.fields = {k: str(v) for k, v in (fields or {}).items()}


class Forbidden(ServiceError):
    """The actor may not do this (403)."""

    status = 403
    code = "forbidden"


class Invalid(ServiceError):
    """Field values are invalid (422); `fields` says which and why."""

    status = 422
    code = "invalid"


class Conflict(ServiceError):
    """An illegal state change or a stale version (409)."""

    status = 409
    code = "conflict"
