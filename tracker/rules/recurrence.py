"""Periodic tasks: the periods of a recurrence and each period's deadline.

A recurring task ("báo cáo trước ngày 20 hằng tháng", "báo cáo hằng quý")
is done once per period; each period is an occurrence with its own deadline.
The deadline of a period is day `day` of the period's last month, clamped to
that month's end:

- monthly, day 20: the 20th of each month ("2026-11" is due 20/11/2026);
- quarterly, day 15: the 15th of March, June, September, December
  ("Q4/2026" is due 15/12/2026);
- half-yearly, day 31: 30 June and 31 December ("6T1/2026", "6T2/2026");
- yearly, day 31: 31 December ("2026"); day 29 of a monthly task is the 28th
  in a February of a common year and the 29th in a leap year.

Without a day, the period's last day. Pure: no Flask, no database, no clock.
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

EVERY = ("month", "quarter", "half_year", "year")
MONTHS = {"month": 1, "quarter": 3, "half_year": 6, "year": 12}


@dataclass(frozen=True)
class Recurrence:
    every: str  # one of EVERY
    day: int | None = None  # 1-31: the day of the period's last month the work is due by; None: its last day
    until: date | None = None  # no period is due after this day


@dataclass(frozen=True)
class Period:
    label: str  # "2026-11", "Q4/2026", "6T1/2026", "2026"
    start: date
    end: date
    deadline: date


def _clamped(year: int, month: int, day: int | None) -> date:
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(day or last, last))


def period_of(every: str, day: int | None, on: date) -> Period:
    """The period of `every` that contains the date `on`, with its deadline."""
    size = MONTHS[every]
    first_month = (on.month - 1) // size * size + 1
    last_month = first_month + size - 1
    start = date(on.year, first_month, 1)
    end = date(on.year, last_month, calendar.monthrange(on.year, last_month)[1])
    if every == "month":
        label = f"{on.year}-{on.month:02d}"
    elif every == "quarter":
        label = f"Q{(on.month - 1) // 3 + 1}/{on.year}"
    elif every == "half_year":
        label = f"6T{(on.month - 1) // 6 + 1}/{on.year}"
    else:
        label = str(on.year)
    return Period(label, start, end, _clamped(on.year, last_month, day))


def periods(rec: Recurrence, starts_on: date, through: date) -> list[Period]:
    """The periods of the task, in order, that have begun by `through`.

    The first is the period containing `starts_on` (the day the task was
    assigned), unless its deadline is already past that day: then the next.
    None is due after `rec.until`.
    """
    result: list[Period] = []
    period = period_of(rec.every, rec.day, starts_on)
    while period.start <= through:
        if rec.until is not None and period.deadline > rec.until:
            break
        if period.deadline >= starts_on:
            result.append(period)
        period = period_of(rec.every, rec.day, period.end + timedelta(days=1))
    return result


def first_deadline(rec: Recurrence, starts_on: date) -> date:
    """The first deadline of a task assigned on `starts_on` (whatever `until` says)."""
    period = period_of(rec.every, rec.day, starts_on)
    if period.deadline < starts_on:
        period = period_of(rec.every, rec.day, period.end + timedelta(days=1))
    return period.deadline


def validate(every: str | None, day: int | None, until: date | None, starts_on: date) -> dict[str, str]:
    """Problems with a recurrence, by field: 'every', 'day', 'until' (English keys of messages the caller words)."""
    errors: dict[str, str] = {}
    if every not in EVERY:
        errors["every"] = "every"
        return errors
    if day is not None and not 1 <= day <= 31:
        errors["day"] = "day"
    elif until is not None and until < first_deadline(Recurrence(every, day), starts_on):
        errors["until"] = "until"
    return errors
