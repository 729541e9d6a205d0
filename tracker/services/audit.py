"""Record audit events; the request or job that owns the transaction commits them."""
from __future__ import annotations

from typing import Any

from tracker.extensions import db
from tracker.models import AuditEvent


def record(action: str, *, actor=None, obj=None, object_type: str = "", object_id: int | None = None,
           summary: str = "", changes: dict[str, Any] | None = None, ip: str | None = None) -> AuditEvent:
    """Add an AuditEvent to the session (no commit).

    `actor` defaults to the signed-in user and `ip` to the request's address
    when called inside a request.
    """
    if obj is not None:
        object_type = object_type or obj.__tablename__
        object_id = object_id if object_id is not None else obj.id
    if actor is None or ip is None:
        try:
            from flask import has_request_context, request
            from flask_login import current_user

            if has_request_context():
                if actor is None and current_user.is_authenticated:
                    actor = current_user
                if ip is None:
                    ip = request.remote_addr or ""
        except ImportError:  # pragma: no cover
            pass
    event = AuditEvent(
        action=action,
        actor_id=actor.id if actor is not None else None,
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
