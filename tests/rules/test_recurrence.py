"""The periods of a periodic task and their deadlines (tracker.rules.recurrence): month ends, quarters, leap years."""
from __future__ import annotations

from datetime import date

import pytest

from tracker.rules.recurrence import Recurrence, first_deadline, period_of, periods, validate


@pytest.mark.parametrize(("every", "day", "on", "label", "deadline"), [
    ("month", 20, date(2026, 11, 3), "2026-11", date(2026, 11, 20)),
    ("month", 31, date(2026, 4, 10), "2026-04", date(2026, 4, 30)),  # clamped to the month's end
    ("month", 29, date(2026, 2, 1), "2026-02", date(2026, 2, 28)),  # common year
    ("month", 29, date(2028, 2, 1), "2028-02", date(2028, 2, 29)),  # leap year
    ("month", None, date(2024, 2, 5), "2024-02", date(2024, 2, 29)),  # no day: the period's last day
    ("quarter", 15, date(2026, 11, 30), "Q4/2026", date(2026, 12, 15)),
    ("quarter", 31, date(2026, 4, 1), "Q2/2026", date(2026, 6, 30)),
    ("quarter", 20, date(2026, 1, 1), "Q1/2026", date(2026, 3, 20)),
    ("half_year", 31, date(2026, 6, 30), "6T1/2026", date(2026, 6, 30)),
    ("half_year", 10, date(2026, 7, 1), "6T2/2026", date(2026, 12, 10)),
    ("year", 15, date(2026, 5, 5), "2026", date(2026, 12, 15)),
])
def test_the_period_containing_a_day_and_its_deadline(every, day, on, label, deadline):
    period = period_of(every, day, on)
    assert (period.label, period.deadline) == (label, deadline)
    assert period.start <= on <= period.end


def test_monthly_periods_from_the_assignment_day_until_the_end_date():
    rec = Recurrence("month", 20, until=date(2027, 2, 28))
    # Assigned on 25 November, after that month's 20th: the first period is December.
    got = periods(rec, date(2026, 11, 25), date(2027, 12, 31))
    assert [(p.label, p.deadline) for p in got] == [
        ("2026-12", date(2026, 12, 20)), ("2027-01", date(2027, 1, 20)), ("2027-02", date(2027, 2, 20))]


def test_periods_stop_at_the_horizon_and_include_the_current_one():
    rec = Recurrence("quarter", 15)
    got = periods(rec, date(2026, 1, 10), date(2026, 7, 1))
    assert [p.label for p in got] == ["Q1/2026", "Q2/2026", "Q3/2026"]


def test_yearly_periods_cross_years_and_a_leap_february():
    got = periods(Recurrence("month", 30), date(2027, 12, 1), date(2028, 3, 1))
    assert [p.deadline for p in got] == [date(2027, 12, 30), date(2028, 1, 30), date(2028, 2, 29), date(2028, 3, 30)]
    assert [p.label for p in periods(Recurrence("year", 31), date(2026, 3, 1), date(2028, 1, 1))] == [
        "2026", "2027", "2028"]


def test_validation_day_range_and_end_after_the_first_deadline():
    assert validate("week", 1, None, date(2026, 1, 1)) == {"every": "every"}
    assert validate("month", 32, None, date(2026, 1, 1)) == {"day": "day"}
    assert validate("month", 0, None, date(2026, 1, 1)) == {"day": "day"}
    assert first_deadline(Recurrence("month", 20), date(2026, 1, 21)) == date(2026, 2, 20)
    assert validate("month", 20, date(2026, 2, 19), date(2026, 1, 21)) == {"until": "until"}
    assert validate("month", 20, date(2026, 2, 20), date(2026, 1, 21)) == {}
