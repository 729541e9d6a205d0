"""One parser for the values pages read from query strings and forms: ids, page numbers, dates.

Pure (no Flask): each function takes the string (or a mapping with `get`),
and gives the value within the API's bounds or None, never an exception,
so a hostile value such as 2**63, -1, year 1 or 9999, or a NUL character
gives the page's usual answer instead of a server error.
"""
from __future__ import annotations

import re
from datetime import date

MAX_ID = 2**31 - 1  # ids are 32-bit integers on every backend; larger ones name nothing
MIN_YEAR, MAX_YEAR = 1900, 2999
MAX_PAGE = 1_000_000
_DIGITS = re.compile(r"[0-9]{1,10}\Z")
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
_OFFICE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})\Z")


def whole(value: str | None, low: int = 1, high: int = MAX_ID) -> int | None:
    """A whole number written in digits within [low, high], else None."""
    value = (value or "").strip()
    if not _DIGITS.match(value):
        return None
    number = int(value)
    return number if low <= number <= high else None


def an_id(value: str | None) -> int | None:
    """A database id (1 to 2**31 - 1), else None."""
    return whole(value, 1, MAX_ID)


def a_date(value: str | None) -> date | None:
    """A date written YYYY-MM-DD or dd/mm/yyyy, in the years 1900-2999, else None."""
    value = (value or "").strip()
    if _ISO.match(value):
        try:
            day = date.fromisoformat(value)
        except ValueError:
            return None
    else:
        match = _OFFICE.match(value)
        if not match:
            return None
        try:
            day = date(int(match[3]), int(match[2]), int(match[1]))
        except ValueError:
            return None
    return day if MIN_YEAR <= day.year <= MAX_YEAR else None


def page_args(args, default: int = 25, maximum: int = 200) -> tuple[int, int]:
    """?page= and ?per_page= of `args`, bounded (an unreadable value gives the default)."""
    page = whole(args.get("page"), 1, MAX_PAGE) or 1
    per_page = min(whole(args.get("per_page"), 1, 10**9) or default, maximum)
    return page, per_page
