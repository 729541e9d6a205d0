"""Record audit events; the request or job that owns the transaction commits them.

The caller names the actor (None for the system). The address an event came
from is the `ip` argument, or else the one the request hook wrote into the
session's `info` (tracker.security: each request has its own session), so
the services that record events need know nothing of requests.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import select

from tracker.database import db
from tracker.models import AuditEvent, Unit, User

CLIENT_IP = "client_ip"  # the key of the request's address in `db.session.info`


def record(action: str, *, actor, obj=None, object_type: str = "", object_id: int | None = None,
           summary: str = "", changes: dict[str, Any] | None = None, ip: str | None = None) -> AuditEvent:
    """Add an AuditEvent to the session (no commit)."""
    if obj is not None:
        object_type = object_type or obj.__tablename__
        object_id = object_id if object_id is not None else obj.id
    if ip is None:
        ip = db.session.info.get(CLIENT_IP, "")
    event = AuditEvent(
        action=action,
        actor_id=actor.id if actor is not None and actor.is_authenticated else None,
        object_type=object_type,
        object_id=object_id,
        summary=summary[:500],
        changes=_jsonable(changes or {}),
        ip=ip or "",
    )
    db.session.add(event)
    return event


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def diff(obj, fields: dict[str, Any]) -> dict[str, list[Any]]:
    """Return {field: [old, new]} for the fields whose new value differs, for the log."""
    changes = {}
    for name, new in fields.items():
        old = getattr(obj, name)
        if old != new:
            changes[name] = [old, new]
    return changes


UNIT_FIELDS = ("lead_unit", "cooperating_units", "unit")  # changes that hold unit codes
USER_FIELDS = ("assignee",)  # changes that hold usernames


def people_names(events) -> dict[str, dict[str, str]]:
    """The names behind the codes the events' changes hold: {"unit": {code: name}, "user": {username: full name}}.

    The log keeps stable identifiers (a unit's code, a username); a page shows them as people read them.
    """
    codes: set[str] = set()
    usernames: set[str] = set()
    for event in events:
        for name, change in (event.changes or {}).items():
            bucket = codes if name in UNIT_FIELDS else usernames if name in USER_FIELDS else None
            if bucket is not None:
                bucket.update(_strings(change))
    units = {} if not codes else dict(db.session.execute(
        select(Unit.code, Unit.name).where(Unit.code.in_(sorted(codes)))).all())
    users = {} if not usernames else dict(db.session.execute(
        select(User.username, User.full_name).where(User.username.in_(sorted(usernames)))).all())
    return {"unit": units, "user": users}


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, (list, tuple)):
        return [s for v in value for s in _strings(v)]
    return []
