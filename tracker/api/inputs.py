"""Reading requests through their declarations (tracker.schemas): the body, the query string, paging.

Bodies are checked before anything is looked up or changed: malformed JSON
is 400, a body over 1 MB is 413, unknown fields, wrong types and impossible
values are 422 with `fields` naming each one (its first problem, in the
caller's language). Query strings likewise: a bad parameter is 422 naming it.
"""
from __future__ import annotations

import json
import re
from typing import Any, TypeVar

from flask import request
from flask_babel import gettext as _
from pydantic import BaseModel, ValidationError
from sqlalchemy import func, select

from tracker.api.errors import ApiError
from tracker.database import db
from tracker.models import Task, Unit, User
from tracker.rules import reach
from tracker.schemas import MAX_PER_PAGE, Paging, Query, text_problem
from tracker.services.reach_sql import task_visible_clause

MAX_JSON_BYTES = 1024 * 1024
M = TypeVar("M", bound=BaseModel)


def invalid(fields: dict[str, Any], message: str | None = None) -> ApiError:
    return ApiError(422, "invalid", message or _("Please correct the fields listed."), fields)


def bad_request(message: str) -> ApiError:
    return ApiError(400, "bad_request", message)


def too_large() -> ApiError:
    return ApiError(413, "request_entity_too_large", _("The JSON body is over the 1 MB limit."))


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


def body(model: type[M]) -> M:
    """The request's JSON body, checked against its declaration (400, 413 or 422 otherwise)."""
    try:
        return model.model_validate(read_json())
    except ValidationError as error:
        raise invalid(_field_errors(error, model)) from None


def query(model: type[M]) -> M:
    """The query string, checked against its declaration (422 naming each bad parameter)."""
    values: dict[str, Any] = {}
    for name, field in model.model_fields.items():
        if name not in request.args:
            continue
        if _is_list(field.annotation):
            values[name] = [item for value in request.args.getlist(name) for item in value.split(",") if item]
        else:
            values[name] = request.args[name]
    try:
        return model.model_validate(values)
    except ValidationError as error:
        raise invalid(_field_errors(error, model, in_query=True)) from None


def paging(params: Paging) -> tuple[int, int]:
    """(page, per_page) of a list's query; per_page above the maximum is served as the maximum."""
    return params.page, min(params.per_page, MAX_PER_PAGE)


def _is_list(annotation) -> bool:
    return getattr(annotation, "__origin__", None) is list


def _field_errors(error: ValidationError, model: type[BaseModel], in_query: bool = False) -> dict[str, str]:
    """One reason per field, in the caller's language (the first problem found)."""
    fields: dict[str, str] = {}
    for problem in error.errors(include_url=False):
        name = str(problem["loc"][0]) if problem["loc"] else "body"
        if name not in fields:
            fields[name] = _reason(problem, model.model_fields.get(name), in_query)
    return fields


def _reason(problem: dict, field, in_query: bool) -> str:
    kind, ctx = problem["type"], problem.get("ctx") or {}
    if kind == "extra_forbidden":
        return _("Unknown field.")
    if kind == "missing":
        return _("This field is required.")
    if kind in ("value_error", "assertion_error"):
        return str(ctx.get("error", problem["msg"]))
    if problem.get("input", "") is None:
        return _("Must not be null.")
    if kind in ("string_type", "string_sub_type"):
        return _("Must be a string.")
    if kind == "string_too_long":
        return _("At most %(n)d characters.", n=ctx["max_length"])
    if kind == "too_long":
        return _("At most %(n)d items.", n=ctx["max_length"])
    if kind in ("list_type", "tuple_type"):
        return _("Must be a list of strings.")
    if kind == "bool_type" or kind == "bool_parsing":
        return _("Must be true or false.")
    if kind.startswith("int_") or kind in ("greater_than_equal", "less_than_equal"):
        low, high = _bounds(field)
        if in_query or low is not None and high is not None:
            return _("Must be a whole number from %(low)d to %(high)d.", low=low or 0, high=high or 2**31 - 1)
        if kind == "greater_than_equal":
            return _("Must be at least %(n)s.", n=ctx["ge"])
        if kind == "less_than_equal":
            return _("Must be at most %(n)s.", n=ctx["le"])
        return _("Must be an integer.")
    if kind in ("literal_error", "enum"):
        return _("Unknown value (one of %(all)s).", all=ctx.get("expected", "").replace("'", ""))
    return str(problem["msg"])


def _bounds(field) -> tuple[int | None, int | None]:
    low = high = None
    for item in getattr(field, "metadata", []):
        low = getattr(item, "ge", low) if getattr(item, "ge", None) is not None else low
        high = getattr(item, "le", high) if getattr(item, "le", None) is not None else high
    return low, high


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


def known_user(actor: User, username: str, lead_unit: Unit | None = None) -> User | None:
    """The user `username` names if `actor` may know of them, else None, as for a name nobody has.

    An API caller must not learn which usernames exist outside their reach (or they
    could list them and lock them out at sign-in): a person is known to the caller if
    in their reach, assigned to a task they can see, or, when choosing the assignee
    of a task, in its lead unit (the people its form offers). Unit codes are public:
    GET /units lists them all.
    """
    user = find_user(username)
    if user is None or reach.is_admin(actor) or user.id == actor.id or reach.in_reach(actor, user.unit):
        return user
    if lead_unit is not None and user.unit is not None and user.unit.path.startswith(lead_unit.path):
        return user
    seen = db.session.scalar(select(Task.id).where(Task.assignee_id == user.id, task_visible_clause(actor)).limit(1))
    return user if seen is not None else None


def query_unit(params: Query, name: str) -> Unit | None:
    """The unit a query parameter names (422 for an unknown code)."""
    code = getattr(params, name)
    if not code:
        return None
    unit = find_unit(code)
    if unit is None:
        raise invalid({name: _("Unknown unit code: %(code)s", code=code)})
    return unit


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
