"""The audit log: append-only, who did what, when (UTC) and from where."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, event
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from tracker.database import db
from tracker.models.types import UTCDateTime
from tracker.timeutil import utcnow


class AuditEvent(db.Model):
    """One recorded action. Rows are never updated or deleted by the app."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    action: Mapped[str] = mapped_column(String(60), index=True)
    object_type: Mapped[str] = mapped_column(String(40), default="")
    object_id: Mapped[int | None] = mapped_column()
    summary: Mapped[str] = mapped_column(String(500), default="")
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    ip: Mapped[str] = mapped_column(String(64), default="")

    actor: Mapped["User | None"] = relationship()  # noqa: F821

    __table_args__ = (Index("ix_audit_event_object", "object_type", "object_id"),)


class AuditLogIsAppendOnly(Exception):
    """Raised when code tries to change or delete an audit row."""


@event.listens_for(Session, "do_orm_execute")
def _refuse_bulk_audit_changes(state) -> None:
    """Bulk UPDATE or DELETE statements on the audit log are refused too."""
    if (state.is_update or state.is_delete) and any(
            getattr(m.class_, "__tablename__", None) == "audit_event" for m in state.all_mappers):
        raise AuditLogIsAppendOnly("audit events cannot be changed or deleted")


@event.listens_for(Session, "before_flush")
def _refuse_audit_changes(session: Session, flush_context, instances) -> None:
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, AuditEvent) and (obj in session.deleted or session.is_modified(obj)):
            raise AuditLogIsAppendOnly("audit events cannot be changed or deleted")
