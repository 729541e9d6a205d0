"""Import the Office's spreadsheet of assigned tasks (.xlsx or .csv): read, preview, then write at once.

`read_sheet` reads the file's first sheet into rows (checked by content and
size, a workbook inflating past a limit refused). `plan_import` reads every
row with a column mapping (guessed from the headers, or the user's), finds
each row's problems (tracker.rules.imports) and what the database already
holds: the same document (number, year, issuing unit) with another date, the
same task (document, title, lead unit) imported before, which is skipped and
is not a problem, so importing a file twice creates nothing the second time.
`apply_import` writes the plan in the caller's transaction: one directive per
(số ký hiệu, ngày), published, and its tasks, which count from the document's
date; rows done keep their completion date, so past figures are right.
Nobody is notified (the units received the documents long ago); reminders
follow the open tasks as usual. Nothing commits here.
"""
from __future__ import annotations

import csv
import io
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, insert, select

from tracker.lazytext import _l
from tracker.models import Directive, Task, Unit, User
from tracker.models.search import SearchDoc
from tracker.models.search import task_rows as search_rows
from tracker.models.task import task_cooperation
from tracker.rules.imports import (
    FIELDS,
    REQUIRED,
    TEMPLATE_HEADERS,
    Problem,
    Row,
    UnitEntry,
    UnitIndex,
    cell_text,
    directive_kind,
    find_header_row,
    guess_mapping,
    is_blank,
    number_key,
    read_row,
)
from tracker.services import audit
from tracker.services.errors import Invalid
from tracker.text import fold
from tracker.timeutil import utcnow

MAX_BYTES = 10 * 1024 * 1024
MAX_INFLATED = 60 * 1024 * 1024  # an .xlsx whose parts inflate past this is refused (a zip bomb)
MAX_ROWS = 50_000

FIELD_LABELS = {
    "number": _l("Number (số ký hiệu)"), "issued_on": _l("Date (ngày)"), "summary": _l("Summary (trích yếu)"),
    "title": _l("Task (nội dung nhiệm vụ)"), "lead_unit": _l("Lead unit (đơn vị chủ trì)"),
    "cooperating_units": _l("Cooperating units (đơn vị phối hợp)"), "deadline": _l("Deadline (thời hạn)"),
    "status": _l("Status (tình trạng)"), "note": _l("Note (ghi chú)"),
    "completed_on": _l("Completion date (ngày hoàn thành)"),
}


def _invalid(message) -> Invalid:
    return Invalid(message, {"file": message})


# --- reading the file -------------------------------------------------------------------------

@dataclass
class Sheet:
    """The rows of a spreadsheet: the header row and the data rows with their line numbers."""

    name: str
    header_line: int  # 1-based
    headers: list[str]
    rows: list[tuple[int, tuple]]  # (line, cells)


def read_sheet(data: bytes, filename: str) -> Sheet:
    """Read an uploaded .xlsx or .csv; raise Invalid with a clear message otherwise."""
    name = (filename or "").strip()
    if len(data) > MAX_BYTES:
        raise _invalid(_l("The file is larger than 10 MB."))
    if not data:
        raise _invalid(_l("The file is empty."))
    if data.startswith(b"PK\x03\x04"):
        table = _xlsx_rows(data)
    elif data.startswith(b"\xd0\xcf\x11\xe0"):
        raise _invalid(_l("This is an old Excel file (.xls): open it in Excel and save it as .xlsx, then upload it."))
    elif b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _invalid(_l("This file is not a spreadsheet: upload an .xlsx or a .csv file."))
    else:
        table = _csv_rows(data)
    if len(table) > MAX_ROWS:
        raise _invalid(_l("The file has more than %(n)d rows: split it.", n=MAX_ROWS))
    header_at = find_header_row(table)
    headers = [cell_text(c) for c in (table[header_at] if table else ())]
    rows = [(i + 1, tuple(r)) for i, r in enumerate(table) if i > header_at and not is_blank(r)]
    return Sheet(name=name, header_line=header_at + 1, headers=headers, rows=rows)


def _xlsx_rows(data: bytes) -> list[tuple]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = archive.namelist()
        inflated = sum(i.file_size for i in archive.infolist())
    except zipfile.BadZipFile as error:
        raise _invalid(_l("This file is not a readable Excel (.xlsx) workbook.")) from error
    if "xl/workbook.xml" not in names:
        raise _invalid(_l("This file is not a readable Excel (.xlsx) workbook."))
    if inflated > MAX_INFLATED:
        raise _invalid(_l("This workbook is too large once opened: save only the list of tasks and try again."))
    from tracker.services import xlsx  # lxml (~4.6 MB resident): loaded by the workers that read a workbook only

    try:
        return xlsx.read_rows(data, max_rows=MAX_ROWS + 100)
    except xlsx.TooManyRows as error:
        raise _invalid(_l("The file has more than %(n)d rows: split it.", n=MAX_ROWS)) from error
    except xlsx.NotAWorkbook as error:
        raise _invalid(_l("This file is not a readable Excel (.xlsx) workbook.")) from error


def _csv_rows(data: bytes) -> list[tuple]:
    for encoding in ("utf-8-sig", "utf-16", "cp1258"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise _invalid(_l("The file could not be read; save it as CSV UTF-8 and try again."))
    sample = text[:8192]
    delimiter = max(",;\t", key=sample.count)  # Excel writes ";" where the decimal mark is ","
    return [tuple(r) for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]


# --- the plan ---------------------------------------------------------------------------------

@dataclass
class Plan:
    """What importing the sheet with `mapping` would do: rows to create, rows already there, problems."""

    sheet: Sheet
    mapping: dict[str, int | None]
    issuing_unit: Unit
    rows: list[Row] = field(default_factory=list)
    new_rows: list[Row] = field(default_factory=list)  # without problems, not imported yet
    existing_rows: list[Row] = field(default_factory=list)  # imported before: skipped
    # Imported before, and the tracker now says otherwise (row, state, day): left as they are.
    changed_rows: list[tuple[Row, str, date | None]] = field(default_factory=list)
    directives: dict[tuple, int] = field(default_factory=dict)  # (number key, date) -> existing directive id
    missing_columns: list[str] = field(default_factory=list)

    @property
    def problem_rows(self) -> list[Row]:
        return [r for r in self.rows if r.problems]

    @property
    def new_directives(self) -> int:
        return len({r.directive_key for r in self.new_rows if r.directive_key not in self.directives})

    @property
    def ready(self) -> bool:
        """Nothing stops the import (problem rows may still be skipped)."""
        return not self.missing_columns


def unit_index(session) -> UnitIndex:
    return UnitIndex(UnitEntry(u.id, u.code, u.name, u.short_name or "", tuple(u.aliases or ()), bool(u.active))
                     for u in session.scalars(select(Unit)))


def clean_mapping(mapping: dict, columns: int) -> dict[str, int | None]:
    """Keep only known fields pointing at existing columns, each column used once."""
    result: dict[str, int | None] = {f: None for f in FIELDS}
    used = set()
    for name in FIELDS:
        col = mapping.get(name)
        if isinstance(col, int) and 0 <= col < columns and col not in used:
            result[name] = col
            used.add(col)
    return result


def plan_import(session, sheet: Sheet, issuing_unit: Unit, today: date,
                mapping: dict[str, int | None] | None = None) -> Plan:
    """Read every row of `sheet` and compare it with the database; write nothing."""
    mapping = clean_mapping(guess_mapping(sheet.headers) if mapping is None else mapping, len(sheet.headers))
    plan = Plan(sheet=sheet, mapping=mapping, issuing_unit=issuing_unit)
    plan.missing_columns = [f for f in REQUIRED if mapping[f] is None]
    if plan.missing_columns:
        return plan
    index = unit_index(session)
    allowed = set(session.scalars(select(Unit.id).where(Unit.path.startswith(issuing_unit.path))))
    plan.rows = [read_row(line, cells, mapping, index, today, within=lambda u: u.id in allowed)
                 for line, cells in sheet.rows]
    _check_file(plan.rows)
    _check_database(session, plan)
    return plan


def _check_file(rows: list[Row]) -> None:
    """Duplicates within the file, and one number given two dates in one year."""
    seen: dict[tuple, int] = {}
    dates: dict[tuple, tuple[date, int]] = {}
    for row in rows:
        if row.issued_on is None or not row.number:
            continue
        year_key = (number_key(row.number), row.issued_on.year)
        first = dates.setdefault(year_key, (row.issued_on, row.line))
        if first[0] != row.issued_on:
            row.problems.append(Problem("number_two_dates", "issued_on", first[0].strftime("%d/%m/%Y"),
                                        line=first[1]))
        if row.title and row.lead_unit is not None:
            key = (row.directive_key, row.task_key)
            if key in seen:
                row.problems.append(Problem("duplicate", "title", line=seen[key]))
            else:
                seen[key] = row.line


def _chunks(items: list, size: int = 500):
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _check_database(session, plan: Plan) -> None:
    """Documents recorded with another date; tasks imported before (skipped, not problems)."""
    keys = sorted({number_key(r.number) for r in plan.rows if r.number and r.issued_on})
    found: dict[tuple[str, int], tuple[int, date]] = {}
    for part in _chunks(keys):
        for did, key, year, issued in session.execute(
                select(Directive.id, Directive.number_key, Directive.year, Directive.issued_on)
                .where(Directive.issuing_unit_id == plan.issuing_unit.id, Directive.number_key.in_(part))):
            found[(key, year)] = (did, issued)
    for row in plan.rows:
        if row.issued_on is None or not row.number:
            continue
        hit = found.get((number_key(row.number), row.issued_on.year))
        if hit is None:
            continue
        if hit[1] != row.issued_on:
            row.problems.append(Problem("exists_other_date", "issued_on", hit[1].strftime("%d/%m/%Y")))
        else:
            plan.directives[row.directive_key] = hit[0]
    present: dict[tuple[int, str, str], tuple[str, date | None]] = {}
    for part in _chunks(sorted(set(plan.directives.values()))):
        for did, title, code, state, completed, cancelled in session.execute(
                select(Task.directive_id, Task.title, Unit.code, Task.state, Task.completed_on, Task.cancelled_on)
                .join(Unit, Unit.id == Task.lead_unit_id)
                .where(Task.directive_id.in_(part), Task.parent_id.is_(None))):
            state = "open" if state == "submitted" else state
            present[(did, fold(title)[:1000], code)] = (state, completed if state == "done" else
                                                        cancelled if state == "cancelled" else None)
    for row in plan.rows:
        did = plan.directives.get(row.directive_key)
        now = present.get((did, *row.task_key)) if did is not None else None
        if now is not None:
            # Already imported: skipped. Its duplicate mark within the file no longer matters.
            row.problems = [p for p in row.problems if p.code != "duplicate"]
            if not row.problems:
                plan.existing_rows.append(row)
                if now[0] != row.state or (row.state == "done" and now[1] != row.closed_on):
                    plan.changed_rows.append((row, *now))
            continue
        if not row.problems:
            plan.new_rows.append(row)


# --- the words --------------------------------------------------------------------------------

def describe(problem: Problem) -> str:
    """One problem in words, for the preview page and the command line."""
    label = FIELD_LABELS.get(problem.field, problem.field)
    code = problem.code
    if code == "missing":
        return str(_l("%(field)s is empty.", field=label))
    if code == "bad_date":
        return str(_l("%(field)s: \"%(value)s\" is not a date (write dd/mm/yyyy).", field=label, value=problem.value))
    if code == "future":
        return str(_l("%(field)s: %(value)s is in the future.", field=label, value=problem.value))
    if code == "unknown_unit":
        if problem.suggestions:
            return str(_l("%(field)s: \"%(value)s\" is not a known unit. Closest: %(names)s.", field=label,
                          value=problem.value, names="; ".join(problem.suggestions)))
        return str(_l("%(field)s: \"%(value)s\" is not a known unit.", field=label, value=problem.value))
    if code == "outside":
        return str(_l("%(field)s: %(value)s is outside the issuing unit.", field=label, value=problem.value))
    if code == "former_unit":
        return str(_l("%(field)s: %(value)s no longer exists; give the open task to its successor.", field=label,
                      value=problem.value))
    if code == "duplicate":
        return str(_l("The same task as row %(line)d.", line=problem.line))
    if code == "number_two_dates":
        return str(_l("The same number is dated %(date)s in row %(line)d.", date=problem.value, line=problem.line))
    if code == "exists_other_date":
        return str(_l("A document with this number is already recorded, dated %(date)s.", date=problem.value))
    if code == "deadline_before":
        return str(_l("The deadline %(value)s is before the document's date.", value=problem.value))
    if code == "done_without_date":
        return str(_l("Done, but when? Write \"Đã hoàn thành ngày dd/mm/yyyy\" or fill in the completion date."))
    if code == "done_future":
        return str(_l("The completion date %(value)s is in the future.", value=problem.value))
    if code == "done_before":
        return str(_l("The completion date %(value)s is before the document's date.", value=problem.value))
    return code


# --- writing ----------------------------------------------------------------------------------

@dataclass
class Result:
    directives: int = 0
    tasks: int = 0
    existing: int = 0
    skipped: int = 0


def apply_import(session, plan: Plan, actor: User | None, today: date, skip_invalid: bool = False) -> Result:
    """Write the plan's new rows (one directive per number and date, its tasks); the caller commits."""
    if not plan.ready:
        raise Invalid(_l("Choose the columns of: %(fields)s.",
                         fields=", ".join(str(FIELD_LABELS[f]) for f in plan.missing_columns)))
    if plan.problem_rows and not skip_invalid:
        raise Invalid(_l("%(n)d rows have problems: correct them, or import the other rows only.",
                         n=len(plan.problem_rows)))
    result = Result(existing=len(plan.existing_rows), skipped=len(plan.problem_rows))
    if not plan.new_rows:
        return result
    now = utcnow()
    actor_id = actor.id if actor is not None else None
    groups: dict[tuple, list[Row]] = defaultdict(list)
    for row in plan.new_rows:
        groups[row.directive_key].append(row)
    made: dict[tuple, Directive] = {}
    for key, rows in groups.items():
        if key in plan.directives:
            continue
        first = rows[0]
        summary = next((r.summary for r in rows if r.summary), "") or first.number
        directive = Directive(number=first.number, kind=directive_kind(first.number), title=summary,
                              issued_on=first.issued_on, issuing_unit_id=plan.issuing_unit.id, signer="", text="",
                              created_by_id=actor_id, created_at=now, published_at=now)
        directive.refresh_search()
        session.add(directive)
        made[key] = directive
    session.flush()
    ids = {**plan.directives, **{k: d.id for k, d in made.items()}}
    positions = dict(session.execute(
        select(Task.directive_id, func.max(Task.position)).where(Task.directive_id.in_(list(plan.directives.values())))
        .group_by(Task.directive_id)).all()) if plan.directives else {}
    task_rows, coops = [], {}
    for key, rows in groups.items():
        did = ids[key]
        position = positions.get(did) or 0
        for row in rows:
            position += 1
            task_rows.append(_task_values(row, did, position, plan.issuing_unit.id, actor_id, today, now))
            if row.cooperating_units:
                coops[(did, position)] = row.cooperating_units
    # Plain multi-row INSERTs (RETURNING in parameter order would send one row per statement on
    # SQLite); each new task is then found by its document and its position, which are new.
    table = Task.__table__
    for part in _chunks(task_rows, 1000):
        session.execute(table.insert(), part)
    links = []
    if coops:
        wanted = sorted({did for did, _pos in coops})
        for part in _chunks(wanted):
            for tid, did, position in session.execute(
                    select(table.c.id, table.c.directive_id, table.c.position)
                    .where(table.c.directive_id.in_(part), table.c.parent_id.is_(None))):
                for unit in coops.get((did, position), ()):
                    links.append({"task_id": tid, "unit_id": unit.id})
    if links:
        session.execute(insert(task_cooperation), links)
    # The full-text index is kept at each ORM flush; these tasks were written around it.
    indexed = select(SearchDoc.id).where(SearchDoc.kind == "task", SearchDoc.ref_id == table.c.id)
    for part in _chunks(sorted({ids[key] for key in groups})):
        docs = search_rows(session.execute(
            select(table.c.id, table.c.title, table.c.description)
            .where(table.c.directive_id.in_(part), ~indexed.exists())).all())
        for chunk in _chunks(docs, 1000):
            session.execute(insert(SearchDoc), chunk)
    for key, directive in made.items():
        audit.record("directive.import", actor=actor, obj=directive, summary=f"{directive.number}: {directive.title}",
                     changes={"tasks": len(groups[key])})
    result.directives, result.tasks = len(made), len(task_rows)
    audit.record("tasks.import", actor=actor, object_type="import", summary=plan.sheet.name[:200],
                 changes={"file": plan.sheet.name, "directives": result.directives, "tasks": result.tasks,
                          "existing": result.existing, "skipped": result.skipped})
    return result


def _task_values(row: Row, directive_id: int, position: int, issuing_unit_id: int, actor_id: int | None,
                 today: date, now) -> dict:
    title, description = row.title, ""
    if len(title) > 1000:
        title, description = title[:999] + "…", title
    if row.note:
        description = f"{description}\n\nGhi chú: {row.note}".strip()
    done = row.state == "done"
    cancelled = row.state == "cancelled"
    return {
        "directive_id": directive_id, "parent_id": None, "position": position, "title": title,
        "description": description, "issuing_unit_id": issuing_unit_id, "lead_unit_id": row.lead_unit.id,
        "assignee_id": None, "deadline": row.deadline, "original_deadline": row.deadline, "priority": "normal",
        "tags": [], "tag_text": "", "progress": 100 if done else 0, "state": row.state, "created_on": today,
        "assigned_on": min(row.issued_on, today), "completed_on": row.closed_on if done else None,
        "done_on": row.closed_on if done else None,
        "cancelled_on": (row.closed_on or row.issued_on) if cancelled else None, "needs_attention": False,
        "created_by_id": actor_id, "created_at": now, "updated_by_id": actor_id, "updated_at": now,
        "search_text": fold(f"{title} | {description}")[:2000], "version": 1,
    }


# --- the template -----------------------------------------------------------------------------

def template_workbook() -> bytes:
    """An empty list with the recognised headers, and a sheet explaining each column."""
    from openpyxl import Workbook  # ~10 MB: loaded by the workers that hand out the template only
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "Danh sách nhiệm vụ"
    sheet.append([TEMPLATE_HEADERS[f] for f in FIELDS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCDEFGHIJ", (16, 12, 40, 60, 30, 30, 16, 30, 24, 16)):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    notes = book.create_sheet("Hướng dẫn")
    notes.append(["Cột", "Cách ghi"])
    for name, how in (
            ("Số ký hiệu", "Bắt buộc. Ví dụ: 125/TB-UBND. Các dòng cùng số ký hiệu và ngày thuộc một văn bản."),
            ("Ngày", "Bắt buộc. Ngày ban hành văn bản: dd/mm/yyyy."),
            ("Trích yếu", "Trích yếu văn bản (ghi ở một dòng của văn bản là đủ)."),
            ("Nội dung nhiệm vụ", "Bắt buộc. Mỗi dòng một nhiệm vụ."),
            ("Đơn vị chủ trì", "Bắt buộc. Tên, tên viết tắt hoặc mã đơn vị, có dấu hay không dấu."),
            ("Đơn vị phối hợp", "Các đơn vị cách nhau bởi dấu phẩy hoặc chấm phẩy."),
            ("Thời hạn", "dd/mm/yyyy, hoặc \"Quý III/2025\", \"Thường xuyên\" (để trống: thường xuyên)."),
            ("Tình trạng", "\"Đã hoàn thành ngày dd/mm/yyyy\", \"Đang thực hiện\", \"Đã hủy\"."),
            ("Ghi chú", "Ghi vào phần mô tả của nhiệm vụ."),
            ("Ngày hoàn thành", "Không bắt buộc: ngày hoàn thành, nếu không ghi trong cột Tình trạng.")):
        notes.append([name, how])
    notes.column_dimensions["A"].width = 20
    notes.column_dimensions["B"].width = 100
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
