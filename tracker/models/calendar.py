"""Days the admin adds to the working-day calendar: extra days off and make-up working days."""
from __future__ import annotations

from datetime import date

from sqlalchemy import Date, String
from sqlalchemy.orm import Mapped, mapped_column

from tracker.extensions import db


class CalendarDay(db.Model):
    """An extra day off (`off`) or a make-up working day (`work`), e.g. a Saturday after a bridge."""

    __tablename__ = "calendar_day"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    kind: Mapped[str] = mapped_column(String(4))  # "off" or "work"
    name: Mapped[str] = mapped_column(String(200), default="")


def load_calendar():
    """Build the WorkCalendar from the public holidays and the admin's days."""
    from sqlalchemy import select

    from tracker.services.calendar import WorkCalendar

    rows = db.session.scalars(select(CalendarDay)).all()
    return WorkCalendar(extra_days_off={r.day: r.name for r in rows if r.kind == "off"},
                        makeup_days=[r.day for r in rows if r.kind == "work"])
