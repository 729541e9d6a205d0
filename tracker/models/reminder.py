"""The admin's reminder settings (one row); the rules they parametrise are tracker.rules.reminders."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, Integer
from sqlalchemy.orm import Mapped, mapped_column

from tracker.database import db
from tracker.models.types import UTCDateTime
from tracker.rules.reminders import DEFAULT_RULES, DEFAULT_SEND_HOUR, ReminderRules
from tracker.timeutil import utcnow


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
