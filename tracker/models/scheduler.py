"""Which scheduler process runs the jobs, until when (for databases without advisory locks)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from tracker.database import db
from tracker.models.types import UTCDateTime


class SchedulerLease(db.Model):
    """Which scheduler process runs the jobs, until when (for databases without advisory locks)."""

    __tablename__ = "scheduler_lease"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    holder: Mapped[str] = mapped_column(String(120))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
