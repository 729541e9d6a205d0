"""Reading requests: the JSON body (1 MB at most), its fields, query parameters, paging.

Bodies are checked before anything is looked up or changed: malformed JSON
is 400, a body over 1 MB is 413, unknown fields, wrong types and impossible
values are 422 with `fields` naming each one. Text is refused when it holds
characters no database can store (NUL, lone surrogates).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import request
from flask_babel import gettext as _
from sqlalchemy import func, select

from tracker.api.errors import ApiError
from tracker.database import db
from tracker.models import Unit, User
from tracker.views_util import MAX_ID

MAX_JSON_BYTES = 1024 * 1024
MAX_PER_PAGE = 200
DEFAULT_PER_PAGE = 50
MAX_PAGE = 1_000_000
MIN_YEAR, MAX_YEAR = 1900, 2999  # dates outside make no sense here and overflow calendar arithmetic
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def invalid(fields: dict[str, Any], message: str | None = None) -> ApiError:
    return ApiError(422, "invalid", message or _("Please correct the fields listed."), fields)


def bad_request(message: str) -> ApiError:
    return ApiError(400, "bad_request", message)


def read_json() -> dict[str, Any]:
    """Return the request's JSON object ({} for an empty body)."""
    length = request.content_length
    if length is not None and length > MAX_JSON_BYTES:
        raise too_large()
    data = request.stream.read(MAX_JSON_BYTES + 1)
    if len(data) > MAX_JSON_BYTES:
        raise too_large()
    if not data.strip():
        return {}
    try:
        body = json.loads(data)
    except (ValueError, RecursionError):
        raise bad_request(_("The body is not valid JSON.")) from None
    if not isinstance(body, dict):
        raise bad_request(_("The body must be a JSON object."))
    return body


def too_large() -> ApiError:
    return ApiError(413, "request_entity_too_large", _("The JSON body is over the 1 MB limit."))


def text_problem(value: str) -> str | None:
    """Why `value` cannot be stored, or None."""
    if "\x00" in value:
        return _("Must not contain NUL characters.")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return _("Must be valid Unicode text.")
    return None


def parse_date(value: Any) -> date:
    """Parse YYYY-MM-DD within the supported years; ValueError with a message otherwise."""
    if not isinstance(value, str) or not _DATE.match(value):
        raise ValueError(_("Must be a date as YYYY-MM-DD."))
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise ValueError(_("This date does not exist.")) from None
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise ValueError(_("The year must be between %(first)d and %(last)d.", first=MIN_YEAR, last=MAX_YEAR))
    return day


@dataclass(frozen=True)
class Field:
    """One field of a request body."""

    kind: str  # "string", "date", "integer", "string_list"
    required: bool = False
    nullable: bool = False
    max_length: int | None = None
    max_items: int = 100


def parse_body(body: dict[str, Any], spec: dict[str, Field]) -> dict[str, Any]:
    """Check `body` against `spec`; return the fields present, converted (dates parsed)."""
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    for name in body:
        if name not in spec:
            errors[name] = _("Unknown field.")
    for name, field in spec.items():
        if name not in body:
            if field.required:
                errors[name] = _("This field is required.")
            continue
        value = body[name]
        if value is None:
            if field.nullable:
                values[name] = None
            else:
                errors[name] = _("Must not be null.")
            continue
        try:
            values[name] = _convert(value, field)
        except ValueError as error:
            errors[name] = str(error)
    if errors:
        raise invalid(errors)
    return values


def _convert(value: Any, field: Field) -> Any:
    if field.kind == "string":
        return _string(value, field.max_length)
    if field.kind == "date":
        return parse_date(value)
    if field.kind == "integer":
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(_("Must be an integer."))
        return value
    if field.kind == "string_list":
        if not isinstance(value, list):
            raise ValueError(_("Must be a list of strings."))
        if len(value) > field.max_items:
            raise ValueError(_("At most %(n)d items.", n=field.max_items))
        return [_string(item, field.max_length) for item in value]
    raise AssertionError(field.kind)  # pragma: no cover


def _string(value: Any, max_length: int | None) -> str:
    if not isinstance(value, str):
        raise ValueError(_("Must be a string."))
    problem = text_problem(value)
    if problem:
        raise ValueError(problem)
    if max_length is not None and len(value) > max_length:
        raise ValueError(_("At most %(n)d characters.", n=max_length))
    return value


# --- looking up what requests name ------------------------------------------------------------

def find_unit(code: str) -> Unit | None:
    if text_problem(code) or len(code) > 40:
        return None
    return db.session.scalar(select(Unit).where(func.lower(Unit.code) == code.strip().lower()))


def unit_or_error(code: str, name: str, errors: dict[str, str]) -> Unit | None:
    unit = find_unit(code)
    if unit is None:
        errors[name] = _("Unknown unit code: %(code)s", code=code[:40])
    return unit


def find_user(username: str) -> User | None:
    if text_problem(username) or len(username) > 80:
        return None
    return db.session.scalar(select(User).where(User.username == username.strip().lower()))


# --- query parameters -------------------------------------------------------------------------

def query_text(name: str, max_length: int = 200) -> str:
    value = request.args.get(name, "")
    problem = text_problem(value)
    if problem:
        raise invalid({name: problem})
    if len(value) > max_length:
        raise invalid({name: _("At most %(n)d characters.", n=max_length)})
    return value


def query_date(name: str) -> date | None:
    if name not in request.args:
        return None
    value = request.args[name]
    try:
        return parse_date(value)
    except ValueError as error:
        raise invalid({name: str(error)}) from None


def query_int(name: str, default: int | None = None, low: int = 1, high: int = MAX_ID) -> int | None:
    if name not in request.args:
        return default
    value = request.args[name]
    if not re.fullmatch(r"[0-9]{1,10}", value) or not low <= int(value) <= high:
        raise invalid({name: _("Must be a whole number from %(low)d to %(high)d.", low=low, high=high)})
    return int(value)


def query_unit(name: str) -> Unit | None:
    code = query_text(name, 40)
    if not code:
        return None
    unit = find_unit(code)
    if unit is None:
        raise invalid({name: _("Unknown unit code: %(code)s", code=code)})
    return unit


def paging() -> tuple[int, int]:
    """Return (page, per_page) from the query string; per_page above the maximum is capped."""
    page = query_int("page", 1, 1, MAX_PAGE)
    per_page = query_int("per_page", DEFAULT_PER_PAGE, 1, 10**9)
    return page, min(per_page, MAX_PER_PAGE)


def expected_version(body_version: int | None) -> int | None:
    """The version a write is based on: the If-Match header or the body's `version` field."""
    header = request.headers.get("If-Match", "").strip()
    header_version = None
    if header:
        tag = header[2:] if header.startswith("W/") else header
        tag = tag.strip('"')
        if not re.fullmatch(r"[0-9]{1,10}", tag):
            raise invalid({"If-Match": _("Send the task's version, as returned in its ETag.")})
        header_version = int(tag)
    if header_version is not None and body_version is not None and header_version != body_version:
        raise invalid({"version": _("The If-Match header and the version field disagree.")})
    return header_version if header_version is not None else body_version
