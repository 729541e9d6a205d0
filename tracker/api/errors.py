"""The API's error shape: {"error": {"code", "message", "fields"}}."""
from __future__ import annotations

from typing import Any

from flask import jsonify


class ApiError(Exception):
    """Raised by API views; rendered as the contract's JSON error."""

    def __init__(self, status: int, code: str, message: str, fields: dict[str, Any] | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.fields = status, code, message, fields or {}


def json_error(status: int, code: str, message: str, fields: dict[str, Any] | None = None):
    body = {"error": {"code": code, "message": message, "fields": fields or {}}}
    return jsonify(body), status
