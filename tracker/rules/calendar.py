"""The working-day calendar of Vietnam: weekends, public holidays, admin overrides.

A working day is Monday to Friday, minus Vietnam's public holidays, minus the
extra days off the admin enters, plus the make-up working days (usually
Saturdays) the admin enters (domain.md, "Deadlines, working days, reminders").

Public holidays come from the `holidays` package
(`holidays.country_holidays("VN", ...)`, checked with version 0.108). It gives:

- the fixed holidays: 1 January, 30 April, 1 May, 2 September plus the
  adjacent National Day (1 or 3 September, since 2021), and 24 November
  (Vietnam Cultural Day) from 2026;
- the lunar holidays, recomputed every year: Tết (lunar new year's eve to
  the 4th day, with a weekday substitute for each of them on a weekend,
  e.g. 8-14 February 2024, 27-31 January 2025, 16-20 February 2026) and the
  Hùng Kings' day (10th day of the 3rd lunar month: 18 April 2024, 7 April
  2025, 26 April 2026);
- observed days ("nghỉ bù") when a holiday falls on a weekend, e.g. Monday
  27 April 2026 for the Hùng Kings' day on Sunday 26 April;
- the day off of the swaps the government announced so far, e.g. Friday
  2 May 2025, Monday 29 April 2024, Monday 31 August 2026.

It does NOT give:

- the make-up working Saturday of those swaps (26 April 2025, 4 May 2024,
  22 August 2026): the admin must enter them as `makeup_days`, or the
  calendar counts one working day too few around them;
- bridge days and swaps announced after the package was released, and
  provincial days off: the admin enters them as `extra_days_off`;
- any holiday outside 1901-2100, the range of its lunar tables (years outside
  it only lose their weekends).

The government's announced Tết breaks (25 January - 2 February 2025,
14-22 February 2026) contain no weekday the package misses, so nothing needs
entering for them.

The package's answers for 2000-2045 are kept in `vn_public_holidays.json` beside this module
(written by `tools/vn_holidays.py`; tests/rules/test_calendar.py checks the file against the
package, year by year): the package imports some 450 modules (~19 MB in every web worker) to
give them. Years outside the file ask the package itself.

Answers are computed per calendar year, lazily, and memoised: each year is a
sorted list of the ordinals of its working days, so `add_working_days` and
`working_days_between` are a few binary searches plus one step per year
crossed, whatever the span.
"""
from __future__ import annotations

import json
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import MAXYEAR, MINYEAR, date
from functools import cache
from pathlib import Path

COUNTRY = "VN"
HOLIDAYS_FILE = Path(__file__).with_name("vn_public_holidays.json")


@cache
def _kept_holidays() -> dict:
    return json.loads(HOLIDAYS_FILE.read_text(encoding="utf-8")) if HOLIDAYS_FILE.exists() else {}


def package_holidays(year: int, language: str) -> dict[date, str]:
    """Vietnam's public holidays of `year` as the `holidays` package gives them, named in `language`."""
    import holidays  # ~450 modules: only for years outside vn_public_holidays.json

    return {d: str(name) for d, name in holidays.country_holidays(COUNTRY, years=year, language=language).items()
            if d.year == year}


def public_holidays(year: int, language: str) -> dict[date, str]:
    """Vietnam's public holidays of `year`: from vn_public_holidays.json, else from the package."""
    kept = _kept_holidays().get(language, {}).get(str(year))
    if kept is not None:
        return {date.fromisoformat(day): name for day, name in kept}
    return package_holidays(year, language)


@dataclass(frozen=True, slots=True)
class _Year:
    """The working days and named days off of one calendar year."""

    working: list[int]  # ordinals of the working days, ascending
    working_set: frozenset[int]
    names: dict[int, str]  # ordinal -> name of a day off (public holiday or named extra day)


class WorkCalendar:
    """Vietnam's working days, with the admin's extra days off and make-up days.

    `extra_days_off` may be a plain iterable of dates or a mapping from date to
    a name (shown by `holiday_name`). `makeup_days` are working whatever their
    weekday, and also override a public holiday the package lists wrongly. A
    date may not be in both. `language` is the language of holiday names
    (`"vi"` by default; `"en_US"` and `"th"` are also available).
    """

    def __init__(
        self,
        extra_days_off: Iterable[date] | Mapping[date, str] = (),
        makeup_days: Iterable[date] = (),
        *,
        language: str = "vi",
    ) -> None:
        if isinstance(extra_days_off, Mapping):
            self._extra_names = {d.toordinal(): name for d, name in extra_days_off.items()}
        else:
            self._extra_names = {}
        self._extra = frozenset(d.toordinal() for d in extra_days_off)
        self._makeup = frozenset(d.toordinal() for d in makeup_days)
        both = self._extra & self._makeup
        if both:
            listed = ", ".join(date.fromordinal(o).isoformat() for o in sorted(both))
            raise ValueError(f"dates both extra days off and make-up days: {listed}")
        self._language = language
        self._years: dict[int, _Year] = {}

    def _year(self, year: int) -> _Year:
        """Return the memoised working days of `year`, computing them on first use."""
        cached = self._years.get(year)
        if cached is not None:
            return cached
        names = {d.toordinal(): name for d, name in public_holidays(year, self._language).items()}
        names.update(self._extra_names)
        first = date(year, 1, 1).toordinal()
        last = date(year, 12, 31).toordinal()
        working = [
            o
            for o in range(first, last + 1)
            if o in self._makeup
            or ((o - 1) % 7 < 5 and o not in names and o not in self._extra)
        ]  # ordinal 1 (0001-01-01) is a Monday, so (o - 1) % 7 is the weekday
        names = {o: n for o, n in names.items() if o not in self._makeup}
        built = _Year(working, frozenset(working), names)
        self._years[year] = built
        return built

    def is_working_day(self, d: date) -> bool:
        """Return True if `d` is a working day."""
        return d.toordinal() in self._year(d.year).working_set

    def holiday_name(self, d: date) -> str | None:
        """Return the name of the holiday or named extra day off on `d`, else None.

        None for working days (a make-up day hides the holiday it overrides),
        for ordinary weekends and for extra days off entered without a name.
        """
        return self._year(d.year).names.get(d.toordinal())

    def public_holidays(self, year: int) -> dict[date, str]:
        """Return the named days off of `year` (weekend ones included), by date."""
        return {date.fromordinal(o): n for o, n in sorted(self._year(year).names.items())}

    def add_working_days(self, d: date, n: int) -> date:
        """Return the `n`th working day after `d` (before it if `n` < 0); `d` itself if 0.

        `d` need not be a working day: from Saturday, +1 is the next working
        day and -1 the previous one. The result is a working day whenever
        `n` != 0.
        """
        if n == 0:
            return d
        year = d.year
        o = d.toordinal()
        if n > 0:
            while True:
                days = self._year(year).working
                i = bisect_right(days, o)  # first working day after o
                if n <= len(days) - i:
                    return date.fromordinal(days[i + n - 1])
                n -= len(days) - i
                year += 1
                if year > MAXYEAR:
                    raise OverflowError("date out of range")
        m = -n
        while True:
            days = self._year(year).working
            i = bisect_left(days, o)  # working days before o
            if m <= i:
                return date.fromordinal(days[i - m])
            m -= i
            year -= 1
            if year < MINYEAR:
                raise OverflowError("date out of range")
            o = date(year, 12, 31).toordinal() + 1

    def working_days_between(self, a: date, b: date) -> int:
        """Return the number of working days in the half-open span (a, b].

        `a` is excluded and `b` included, whatever kind of days they are; the
        result is negative when `b` < `a` (minus the count in (b, a]), so
        `working_days_between(a, b) == -working_days_between(b, a)`. Read it
        as "working days left from `a` until the deadline `b`": 0 on the
        deadline itself, and also on the last working day before a deadline
        that falls on a day off. For a working day `a`,
        `working_days_between(a, add_working_days(a, n)) == n`.
        """
        if b < a:
            return -self.working_days_between(b, a)
        oa, ob = a.toordinal(), b.toordinal()
        if a.year == b.year:
            days = self._year(a.year).working
            return bisect_right(days, ob) - bisect_right(days, oa)
        first = self._year(a.year).working
        count = len(first) - bisect_right(first, oa)
        for year in range(a.year + 1, b.year):
            count += len(self._year(year).working)
        return count + bisect_right(self._year(b.year).working, ob)

    def next_working_day(self, d: date) -> date:
        """Return `d` if it is a working day, else the first working day after it."""
        return d if self.is_working_day(d) else self.add_working_days(d, 1)

    def previous_working_day(self, d: date) -> date:
        """Return `d` if it is a working day, else the last working day before it."""
        return d if self.is_working_day(d) else self.add_working_days(d, -1)
