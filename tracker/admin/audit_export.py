"""The audit log as CSV (/admin/audit.csv): the filters of /admin/audit, every matching row.

UTF-8 with a byte-order mark so spreadsheet programs read Vietnamese
correctly; text a spreadsheet would evaluate as a formula (a cell starting
with =, +, -, @, tab or carriage return) gets a leading apostrophe. Rows
are read in batches; reading the log writes nothing (no GET changes state).
"""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from datetime import timezone

from flask import Response, request
from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload

from tracker import params
from tracker.admin import bp
from tracker.database import db
from tracker.models import AuditEvent, User
from tracker.timeutil import to_local, utcnow

HEADERS = ["id", "time_utc", "time_local", "username", "full_name", "action", "object_type", "object_id",
           "summary", "changes", "ip"]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def audit_filters() -> dict:
    """The filters of the audit page, read from the query string."""
    return {
        "action": request.args.get("action", "").strip(),
        "actor": request.args.get("actor", "").strip().lower(),
        "object_type": request.args.get("object_type", "").strip(),
        "object_id": params.an_id(request.args.get("object_id")),
    }


def audit_select(action: str = "", actor: str = "", object_type: str = "", object_id: int | None = None) -> Select:
    """Audit events matching the filters, newest first (the same rules as /admin/audit)."""
    stmt = select(AuditEvent).outerjoin(AuditEvent.actor)
    if action:
        stmt = stmt.where(AuditEvent.action.startswith(action, autoescape=True))
    if actor:
        stmt = stmt.where(User.username == actor)
    if object_type:
        stmt = stmt.where(AuditEvent.object_type == object_type)
    if object_id:
        stmt = stmt.where(AuditEvent.object_id == object_id)
    return stmt.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())


def safe_cell(value) -> str:
    """A cell's text, with formula injection neutralised."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    if text.startswith(FORMULA_START):
        return "'" + text
    return text


def event_row(event: AuditEvent) -> list:
    at = event.at.astimezone(timezone.utc) if event.at is not None else None
    local = to_local(at)
    changes = json.dumps(event.changes or {}, ensure_ascii=False, sort_keys=True) if event.changes else ""
    return [event.id, at.isoformat() if at else "", local.isoformat() if local else "",
            event.actor.username if event.actor else "", event.actor.full_name if event.actor else "",
            event.action, event.object_type, event.object_id, event.summary, changes, event.ip]


def csv_lines(events: Iterable[AuditEvent]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate(0)
        return text

    writer.writerow(HEADERS)
    yield "\ufeff" + flush()
    for n, event in enumerate(events, start=1):
        writer.writerow([safe_cell(v) for v in event_row(event)])
        if n % 500 == 0:
            yield flush()
    yield flush()


@bp.route("/audit.csv")
def audit_csv():
    stmt = audit_select(**audit_filters()).options(joinedload(AuditEvent.actor))
    # Built before answering (not streamed from an open cursor): the request's transaction ends with it.
    events = db.session.scalars(stmt.execution_options(yield_per=1000))
    data = "".join(csv_lines(events)).encode("utf-8")
    name = f"audit-{to_local(utcnow()):%Y%m%d-%H%M}.csv"
    response = Response(data, mimetype="text/csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"
    return response
