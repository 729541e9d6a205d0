"""Days the admin adds to the working-day calendar: extra days off and make-up working days."""
from __future__ import annotations

from datetime import date

from sqlalchemy import Date, String, select
from sqlalchemy.orm import Mapped, mapped_column

from tracker.database import db
from tracker.rules.calendar import WorkCalendar


class CalendarDay(db.Model):
    """An extra day off (`off`) or a make-up working day (`work`), e.g. a Saturday after a bridge."""

    __tablename__ = "calendar_day"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    kind: Mapped[str] = mapped_column(String(4))  # "off" or "work"
    name: Mapped[str] = mapped_column(String(200), default="")


_cache: dict[tuple, object] = {}


def load_calendar():
    """The WorkCalendar of the public holidays and the admin's days.

    The admin's days are read on every call (a small table); the calendar is
    rebuilt only when they change, so its per-year holiday cache survives
    from one request to the next.
    """
    rows = tuple(db.session.execute(select(CalendarDay.day, CalendarDay.kind, CalendarDay.name)
                                    .order_by(CalendarDay.day)).all())
    calendar = _cache.get(rows)
    if calendar is None:
        calendar = WorkCalendar(extra_days_off={r.day: r.name for r in rows if r.kind == "off"},
                                makeup_days=[r.day for r in rows if r.kind == "work"])
        _cache.clear()
        _cache[rows] = calendar
    return calendar
