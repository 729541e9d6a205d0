"""Deadlines written in Vietnamese: from a task's text to a date or "ongoing".

A deadline is the last day of the period the text names:

| text | deadline |
|---|---|
| "trước ngày 30/6/2020", "chậm nhất ngày 30-6-2020", "trước 14 giờ, ngày 30/6/2020" | 30 June 2020 |
| "trước 15/7" (no year) | 15 July of the directive's year |
| "trước ngày 31 tháng 12 năm 2020" | 31 December 2020 |
| "trong tháng 7/2021", "trong tháng 7 năm 2021" | 31 July 2021 |
| "trong quý III/2022", "quý 3 năm 2022" | 30 September 2022 |
| "6 tháng đầu năm 2020" / "6 tháng cuối năm" | 30 June / 31 December |
| "trong năm 2020", "cuối năm 2020" | 31 December 2020 |
| "trước tháng 7/2021", "trước quý III/2022", "trước năm 2021" | the last day before that period |
| "từ đầu tháng 1/2013 tới ngày 15/3/2013" | 15 March 2013 (the end of the period) |
| "từ tháng 7.2011 đến hết năm 2021; báo cáo trước ngày 15.7.2022" | 15 July 2022 (the range is what is covered) |
| "báo cáo kết quả ... từ ngày 1/1/2018 đến trước ngày 1/12/2018" | none (the period the report covers) |
| "trong 15 ngày làm việc" | 15 working days after the directive's date |
| "trong 10 ngày", "trong vòng 10 ngày" | 10 calendar days after it |
| "trong 3 tháng" | 3 months after it |
| "thường xuyên", "định kỳ", "hằng năm", "hàng tháng", ... | no date, ongoing |
| "giai đoạn 2021-2025, định hướng đến năm 2030", "tầm nhìn đến năm 2050" | none: a plan's horizon |
| "rà soát các nhiệm vụ ... có thời hạn hoàn thành trong năm 2025" | none: the object's due date, not the work's |
| "tiếp tục cho học sinh nghỉ học đến ngày 10/10/2020", "tạm dừng ... đến hết ngày 15/5" | none: the end of a state |

A date needs a word that makes it a deadline ("trước", "trong", "chậm nhất",
"hoàn thành", "xong", "đến hết", "hạn", "thời hạn"...): "Công văn số 12
ngày 15/5/2019" is a reference, not a deadline. "Trước ngày X" means X, as the
administration uses it. A year left out is the directive's year, or the next
one when that date would fall before the directive. Without the directive's
date, a deadline that needs it is unknown (None).
"""
from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}

# Words that turn a following date or period into a deadline (folded text).
_LEAD = (
    r"\b(?:truoc|trong(?:\s+vong)?|cham\s+nhat(?:\s+la)?(?:\s+(?:vao|trong|truoc))?|han\s+chot(?:\s+la)?|"
    r"hoan\s+thanh(?:\s+(?:truoc|trong|vao|xong))?|xong(?:\s+(?:truoc|trong))?|ket\s+thuc(?:\s+(?:truoc|trong))?|"
    r"den\s+het|(?<!tinh )den|toi(?=\s+(?:ngay|het)\b)|het|cuoi|thoi\s+han(?:\s+hoan\s+thanh)?\s*:?|thoi\s+gian\s+hoan\s+thanh\s*:?)"
)
_TIME = r"(?:\d{1,2}\s*(?:gio|h)(?:\s*\d{1,2}(?:\s*phut)?)?\s*,?\s*)?"
_YEAR = r"(?P<y>(?:19|20)\d{2})"

_DAY_NUMERIC = re.compile(
    _LEAD + r"\s*" + _TIME + r"(?:ngay\s+mai\s*[-–,]?\s*|hom\s+nay\s*[-–,]?\s*)?(?:ngay\s*)?"
    r"(?P<d>[0-3]?\d)\s*[/\-.]\s*(?P<m>[01]?\d)(?:\s*[/\-.]\s*(?P<y>(?:19|20)?\d{2}))?(?![\d/])"
    r"(?!\s*(?:ngay|tuan|thang)\b)"
)
_DAY_WORDS = re.compile(
    _LEAD + r"\s*" + _TIME + r"(?:ngay\s*)?(?P<d>[0-3]?\d)\s+thang\s+(?P<m>[01]?\d)"
    r"(?:\s*(?:,\s*)?nam\s+" + _YEAR + r")?"
)
_MONTH = re.compile(
    r"(?P<lead>" + _LEAD + r")\s*(?:trong\s+)?thang\s+(?P<m>[01]?\d)(?:\s*(?:/|-|\.|nam)\s*" + _YEAR + r")?(?![\d/])"
)
_QUARTER = re.compile(
    r"(?P<lead>" + _LEAD + r")\s*(?:trong\s+)?quy\s+(?P<q>iv|i{1,3}|[1-4])\b(?:\s*(?:/|-|nam)\s*" + _YEAR + r")?"
)
_HALF = re.compile(r"(?P<n>6|sau)\s+thang\s+(?P<part>dau|cuoi)\s+nam(?:\s+" + _YEAR + r")?")
_YEAR_ONLY = re.compile(r"(?P<lead>" + _LEAD + r")\s*(?:trong\s+)?nam\s+" + _YEAR + r"(?![\d\-])")
_RELATIVE = re.compile(
    r"(?:trong|sau)\s+(?:vong\s+|thoi\s+han\s+|thoi\s+gian\s+)?(?P<n>\d{1,3})\s+(?P<unit>ngay|tuan|thang)"
    r"(?P<work>\s+lam\s+viec)?(?!\s+(?:dau|cuoi)\s+nam)"
    r"(?:\s*,?\s*(?:ke\s+)?tu\s+ngay\s+(?:ky|ban\s+hanh|nhan\s+duoc|nhan|thong\s+bao)(?:\s+(?:van\s+ban|thong\s+bao)(?:\s+nay)?)?)?"
)
# A plan's horizon is not a deadline: "giai đoạn 2021-2025, định hướng đến năm 2030", "tầm nhìn đến năm 2050".
_HORIZON = re.compile(r"(?:dinh\s+huong|tam\s+nhin|giai\s+doan|chien\s+luoc|quy\s+hoach)[\s\d,\-]{0,16}$")
# ... and so is the first year of a title that goes on with it: "chuyển đổi số tỉnh Lạng Sơn đến năm 2025, định hướng
# đến năm 2030", "đến năm 2025 và tầm nhìn đến năm 2035".
_HORIZON_NEXT = re.compile(r"\s*[,;\-–]?\s*(?:va\s+)?(?:dinh\s+huong|tam\s+nhin)\s+(?:den|toi)\s+nam\b")
# What a forecast is about is no deadline: "để chủ động trước dự báo tình hình khô, hạn trong năm 2019".
_FORECAST = re.compile(r"du\s+bao[^;.]{0,60}$")
# A due date that qualifies the work's object is not the work's own: "rà soát lại các nhiệm vụ ... có thời hạn hoàn
# thành trong năm 2025", "các dự án có thời hạn thực hiện đến hết năm 2024".
_OBJECT_DUE = re.compile(r"(?:nhiem\s+vu|du\s+an|cong\s+trinh|ho\s+so|chi\s+tieu|noi\s+dung|cong\s+viec|van\s+ban|"
                         r"ke\s+hoach|chuong\s+trinh|de\s+an)(?:\s+[^\s.;:]+){0,14}?\s+co(?:\s+thoi\s+han"
                         r"(?:\s+(?:hoan\s+thanh|thuc\s+hien|giai\s+quyet))?)?\s*$")
# The end of a state, not of work: "tiếp tục cho học sinh nghỉ học đến ngày 10/10/2020", "tạm dừng hoạt động ... đến
# hết ngày 15/5", "áp dụng ... đến ngày ...".
_STATE_UNTIL = re.compile(r"\b(?:nghi\s+hoc|tam\s+(?:dung|ngung|dinh\s+chi|hoan)|dong\s+cua|phong\s+toa|gian\s+cach|"
                          r"cach\s+ly|ap\s+dung|co\s+hieu\s+luc|keo\s+dai)\b[^.;:]{0,80}$")
_RANGE_END = re.compile(r"(?:den|toi)\b")
_RANGE_END_BEFORE = re.compile(r"\b(?:den|toi)\s+$")  # "từ ngày 1/1/2018 đến| trước ngày 1/12/2018"
# A report's period: "báo cáo kết quả ... từ ngày 1/1/2018 đến trước ngày 1/12/2018" says what is reported, never when.
_REPORTED_PERIOD = re.compile(r"\bbao\s+cao\b[^.;:]{0,160}$")
_RANGE_FROM = re.compile(r"\btu\s+(?:(?:dau|cuoi|giua)\s+)?(?:ngay|thang|quy|nam)\b(?:[^;.]|(?<=\d)\.(?=\d))*$")
# An amount counted per year is not work repeated every year: "kiểm soát sản lượng khai thác hàng năm",
# "bố trí kế hoạch vốn hằng năm" describe the figure ("báo cáo hằng năm" stays a recurrence).
_YEARLY_AMOUNT = re.compile(r"\b(?:san\s+luong|ngan\s+sach|du\s+toan|chi\s+tieu|thu\s+nhap|ke\s+hoach\s+von|"
                            r"nguon\s+von|kinh\s+phi)(?:\s+(?!(?:cho|cua|tai|ve|voi|va)\b)[a-z]+){0,4}\s+(?:hang|moi)\s+nam\b")


def _without_yearly_amounts(folded: str) -> str:
    """Blank out the amounts counted per year (same length, so offsets hold)."""
    return _YEARLY_AMOUNT.sub(lambda m: " " * len(m.group()), folded)


_ONGOING = re.compile(
    r"\b(?:thuong\s+xuyen(?!\s+(?:co|xay\s+ra|bi|dien\s+ra)\b)|dinh\s+ky(?!\s+tu\s+(?:nam|thang|ngay)\b)|hang\s+(?:nam|quy|thang|tuan|ngay)|"
    r"lien\s+tuc)\b"
)  # "những tuyến đường thường xuyên có xe quá tải" describes the roads: not "ongoing"


@dataclass(frozen=True)
class Deadline:
    """A deadline found in a text: the date (or None) and where its phrase lies."""

    due: date | None
    ongoing: bool
    start: int
    end: int


def _last_day(year: int, month: int) -> date:
    """Return the last day of `month` in `year`."""
    return date(year, month, calendar.monthrange(year, month)[1])


def _year_of(raw: str | None, issued_on: date | None) -> int | None:
    """Return the year written (two or four digits), else the directive's year."""
    if raw:
        y = int(raw)
        return y + 2000 if y < 100 else y
    return issued_on.year if issued_on else None


def _roll(candidate: date, explicit_year: bool, issued_on: date | None) -> date:
    """Move a date with an implied year to the next year if it would precede the directive."""
    if not explicit_year and issued_on and candidate < issued_on:
        try:
            return candidate.replace(year=candidate.year + 1)
        except ValueError:  # 29 February
            return candidate.replace(year=candidate.year + 1, day=28)
    return candidate


def _add_months(d: date, months: int) -> date:
    """Return `d` plus `months` calendar months, clamped to the month's end."""
    total = d.month - 1 + months
    year, month = d.year + total // 12, total % 12 + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def _is_before(lead: str) -> bool:
    """Return True if a lead word means "before the period" rather than "within it"."""
    return lead.strip().startswith("truoc")


# "tháng 5 và các tháng tiếp theo", "tháng 7 và những tháng cuối năm": the work goes on past the month
_AND_AFTER = re.compile(r"\s+va\s+(?:cac|nhung)\s+(?:thang|quy|nam)\s+(?:tiep\s+theo|sau|con\s+lai|cuoi\s+nam(?:\s+(?:19|20)\d{2})?)")


def find_deadline(
    folded: str,
    issued_on: date | None,
    add_working_days: Callable[[date, int], date] | None,
) -> Deadline | None:
    """Return the first deadline phrase of a folded text, or None if it names none."""
    found: list[Deadline] = []

    for m in _DAY_NUMERIC.finditer(folded):
        year = _year_of(m.group("y"), issued_on)
        if year is None:
            continue
        try:
            due = date(year, int(m.group("m")), int(m.group("d")))
        except ValueError:
            continue
        found.append(Deadline(_roll(due, bool(m.group("y")), issued_on), False, m.start(), m.end()))
    for m in _DAY_WORDS.finditer(folded):
        year = _year_of(m.group("y"), issued_on)
        if year is None:
            continue
        try:
            due = date(year, int(m.group("m")), int(m.group("d")))
        except ValueError:
            continue
        found.append(Deadline(_roll(due, bool(m.group("y")), issued_on), False, m.start(), m.end()))
    going_on: list[tuple[int, int]] = []
    for m in _MONTH.finditer(folded):
        year, month = _year_of(m.group("y"), issued_on), int(m.group("m"))
        if year is None or not 1 <= month <= 12:
            continue
        after = _AND_AFTER.match(folded, m.end())
        if after:
            going_on.append((m.start(), after.end()))
            continue  # "trong tháng 5 và các tháng tiếp theo": the work goes on, the month is no deadline
        due = _last_day(year, month)
        if _is_before(m.group("lead")):
            due = date(year, month, 1) - timedelta(days=1)
        found.append(Deadline(_roll(due, bool(m.group("y")), issued_on), False, m.start(), m.end()))
    for m in _QUARTER.finditer(folded):
        year = _year_of(m.group("y"), issued_on)
        if year is None:
            continue
        q = m.group("q")
        quarter = int(q) if q.isdigit() else _ROMAN[q]
        due = _last_day(year, quarter * 3)
        if _is_before(m.group("lead")):
            due = date(year, quarter * 3 - 2, 1) - timedelta(days=1)
        found.append(Deadline(_roll(due, bool(m.group("y")), issued_on), False, m.start(), m.end()))
    for m in _HALF.finditer(folded):
        year = _year_of(m.group("y"), issued_on)
        if year is None:
            continue
        due = date(year, 6, 30) if m.group("part") == "dau" else date(year, 12, 31)
        found.append(Deadline(due, False, m.start(), m.end()))
    for m in _YEAR_ONLY.finditer(folded):
        if _HORIZON.search(folded, max(0, m.start() - 40), m.start()) \
                or _FORECAST.search(folded, max(0, m.start() - 70), m.start()) \
                or (m.group("lead").startswith(("den", "toi")) and _HORIZON_NEXT.match(folded, m.end())):
            continue
        if any(a <= m.start() < b for a, b in going_on):
            continue  # "tháng 7 và những tháng cuối năm 2022": the year's end of work that goes on
        year = int(m.group("y"))
        due = date(year - 1, 12, 31) if _is_before(m.group("lead")) else date(year, 12, 31)
        found.append(Deadline(due, False, m.start(), m.end()))
    if issued_on is not None:
        for m in _RELATIVE.finditer(folded):
            n, unit = int(m.group("n")), m.group("unit")
            if unit == "thang":
                due = _add_months(issued_on, n)
            elif unit == "tuan":
                due = issued_on + timedelta(weeks=n)
            elif m.group("work") and add_working_days is not None:
                due = add_working_days(issued_on, n)
            else:
                due = issued_on + timedelta(days=n)
            found.append(Deadline(due, False, m.start(), m.end()))

    found = [f for f in found if not _OBJECT_DUE.search(folded, max(0, f.start - 120), f.start)
             and not (_RANGE_END.match(folded, f.start) and _STATE_UNTIL.search(folded, max(0, f.start - 100), f.start))]
    if found:
        # The end of a range "từ tháng 7.2011 đến hết năm 2021" says what the work covers when a due date is
        # written too ("...; báo cáo ... trước ngày 15.7.2022"): the due date wins. Alone, the range's end is the
        # deadline ("từ đầu tháng 1/2013 tới ngày 15/3/2013").
        ranges = [d for d in found if (_RANGE_END.match(folded, d.start) or _RANGE_END_BEFORE.search(
            folded, max(0, d.start - 6), d.start)) and _RANGE_FROM.search(folded, max(0, d.start - 50), d.start)]
        due = [d for d in found if d not in ranges]
        if due:
            found = due
        else:
            found = [d for d in ranges if not _REPORTED_PERIOD.search(
                folded, max(0, d.start - 220), _RANGE_FROM.search(folded, max(0, d.start - 50), d.start).start())]
            if not found:
                return None  # only the period a report covers: no deadline (and no "ongoing" from it)
        # The earliest phrase wins; at one position the longest (most precise) one.
        return min(found, key=lambda d: (d.start, -(d.end - d.start)))
    m = _ONGOING.search(_without_yearly_amounts(folded))
    if m:
        return Deadline(None, True, m.start(), m.end())
    return None


_EVERY = (
    ("month", re.compile(r"\b(?:hang|moi)\s+thang\b|\bthang\s+mot\s+lan\b")),
    ("quarter", re.compile(r"\b(?:hang|moi)\s+quy\b|\bquy\s+mot\s+lan\b|\bdinh\s+ky\s+(?:theo\s+)?quy\b")),
    ("half_year", re.compile(r"\b(?:6|sau)\s+thang\s+(?:mot\s+lan\b|,?\s*(?:va\s+|ca\s+)?nam\b)|\bnua\s+nam\b|"
                             r"\bdinh\s+ky\s+6\s+thang\b")),
    ("year", re.compile(r"\b(?:hang|moi)\s+nam\b|\bthuong\s+nien\b|\bnam\s+mot\s+lan\b|\bdinh\s+ky\s+(?:theo\s+)?nam\b")),
)
_DAY_OF_MONTH = re.compile(r"\b(?:truoc|cham\s+nhat|vao)\s+(?:ngay\s+)?(?P<d>[0-3]?\d)\s+(?:hang|moi|cua)\s+"
                           r"(?:thang|quy)\b|\bngay\s+(?P<d2>[0-3]?\d)\s+(?:hang|moi)\s+thang\b")


def find_recurrence(folded: str) -> dict | None:
    """Return the shortest period a folded text repeats the work in, with the day of the month, or None.

    "hằng tháng", "trước ngày 20 hằng tháng" -> month (day 20); "hằng quý" -> quarter; "6 tháng, năm",
    "6 tháng một lần" -> half_year; "hằng năm", "thường niên" -> year.
    """
    folded = _without_yearly_amounts(folded)
    for every, pattern in _EVERY:
        if pattern.search(folded):
            m = _DAY_OF_MONTH.search(folded)
            day = int(m.group("d") or m.group("d2")) if m else None
            return {"every": every, "day": day if day and 1 <= day <= 31 else None}
    return None
