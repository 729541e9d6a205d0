"""Tests of the working-day calendar: tables of real Vietnamese dates, then properties."""
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.rules.calendar import WorkCalendar

CAL = WorkCalendar()

# Make-up Saturdays of the government's swaps, which the `holidays` package lacks.
MAKEUP_2024_2026 = [date(2024, 5, 4), date(2025, 4, 26), date(2026, 8, 22)]
ADMIN_CAL = WorkCalendar(makeup_days=MAKEUP_2024_2026)


def days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


@pytest.mark.parametrize(
    ("first", "last", "why"),
    [
        (date(2024, 2, 8), date(2024, 2, 14), "Tết 2024"),
        (date(2025, 1, 25), date(2025, 2, 2), "Tết 2025, as the government announced it"),
        (date(2026, 2, 14), date(2026, 2, 22), "Tết 2026, as the government announced it"),
        (date(2024, 4, 18), date(2024, 4, 18), "Hùng Kings 2024"),
        (date(2025, 4, 7), date(2025, 4, 7), "Hùng Kings 2025"),
        (date(2026, 4, 25), date(2026, 4, 27), "Hùng Kings 2026 on a Sunday, off Monday"),
        (date(2024, 4, 27), date(2024, 5, 1), "30/4-1/5 2024 with the 29/4 swap"),
        (date(2025, 4, 30), date(2025, 5, 4), "30/4-1/5 2025 with the 2/5 swap"),
        (date(2026, 4, 30), date(2026, 5, 3), "30/4-1/5 2026"),
        (date(2024, 8, 31), date(2024, 9, 3), "2 September 2024"),
        (date(2025, 8, 30), date(2025, 9, 2), "2 September 2025"),
        (date(2026, 8, 29), date(2026, 9, 2), "2 September 2026 with the 31/8 swap"),
        (date(2025, 1, 1), date(2025, 1, 1), "New Year 2025"),
        (date(2026, 11, 24), date(2026, 11, 24), "Vietnam Cultural Day, from 2026"),
    ],
)
def test_days_off(first, last, why):
    assert [d for d in days(first, last) if CAL.is_working_day(d)] == [], why


@pytest.mark.parametrize(
    "d",
    [
        date(2024, 2, 7),
        date(2024, 2, 15),
        date(2025, 1, 24),  # Friday before Tết 2025
        date(2025, 2, 3),  # Monday after Tết 2025
        date(2025, 4, 8),
        date(2025, 4, 29),
        date(2025, 5, 5),
        date(2025, 9, 3),
        date(2026, 2, 13),  # Friday before Tết 2026
        date(2026, 2, 23),  # Monday after Tết 2026
        date(2026, 4, 28),
        date(2026, 9, 3),
        date(2025, 11, 24),  # not yet a holiday in 2025
    ],
)
def test_working_days_around_holidays(d):
    assert CAL.is_working_day(d)


@pytest.mark.parametrize("d", MAKEUP_2024_2026)
def test_makeup_saturdays_are_entered_by_the_admin(d):
    assert d.weekday() == 5
    assert not CAL.is_working_day(d)  # the package knows the swap's day off only
    assert ADMIN_CAL.is_working_day(d)


@pytest.mark.parametrize(
    ("d", "name"),
    [
        (date(2025, 1, 29), "Tết Nguyên Đán"),
        (date(2025, 1, 28), "Giao thừa Tết Nguyên Đán"),
        (date(2025, 2, 1), "Mùng bốn Tết Nguyên Đán"),  # a Saturday
        (date(2025, 4, 7), "Ngày Giỗ Tổ Hùng Vương"),
        (date(2026, 4, 27), "Ngày Giỗ Tổ Hùng Vương (nghỉ bù)"),
        (date(2025, 4, 30), "Ngày Chiến thắng"),
        (date(2025, 5, 1), "Ngày Quốc tế Lao động"),
        (date(2025, 5, 2), "Ngày nghỉ (thay cho ngày 26/04/2025)"),
        (date(2025, 9, 1), "Quốc khánh"),
        (date(2025, 9, 2), "Quốc khánh"),
        (date(2025, 1, 25), None),  # a plain Saturday
        (date(2025, 1, 24), None),  # a working day
    ],
)
def test_holiday_name(d, name):
    assert CAL.holiday_name(d) == name


def test_holiday_name_in_english():
    assert WorkCalendar(language="en_US").holiday_name(date(2025, 4, 7)) == (
        "Hung Kings' Commemoration Day"
    )


def test_extra_days_off_supply_announced_bridge_days():
    bridge = date(2025, 5, 5)  # a hypothetical Monday bridge after 30/4-2/5
    named = WorkCalendar({bridge: "Nghỉ cầu nối"})
    unnamed = WorkCalendar([bridge])
    assert CAL.is_working_day(bridge)
    assert not named.is_working_day(bridge)
    assert not unnamed.is_working_day(bridge)
    assert named.holiday_name(bridge) == "Nghỉ cầu nối"
    assert unnamed.holiday_name(bridge) is None
    assert named.add_working_days(date(2025, 4, 29), 1) == date(2025, 5, 6)
    assert named.working_days_between(date(2025, 4, 29), date(2025, 5, 6)) == 1


def test_makeup_day_overrides_a_listed_holiday():
    cal = WorkCalendar(makeup_days=[date(2025, 5, 2)])
    assert cal.is_working_day(date(2025, 5, 2))
    assert cal.holiday_name(date(2025, 5, 2)) is None
    assert date(2025, 5, 2) not in cal.public_holidays(2025)


def test_a_day_cannot_be_both_off_and_makeup():
    with pytest.raises(ValueError, match="2025-04-26"):
        WorkCalendar([date(2025, 4, 26)], [date(2025, 4, 26)])


def test_public_holidays_of_a_year():
    assert sorted(CAL.public_holidays(2025)) == [
        date(2025, 1, 1),
        *days(date(2025, 1, 27), date(2025, 2, 1)),
        date(2025, 4, 7),
        date(2025, 4, 30),
        date(2025, 5, 1),
        date(2025, 5, 2),
        date(2025, 9, 1),
        date(2025, 9, 2),
    ]


@pytest.mark.parametrize(
    ("cal", "d", "n", "expected"),
    [
        (CAL, date(2025, 1, 24), 1, date(2025, 2, 3)),  # across Tết 2025
        (CAL, date(2025, 2, 3), -1, date(2025, 1, 24)),
        (CAL, date(2025, 1, 22), 3, date(2025, 2, 3)),
        (CAL, date(2025, 1, 29), 1, date(2025, 2, 3)),  # from a holiday
        (CAL, date(2025, 1, 29), -1, date(2025, 1, 24)),
        (CAL, date(2025, 1, 29), 0, date(2025, 1, 29)),  # n == 0 is the day itself
        (CAL, date(2025, 1, 25), 1, date(2025, 2, 3)),  # from a Saturday
        (CAL, date(2025, 1, 25), -1, date(2025, 1, 24)),
        (CAL, date(2025, 4, 4), 1, date(2025, 4, 8)),  # across Hùng Kings 2025
        (CAL, date(2025, 4, 8), -2, date(2025, 4, 3)),
        (CAL, date(2025, 4, 25), 2, date(2025, 4, 29)),  # Saturday 26/4 not entered
        (ADMIN_CAL, date(2025, 4, 25), 1, date(2025, 4, 26)),  # ...and entered
        (ADMIN_CAL, date(2025, 4, 25), 2, date(2025, 4, 28)),
        (CAL, date(2025, 4, 29), 1, date(2025, 5, 5)),  # across 30/4-2/5 2025
        (CAL, date(2025, 8, 29), 1, date(2025, 9, 3)),  # across 2/9 2025
        (CAL, date(2026, 2, 13), 1, date(2026, 2, 23)),  # across Tết 2026
        (CAL, date(2026, 2, 23), -1, date(2026, 2, 13)),
        (CAL, date(2026, 4, 24), 1, date(2026, 4, 28)),  # Hùng Kings 2026 observed
        (CAL, date(2025, 12, 31), 1, date(2026, 1, 2)),  # across New Year
        (CAL, date(2026, 1, 2), -1, date(2025, 12, 31)),
        (CAL, date(2024, 12, 31), 249, date(2025, 12, 31)),  # all of 2025
        (CAL, date(2026, 1, 1), -249, date(2025, 1, 2)),
    ],
)
def test_add_working_days(cal, d, n, expected):
    assert cal.add_working_days(d, n) == expected


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (date(2025, 1, 24), date(2025, 2, 3), 1),
        (date(2025, 2, 3), date(2025, 1, 24), -1),
        (date(2025, 1, 24), date(2025, 1, 24), 0),
        (date(2025, 1, 24), date(2025, 2, 2), 0),  # Tết: no working day in (a, b]
        (date(2025, 1, 25), date(2025, 2, 3), 1),
        (date(2025, 1, 23), date(2025, 1, 24), 1),  # b is counted
        (date(2025, 1, 24), date(2025, 1, 23), -1),  # a is counted when b < a
        (date(2025, 4, 1), date(2025, 4, 11), 7),  # Hùng Kings 7/4 skipped
        (date(2025, 4, 11), date(2025, 4, 1), -7),
        (date(2024, 12, 31), date(2025, 12, 31), 249),  # 261 weekdays - 12 holidays
        (date(2025, 12, 31), date(2024, 12, 31), -249),
        (date(2025, 1, 1), date(2027, 1, 1), 249 + 248),  # 2026: 261 weekdays - 13 holidays
    ],
)
def test_working_days_between(a, b, expected):
    assert CAL.working_days_between(a, b) == expected


def test_next_and_previous_working_day():
    assert CAL.next_working_day(date(2025, 1, 24)) == date(2025, 1, 24)
    assert CAL.next_working_day(date(2025, 1, 27)) == date(2025, 2, 3)
    assert CAL.previous_working_day(date(2025, 1, 24)) == date(2025, 1, 24)
    assert CAL.previous_working_day(date(2025, 1, 27)) == date(2025, 1, 24)


# Properties, checked against a naive day-by-day reference.

dates = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31))
day_sets = st.sets(dates, max_size=20)


def naive_is_working(d: date, extra: set[date], makeup: set[date]) -> bool:
    return d in makeup or (d.weekday() < 5 and CAL.holiday_name(d) is None and d not in extra)


@settings(max_examples=150, deadline=None)
@given(d=dates, n=st.integers(-400, 400))
def test_add_working_days_lands_on_a_working_day(d, n):
    result = CAL.add_working_days(d, n)
    if n != 0:
        assert CAL.is_working_day(result)
        assert (result > d) == (n > 0)
    else:
        assert result == d


@settings(max_examples=150, deadline=None)
@given(d=dates, n=st.integers(-400, 400))
def test_between_inverts_add_on_working_days(d, n):
    d = CAL.next_working_day(d)
    assert CAL.working_days_between(d, CAL.add_working_days(d, n)) == n


@settings(max_examples=100, deadline=None)
@given(a=dates, b=dates, extra=day_sets, makeup=day_sets)
def test_matches_naive_reference(a, b, extra, makeup):
    makeup -= extra
    cal = WorkCalendar(extra, makeup)
    lo, hi = min(a, b), max(a, b)
    hi = min(hi, lo + timedelta(days=120))  # keep the naive loop short
    span = days(lo + timedelta(days=1), hi)
    expected = sum(naive_is_working(d, extra, makeup) for d in span)
    assert cal.working_days_between(lo, hi) == expected
    assert cal.working_days_between(hi, lo) == -expected
    for d in (lo, hi):
        assert cal.is_working_day(d) == naive_is_working(d, extra, makeup)
    nxt = next(d for d in days(lo + timedelta(days=1), lo + timedelta(days=60))
               if naive_is_working(d, extra, makeup))
    assert cal.add_working_days(lo, 1) == nxt


@settings(max_examples=100, deadline=None)
@given(a=dates, b=dates, c=dates)
def test_between_is_additive(a, b, c):
    assert CAL.working_days_between(a, b) + CAL.working_days_between(b, c) == (
        CAL.working_days_between(a, c)
    )


def test_the_kept_holidays_are_the_packages_year_by_year():
    """vn_public_holidays.json (what workers read) says what `holidays` says; after an upgrade, rerun
    tools/vn_holidays.py."""
    import json

    from tracker.rules.calendar import HOLIDAYS_FILE, package_holidays

    kept = json.loads(HOLIDAYS_FILE.read_text(encoding="utf-8"))
    assert set(kept) == {"vi", "en_US"}
    for language, years in kept.items():
        assert [int(y) for y in years] == list(range(2000, 2046)), language
        for year, days in years.items():
            expected = [[d.isoformat(), name] for d, name in sorted(package_holidays(int(year), language).items())]
            assert days == expected, (language, year, "run tools/vn_holidays.py")


def test_a_year_outside_the_kept_file_asks_the_package():
    from tracker.rules.calendar import public_holidays

    tet_2050 = {d: name for d, name in public_holidays(2050, "vi").items() if "Tết Nguyên Đán" in name}
    assert tet_2050 and all(d.year == 2050 for d in tet_2050)
    assert public_holidays(2026, "vi")[date(2026, 4, 27)] == "Ngày Giỗ Tổ Hùng Vương (nghỉ bù)"
