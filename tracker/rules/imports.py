"""Reading the Office's spreadsheet of assigned tasks: headers, cells, units, one row's problems.

The Office keeps one row per task: số ký hiệu, ngày, trích yếu, nội dung
nhiệm vụ, đơn vị chủ trì, đơn vị phối hợp, thời hạn, tình trạng, ghi chú
(and sometimes a ngày hoàn thành column). This module turns such rows into
plain values and a list of problems, without a database: the caller
(tracker.services.imports) gives the unit registry and today, and checks
what only the database knows (a document already recorded, a task already
imported). Problems are codes with values; the service words them.

- Headers are recognised with or without diacritics, in any case and order,
  with the usual variants ("Số, ký hiệu văn bản", "Cơ quan chủ trì", "Thời hạn
  hoàn thành"...); a title row above the header row is skipped.
- Dates: cells the spreadsheet typed as dates, "30/6/2024", "30-06-2024",
  "30.6.24", "2024-06-30", Excel day numbers. A deadline may also be written
  as words ("Trước ngày 30/6/2024", "Quý III/2024", "Thường xuyên": ongoing);
  an empty deadline means ongoing.
- Status: "Đã hoàn thành ngày 12/3/2024" (or a completion-date column) is
  done on that day; "Đã hủy" is cancelled; anything else is still open.
  A row done without a date is a problem: the figures of the past need it.
- Units by name, short name, alias or code, accent- and case-insensitive;
  an unknown name comes with the closest names of the registry.
"""
from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cached_property, lru_cache

from tracker.rules.extract._deadlines import find_deadline
from tracker.text import fold

# The columns, in the template's order.
FIELDS = ("number", "issued_on", "summary", "title", "lead_unit", "cooperating_units", "deadline", "status",
          "note", "completed_on")
REQUIRED = ("number", "title", "lead_unit")  # the date may be written in the number's cell ("125/TB-UBND ngày 4/3/2024")
TEMPLATE_HEADERS = {
    "number": "Số ký hiệu", "issued_on": "Ngày", "summary": "Trích yếu", "title": "Nội dung nhiệm vụ",
    "lead_unit": "Đơn vị chủ trì", "cooperating_units": "Đơn vị phối hợp", "deadline": "Thời hạn",
    "status": "Tình trạng", "note": "Ghi chú", "completed_on": "Ngày hoàn thành",
}

# Header patterns on the folded header (letters and digits, single spaces), best first per field.
_HEADER_PATTERNS: dict[str, tuple[str, ...]] = {
    "number": (r"so\s*(?:va\s*)?ky\s*hieu.*", r"ky\s*hieu.*", r"so\s*(?:hieu\s*)?van\s*ban", r"so\s*hieu",
               r"so\s*(?:tb|thong\s*bao|vb)", r"van\s*ban\s*so"),
    "issued_on": (r"ngay", r"ngay\s*(?:ban\s*hanh|van\s*ban|ky|thang(?:\s*nam)?)(?:\s*van\s*ban)?",
                  r"ngay\s*thang\s*nam\s*ban\s*hanh"),
    "summary": (r"trich\s*yeu.*", r"ten\s*van\s*ban", r"noi\s*dung\s*van\s*ban"),
    "title": (r"noi\s*dung\s*(?:nhiem\s*vu|cong\s*viec|chi\s*dao|giao|ket\s*luan).*", r"nhiem\s*vu.*",
              r"ten\s*nhiem\s*vu", r"noi\s*dung", r"cong\s*viec"),
    "lead_unit": (r"(?:don\s*vi|co\s*quan)\s*(?:chu\s*tri|thuc\s*hien|duoc\s*giao).*", r"chu\s*tri.*",
                  r"don\s*vi"),
    "cooperating_units": (r"(?:don\s*vi|co\s*quan)\s*phoi\s*hop.*", r"phoi\s*hop.*"),
    "deadline": (r"(?:thoi\s*)?han(?:\s*(?:hoan\s*thanh|xu\s*ly|giai\s*quyet|thuc\s*hien))?", r"thoi\s*gian\s*thuc\s*hien",
                 r"thoi\s*han.*"),
    "status": (r"tinh\s*trang.*", r"(?:tinh\s*hinh|ket\s*qua)\s*(?:thuc\s*hien|xu\s*ly).*", r"ket\s*qua",
               r"trang\s*thai"),
    "note": (r"ghi\s*chu.*",),
    "completed_on": (r"ngay\s*hoan\s*thanh.*", r"thoi\s*gian\s*hoan\s*thanh"),
}
_COMPILED = {f: [re.compile(p + r"\Z") for p in pats] for f, pats in _HEADER_PATTERNS.items()}


def header_key(text) -> str:
    """A header as compared: folded, letters and digits only ("Số, ký hiệu" -> "so ky hieu")."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", fold(str(text or ""))).split())


def header_field(text) -> tuple[str, int] | None:
    """(field, rank) a header names (rank 0 is the most usual wording), or None."""
    key = header_key(text)
    if not key:
        return None
    best = None
    for name, patterns in _COMPILED.items():
        for rank, pattern in enumerate(patterns):
            if pattern.match(key):
                if best is None or rank < best[1]:
                    best = (name, rank)
                break
    return best


def guess_mapping(headers: Sequence) -> dict[str, int | None]:
    """Which column (0-based) holds each field, from the header texts; None when no column does."""
    candidates = []
    for col, text in enumerate(headers):
        found = header_field(text)
        if found:
            candidates.append((found[1], col, found[0]))
    mapping: dict[str, int | None] = {f: None for f in FIELDS}
    used = set()
    for _rank, col, name in sorted(candidates):
        if mapping[name] is None and col not in used:
            mapping[name] = col
            used.add(col)
    return mapping


def find_header_row(rows: Sequence[Sequence], look: int = 20) -> int:
    """The index of the header row: the first of the top rows naming the most known columns (at least 2)."""
    best, best_count = 0, 1
    for i, row in enumerate(rows[:look]):
        count = len({f[0] for f in (header_field(c) for c in row) if f})
        if count > best_count:
            best, best_count = i, count
    return best


# --- cells ------------------------------------------------------------------------------------

_NUMERIC_DATE = re.compile(r"(\d{1,2})\s*[/\-.]\s*(\d{1,2})\s*[/\-.]\s*(\d{2,4})")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_EXCEL_EPOCH = date(1899, 12, 30)
MIN_YEAR, MAX_YEAR = 1990, 2100


class Unreadable(ValueError):
    """A cell that should hold a date but does not."""


def cell_text(value) -> str:
    """A cell as one line of text (numbers without a trailing .0)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return " ".join(str(value).split())


def _checked(year: int, month: int, day: int) -> date:
    if year < 100:
        year += 2000
    try:
        result = date(year, month, day)
    except ValueError as error:
        raise Unreadable from error
    if not MIN_YEAR <= result.year <= MAX_YEAR:
        raise Unreadable
    return result


def parse_day(value) -> date | None:
    """A date from a cell (None when empty); raise Unreadable when it is not one."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return _checked(value.year, value.month, value.day)
    if isinstance(value, date):
        return _checked(value.year, value.month, value.day)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 20000 <= value <= 80000:  # an Excel day number that lost its date format
            return _EXCEL_EPOCH + timedelta(days=int(value))
        raise Unreadable
    text = re.sub(r"^ng[aà]y\s*:?\s*", "", str(value).strip(), flags=re.IGNORECASE)
    m = _ISO_DATE.fullmatch(text[:10]) if len(text) >= 8 else None
    if m and text[10:].strip(" T0:") == "":
        return _checked(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = _NUMERIC_DATE.fullmatch(text)
    if m:
        return _checked(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    m = re.fullmatch(r"(?:ngay\s*)?(\d{1,2})\s*thang\s*(\d{1,2})\s*nam\s*(\d{4})", fold(text))
    if m:
        return _checked(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    raise Unreadable


_ONGOING_WORDS = re.compile(r"thuong\s*xuyen|lien\s*tuc|hang\s*(?:nam|thang|quy|tuan)|dinh\s*ky|khong\s*thoi\s*han")


def parse_deadline(value, issued_on: date | None) -> date | None:
    """The deadline of a cell: a date, or None for ongoing (empty, "Thường xuyên"); raise Unreadable otherwise."""
    try:
        return parse_day(value)
    except Unreadable:
        pass
    text = fold(cell_text(value))
    m = _NUMERIC_DATE.search(text)
    if m:
        return _checked(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    found = find_deadline(text, issued_on, None) or find_deadline("trong " + text, issued_on, None)
    if found is not None and (found.due is not None or found.ongoing):
        return found.due
    if _ONGOING_WORDS.search(text):
        return None
    raise Unreadable


_DONE = re.compile(r"(?<![a-z])(?:da\s*)?hoan\s*thanh|(?<![a-z])xong(?![a-z])|(?<![a-z])da\s*thuc\s*hien")
_NOT_DONE = re.compile(r"chua\s*hoan\s*thanh|dang\s*(?:thuc\s*hien|trien\s*khai)|chua\s*thuc\s*hien|chua\s*xong|"
                       r"khong\s*hoan\s*thanh")
_CANCELLED = re.compile(r"(?:da\s*)?huy(?:\s*bo)?(?![a-z])|khong\s*(?:con\s*)?thuc\s*hien|dung\s*thuc\s*hien")


@dataclass(frozen=True)
class Outcome:
    """What the status cells say: state "open", "done" or "cancelled", and its day if written."""

    state: str
    day: date | None = None


def parse_status(value, completed_value=None) -> Outcome:
    """Read the status cell (and the completion-date cell); raise Unreadable for an unreadable date in them."""
    completed = parse_day(completed_value) if completed_value not in (None, "") else None
    text = fold(cell_text(value))
    written = None
    m = _NUMERIC_DATE.search(text)
    if m:
        written = _checked(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    if text and _NOT_DONE.search(text):
        return Outcome("open")
    if text and _CANCELLED.search(text):
        return Outcome("cancelled", completed or written)
    if (text and _DONE.search(text)) or (completed is not None and not text):
        return Outcome("done", completed or written)
    return Outcome("open")


# --- directives -------------------------------------------------------------------------------

_KINDS = (("conclusion", re.compile(r"/tb\b|thong\s*bao")), ("decision", re.compile(r"/qd\b|quyet\s*dinh")),
          ("plan", re.compile(r"/kh\b|ke\s*hoach")), ("official_letter", re.compile(r"/(?:cv|ubnd|vp)\b|cong\s*van")))


def directive_kind(number: str) -> str:
    """The kind of document its number suggests ("125/TB-UBND" is a conclusion notice)."""
    key = fold(number).replace(" ", "")
    key = re.sub(r"[-_.]", "/", key)
    for kind, pattern in _KINDS:
        if pattern.search(key):
            return kind
    return "other"


def split_number(text: str) -> tuple[str, date | None]:
    """The number of a "số ký hiệu" cell, and the date written with it if any.

    "Số 125/TB-UBND" is "125/TB-UBND"; "125/TB-UBND ngày 04/3/2024" (or "125/TB-UBND, 04/3/2024")
    also gives 4 March 2024.
    """
    text = re.sub(r"^(?:s[oố]|s\.)\s*[:.]?\s*(?=\d)", "", text.strip(), flags=re.IGNORECASE)
    m = re.search(r"[\s,;(]+(?:ng[aà]y\s*)?(\d{1,2}\s*[/\-.]\s*\d{1,2}\s*[/\-.]\s*\d{2,4})\)?\s*$", text,
                  flags=re.IGNORECASE)
    if m:
        try:
            return text[:m.start()].strip(" ,;"), parse_day(m.group(1))
        except Unreadable:
            pass
    return text, None


@lru_cache(maxsize=20_000)
def number_key(number: str) -> str:
    """The folded number, as documents are told apart (tracker.models.Directive.number_key)."""
    return fold(number).replace(" ", "")[:80]


# --- units ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class UnitEntry:
    """A unit of the registry, as the matcher needs it."""

    id: int
    code: str
    name: str
    short_name: str = ""
    aliases: tuple[str, ...] = ()
    active: bool = True


@lru_cache(maxsize=20_000)
def unit_key(text: str) -> str:
    """A unit's name as compared: folded, "&" and punctuation as spaces, "ủy ban nhân dân" as "ubnd"."""
    key = " ".join(re.sub(r"[^a-z0-9]+", " ", fold(text)).split())
    return re.sub(r"\buy ban nhan dan\b", "ubnd", key)


class UnitIndex:
    """Find units by name, short name, alias or code; suggest the closest names for an unknown one."""

    def __init__(self, units: Iterable[UnitEntry]):
        self.units = {u.id: u for u in units}
        self.keys: dict[str, int] = {}
        # Active units win a name shared with a former unit.
        for u in sorted(self.units.values(), key=lambda u: (not u.active, u.id)):
            for text in (u.code, u.name, u.short_name, *u.aliases):
                key = unit_key(text)
                if key:
                    self.keys.setdefault(key, u.id)
                    if " " in text and "&" in text:  # "Sở TT&TT" is also "Sở TTTT"
                        self.keys.setdefault(unit_key(text.replace("&", "")), u.id)
        self._names = sorted(self.keys)
        self._closest: dict[str, list[UnitEntry]] = {}

    def find(self, text: str) -> UnitEntry | None:
        found = self.keys.get(unit_key(text))
        return self.units[found] if found is not None else None

    def closest(self, text: str, n: int = 3) -> list[UnitEntry]:
        """Up to `n` units whose names are closest to `text`, best first."""
        key = unit_key(text)
        if key not in self._closest:
            result: list[UnitEntry] = []
            for name in difflib.get_close_matches(key, self._names, n=n * 3, cutoff=0.5):
                unit = self.units[self.keys[name]]
                if unit not in result:
                    result.append(unit)
            self._closest[key] = result[:n]
        return self._closest[key]


_UNIT_SEP = re.compile(r"\s*[,;\n]\s*|\s+-\s+|\s*\+\s*")


def split_units(text: str, index: UnitIndex) -> list[str]:
    """The unit names of a "phối hợp" cell: split at commas, semicolons, lines; "A và B" when both are units."""
    parts = []
    for part in _UNIT_SEP.split(text or ""):
        part = part.strip(" .")
        if not part:
            continue
        if index.find(part) is None and re.search(r"\s+(?:và|va)\s+", part):
            pieces = [p.strip() for p in re.split(r"\s+(?:và|va)\s+", part) if p.strip()]
            if all(index.find(p) is not None for p in pieces):
                parts.extend(pieces)
                continue
        parts.append(part)
    return parts


# --- one row ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Problem:
    """What is wrong with a row: a code and its values (words chosen by the service)."""

    code: str  # missing, bad_date, unknown_unit, former_unit, duplicate, deadline_before, done_without_date,
    #            done_before, done_future, exists_other_date, outside
    field: str = ""
    value: str = ""
    suggestions: tuple[str, ...] = ()  # closest unit names
    line: int = 0  # the other row (duplicate)


@dataclass
class Row:
    """One spreadsheet row read into values, with its problems."""

    line: int  # the row's number in the sheet (1-based, as the spreadsheet shows it)
    number: str = ""
    issued_on: date | None = None
    summary: str = ""
    title: str = ""
    lead_unit: UnitEntry | None = None
    cooperating_units: list[UnitEntry] = field(default_factory=list)
    deadline: date | None = None
    state: str = "open"
    closed_on: date | None = None  # completion (done) or cancellation day
    note: str = ""
    problems: list[Problem] = field(default_factory=list)

    @cached_property
    def directive_key(self) -> tuple[str, date | None]:
        return (number_key(self.number), self.issued_on)

    @cached_property
    def task_key(self) -> tuple[str, str]:
        """A task told apart within its document: its folded title and lead unit."""
        return (fold(self.title)[:1000], self.lead_unit.code if self.lead_unit else "")

    @property
    def ok(self) -> bool:
        return not self.problems


def read_row(line: int, cells: Sequence, mapping: dict[str, int | None], index: UnitIndex, today: date,
             within: Callable[[UnitEntry], bool] | None = None) -> Row:
    """Read one row with the column `mapping`; its problems say what the user must fix."""
    def cell(name: str):
        col = mapping.get(name)
        return cells[col] if col is not None and col < len(cells) else None

    number, dated = split_number(cell_text(cell("number")))
    row = Row(line=line, number=number[:80], summary=cell_text(cell("summary"))[:1000],
              title=str(cell("title") or "").strip(), note=str(cell("note") or "").strip())
    problems = row.problems
    for name in ("number", "title"):
        if not getattr(row, name):
            problems.append(Problem("missing", name))
    try:
        row.issued_on = parse_day(cell("issued_on")) or dated
        if row.issued_on is None:
            problems.append(Problem("missing", "issued_on"))
        elif row.issued_on > today:
            problems.append(Problem("future", "issued_on", cell_text(cell("issued_on"))))
    except Unreadable:
        problems.append(Problem("bad_date", "issued_on", cell_text(cell("issued_on"))))
    lead_text = cell_text(cell("lead_unit"))
    if not lead_text:
        problems.append(Problem("missing", "lead_unit"))
    else:
        row.lead_unit = index.find(lead_text)
        if row.lead_unit is None:
            problems.append(Problem("unknown_unit", "lead_unit", lead_text,
                                    tuple(u.name for u in index.closest(lead_text))))
        elif within is not None and not within(row.lead_unit):
            problems.append(Problem("outside", "lead_unit", row.lead_unit.name))
    for name in split_units(cell_text(cell("cooperating_units")), index):
        unit = index.find(name)
        if unit is None:
            problems.append(Problem("unknown_unit", "cooperating_units", name,
                                    tuple(u.name for u in index.closest(name))))
        elif within is not None and not within(unit):
            problems.append(Problem("outside", "cooperating_units", unit.name))
        elif unit not in row.cooperating_units and unit != row.lead_unit:
            row.cooperating_units.append(unit)
    try:
        row.deadline = parse_deadline(cell("deadline"), row.issued_on)
        if row.deadline is not None and row.issued_on is not None and row.deadline < row.issued_on:
            problems.append(Problem("deadline_before", "deadline", cell_text(cell("deadline"))))
    except Unreadable:
        problems.append(Problem("bad_date", "deadline", cell_text(cell("deadline"))))
    try:
        outcome = parse_status(cell("status"), cell("completed_on"))
        row.state, row.closed_on = outcome.state, outcome.day
        if outcome.state == "done" and outcome.day is None:
            problems.append(Problem("done_without_date", "status", cell_text(cell("status"))))
        elif outcome.day is not None and outcome.day > today:
            problems.append(Problem("done_future", "status", outcome.day.strftime("%d/%m/%Y")))
        elif outcome.day is not None and row.issued_on is not None and outcome.day < row.issued_on:
            problems.append(Problem("done_before", "status", outcome.day.strftime("%d/%m/%Y")))
    except Unreadable:
        which = "completed_on" if mapping.get("completed_on") is not None and cell("completed_on") else "status"
        problems.append(Problem("bad_date", which, cell_text(cell(which))))
    if row.lead_unit is not None and not row.lead_unit.active and row.state == "open":
        problems.append(Problem("former_unit", "lead_unit", row.lead_unit.name))
    return row


def is_blank(cells: Sequence) -> bool:
    return all(cell_text(c) == "" for c in cells)
