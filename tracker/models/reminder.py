"""Reminder settings, the e-mail outbox and the scheduler's lease.

Reminders are rows: the planner inserts one per (task, recipient, rule,
occurrence, deadline) under a unique key, the dispatcher sends pending rows
and records the outcome. Nothing about them lives in the scheduler.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.database import db
from tracker.models.types import UTCDateTime
from tracker.rules.reminders import DEFAULT_RULES, DEFAULT_SEND_HOUR, ReminderRules
from tracker.timeutil import utcnow

OUTBOX_STATES = ("pending", "sending", "sent", "failed", "cancelled")


class ReminderSettings(db.Model):
    """The admin's reminder rules (one row); its defaults are tracker.rules.reminders.DEFAULT_RULES."""

    __tablename__ = "reminder_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    before_days: Mapped[list[int]] = mapped_column(JSON, default=lambda: list(DEFAULT_RULES.before_days))
    on_day: Mapped[bool] = mapped_column(Boolean, default=DEFAULT_RULES.on_day)
    overdue_first: Mapped[int] = mapped_column(Integer, default=DEFAULT_RULES.overdue_first)
    overdue_every: Mapped[int] = mapped_column(Integer, default=DEFAULT_RULES.overdue_every)
    escalate_after: Mapped[int] = mapped_column(Integer, default=DEFAULT_RULES.escalate_after)
    digest_weekday: Mapped[int] = mapped_column(Integer, default=DEFAULT_RULES.digest_weekday)
    digest_hour: Mapped[int] = mapped_column(Integer, default=DEFAULT_RULES.digest_hour)
    digest_minute: Mapped[int] = mapped_column(Integer, default=DEFAULT_RULES.digest_minute)
    send_hour: Mapped[int] = mapped_column(Integer, default=DEFAULT_SEND_HOUR)  # reminders go out from this hour
    email_enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    inapp_enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @classmethod
    def defaults(cls) -> ReminderSettings:
        """The settings in force while the admin has saved none (not added to the session)."""
        rules = DEFAULT_RULES
        return cls(id=1, before_days=list(rules.before_days), on_day=rules.on_day, overdue_first=rules.overdue_first,
                   overdue_every=rules.overdue_every, escalate_after=rules.escalate_after,
                   digest_weekday=rules.digest_weekday, digest_hour=rules.digest_hour,
                   digest_minute=rules.digest_minute, send_hour=DEFAULT_SEND_HOUR, email_enabled=True,
                   inapp_enabled=True)

    def rules(self) -> ReminderRules:
        """These settings as the pure rules' value (tracker.rules.reminders)."""
        return ReminderRules(before_days=tuple(self.before_days or ()), on_day=self.on_day,
                             overdue_first=self.overdue_first, overdue_every=self.overdue_every,
                             escalate_after=self.escalate_after, digest_weekday=self.digest_weekday,
                             digest_hour=self.digest_hour, digest_minute=self.digest_minute)


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
