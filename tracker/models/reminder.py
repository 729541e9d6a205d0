"""Reminder settings, the e-mail outbox and the scheduler's lease.

Reminders are rows: the planner inserts one per (task, recipient, rule,
occurrence, deadline) under a unique key, the dispatcher sends pending rows
and records the outcome. Nothing about them lives in the scheduler.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import db
from tracker.models.types import UTCDateTime
from tracker.timeutil import utcnow

OUTBOX_STATES = ("pending", "sending", "sent", "failed", "cancelled")


class ReminderSettings(db.Model):
    """The admin's reminder rules (one row); defaults as in domain.md."""

    __tablename__ = "reminder_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    before_days: Mapped[list[int]] = mapped_column(JSON, default=lambda: [7, 3, 1])
    on_day: Mapped[bool] = mapped_column(Boolean, default=True)
    overdue_first: Mapped[int] = mapped_column(Integer, default=1)
    overdue_every: Mapped[int] = mapped_column(Integer, default=3)
    escalate_after: Mapped[int] = mapped_column(Integer, default=10)
    digest_weekday: Mapped[int] = mapped_column(Integer, default=0)
    digest_hour: Mapped[int] = mapped_column(Integer, default=7)
    digest_minute: Mapped[int] = mapped_column(Integer, default=30)
    send_hour: Mapped[int] = mapped_column(Integer, default=7)  # reminders go out from this local hour
    email_enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    inapp_enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


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
    planned_for: Mapped[date] = mapped_column(Date)
    to_addr: Mapped[str] = mapped_column(String(255))
    subject: Mapped[str] = mapped_column(String(500))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text, default="")
    message_id: Mapped[str] = mapped_column(String(255))
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


class SchedulerLease(db.Model):
    """Which scheduler process runs the jobs, until when (for databases without advisory locks)."""

    __tablename__ = "scheduler_lease"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    holder: Mapped[str] = mapped_column(String(120))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
