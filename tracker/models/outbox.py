"""The e-mail outbox: one row per message to send, exactly once per `dedupe_key`.

Reminders are rows: the planner inserts one per (task, recipient, rule,
occurrence, deadline) under a unique key, the dispatcher (tracker.dispatch)
sends pending rows and records the outcome. Nothing about them lives in the
scheduler.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.database import db
from tracker.models.types import UTCDateTime
from tracker.timeutil import utcnow

OUTBOX_STATES = ("pending", "sending", "sent", "failed", "cancelled")


class OutboxMessage(db.Model):
    """One e-mail to send, exactly once per `dedupe_key`, with its delivery history."""

    __tablename__ = "outbox_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    dedupe_key: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(40))  # the reminder rule, "digest", or an event kind
    occurrence: Mapped[int] = mapped_column(Integer, default=1)
    task_id: Mapped[int | None] = mapped_column(ForeignKey("task.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    deadline: Mapped[date | None] = mapped_column(Date)
    part_unit_id: Mapped[int | None] = mapped_column(Integer)  # a cooperating part's reminder: its unit
    planned_for: Mapped[date] = mapped_column(Date)
    to_addr: Mapped[str] = mapped_column(String(255))
    subject: Mapped[str] = mapped_column(String(500))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text, default="")
    message_id: Mapped[str] = mapped_column(String(255))
    # A reminder queued unrendered: what it is rendered from when sent (the template, days left, period);
    # None when the subject and bodies were rendered as it was queued.
    data: Mapped[dict | None] = mapped_column(JSON)
    state: Mapped[str] = mapped_column(String(10), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str] = mapped_column(String(1000), default="")
    attempt_log: Mapped[list] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped["User"] = relationship()  # noqa: F821
    task: Mapped["Task | None"] = relationship()  # noqa: F821

    __table_args__ = (Index("ix_outbox_state_next", "state", "next_attempt_at"),)
