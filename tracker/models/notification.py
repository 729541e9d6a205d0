"""In-app notifications: the bell with its unread count."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.database import db
from tracker.models.types import UTCDateTime
from tracker.timeutil import utcnow


class Notification(db.Model):
    """A message for one user about one task (assignment, return, decision, reminder), or about their tasks
    in one directive (its publication: `directive_id`, and `task_id` only when it gives them one task)."""

    __tablename__ = "notification"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    kind: Mapped[str] = mapped_column(String(40))
    task_id: Mapped[int | None] = mapped_column(ForeignKey("task.id"))
    directive_id: Mapped[int | None] = mapped_column(ForeignKey("directive.id"))
    title: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)  # reminders: once per key

    user: Mapped["User"] = relationship()  # noqa: F821
    task: Mapped["Task | None"] = relationship()  # noqa: F821
    directive: Mapped["Directive | None"] = relationship()  # noqa: F821

    __table_args__ = (Index("ix_notification_user_read", "user_id", "read_at", "created_at"),)
