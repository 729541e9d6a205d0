"""Exports of the dashboard: the task list and unit statistics (.xlsx, .csv) and the periodic report (.docx).

The documents are in Vietnamese, the language the Office files and signs
them in, so their headers are written here in Vietnamese. Text cells that
a spreadsheet would read as a formula (starting with = + - @, a tab or a
carriage return) get a leading apostrophe: a task title cannot run code
in the Office's Excel.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime

from tracker.rules.status import STATUSES
from tracker.services.stats import Counts, TaskRow, UnitRow
from tracker.text import CELL_CONTROL, STATUS_VI, safe_text


TASK_HEADERS = ["STT", "Số, ký hiệu văn bản", "Ngày văn bản", "Nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp",
                "Người thực hiện", "Thời hạn", "Thời hạn ban đầu", "Ngày hoàn thành", "Tiến độ (%)", "Trạng thái",
                "Số ngày quá hạn", "Lĩnh vực"]
UNIT_HEADERS = ["STT", "Đơn vị chủ trì", "Tổng số", *[STATUS_VI[s] for s in STATUSES], "Sắp đến hạn",
                "Tỷ lệ hoàn thành", "Tỷ lệ đúng hạn"]





@dataclass
class Scope:
    """What an export describes, in words for its header."""

    user_name: str
    unit_name: str
    as_of: date
    period: str
    issuer: str
    lead_unit: str
    tag: str
    directive: str
    made_at: datetime


def task_values(number: int, row: TaskRow) -> list:
    """One task as the values of a row (dates as dates)."""
    task = row.task
    completed = task.completed_on if row.status in ("done_on_time", "done_late") else None
    return [
        number, task.directive.number, task.directive.issued_on, task.title, task.lead_unit.name,
        ", ".join(u.name for u in task.cooperating_units), task.assignee.full_name if task.assignee else "",
        row.deadline, task.original_deadline if task.original_deadline != row.deadline else None, completed,
        row.progress, STATUS_VI.get(row.status, row.status), row.days_late or None, ", ".join(task.tags or []),
    ]


def unit_values(number: int | None, name: str, counts: Counts) -> list:
    return [number, name, counts.total, *[counts[s] for s in STATUSES], counts.due_soon,
            counts.completion_rate, counts.on_time_rate]


def status_summary(counts: Counts) -> str:
    return "; ".join(f"{STATUS_VI[s]}: {counts[s]}" for s in STATUSES if counts[s])


# --- Excel -----------------------------------------------------------------------------------

def xlsx(scope: Scope, rows: Iterable[TaskRow], totals: Counts, units: list[UnitRow]) -> bytes:
    """The workbook: the task list, the statistics by unit, and what the export covers."""
    # openpyxl and python-docx (~15 MB together) load in the workers that export, not in every worker.
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    bold = Font(bold=True)
    head_fill = PatternFill("solid", fgColor="EEF1F5")
    wb = Workbook()

    def header(ws, names, widths):
        ws.append(names)
        for i, width in enumerate(widths, start=1):
            cell = ws.cell(row=1, column=i)
            cell.font, cell.fill = bold, head_fill
            cell.alignment = Alignment(wrap_text=True, vertical="center")
            ws.column_dimensions[get_column_letter(i)].width = width
        ws.freeze_panes = "A2"

    def append(ws, values, date_columns=(), percent_columns=()):
        ws.append([safe_text(v) for v in values])
        r = ws.max_row
        for c in date_columns:
            ws.cell(row=r, column=c).number_format = "DD/MM/YYYY"
        for c in percent_columns:
            ws.cell(row=r, column=c).number_format = "0.0%"
        return r

    tasks_ws = wb.active
    tasks_ws.title = "Danh sách nhiệm vụ"
    header(tasks_ws, TASK_HEADERS, [6, 16, 12, 60, 28, 28, 22, 12, 12, 12, 10, 22, 10, 20])
    n = 0
    for n, row in enumerate(rows, start=1):
        r = append(tasks_ws, task_values(n, row), date_columns=(3, 8, 9, 10))
        tasks_ws.cell(row=r, column=4).alignment = Alignment(wrap_text=True, vertical="top")
    total_row = append(tasks_ws, ["Tổng cộng", None, None, f"{n} nhiệm vụ", None, None, None, None, None, None,
                                  None, status_summary(totals), None, None])
    for cell in tasks_ws[total_row]:
        cell.font = bold
    tasks_ws.auto_filter.ref = f"A1:{get_column_letter(len(TASK_HEADERS))}{max(n + 1, 1)}"

    units_ws = wb.create_sheet("Thống kê theo đơn vị")
    header(units_ws, UNIT_HEADERS, [6, 36, 10, 14, 14, 14, 10, 10, 12, 14, 14])
    for i, unit_row in enumerate(units, start=1):
        append(units_ws, unit_values(i, unit_row.unit.name, unit_row.counts), percent_columns=(10, 11))
    r = append(units_ws, unit_values(None, "Tổng cộng", totals), percent_columns=(10, 11))
    units_ws.cell(row=r, column=1).value = None
    for cell in units_ws[r]:
        cell.font = bold

    info = wb.create_sheet("Thông tin")
    info.column_dimensions["A"].width = 24
    info.column_dimensions["B"].width = 60
    for label, value in scope_lines(scope):
        info.append([label, safe_text(value)])
        if isinstance(value, (date, datetime)):
            info.cell(row=info.max_row, column=2).number_format = (
                "DD/MM/YYYY HH:MM" if isinstance(value, datetime) else "DD/MM/YYYY")
    for cell in info["A"]:
        cell.font = bold

    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def scope_lines(scope: Scope) -> list[tuple[str, object]]:
    return [
        ("Báo cáo", "Tình hình thực hiện nhiệm vụ"),
        ("Đơn vị", scope.unit_name),
        ("Số liệu tính đến ngày", scope.as_of),
        ("Kỳ (thời hạn trong kỳ)", scope.period or "Tất cả"),
        ("Đơn vị giao nhiệm vụ", scope.issuer or "Tất cả"),
        ("Đơn vị chủ trì", scope.lead_unit or "Tất cả"),
        ("Lĩnh vực", scope.tag or "Tất cả"),
        ("Văn bản", scope.directive or "Tất cả"),
        ("Người xuất", scope.user_name),
        ("Thời điểm xuất", scope.made_at.replace(tzinfo=None)),
    ]


# --- CSV -------------------------------------------------------------------------------------

def _csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:.4f}"
    return str(safe_text(value))


def csv_tasks(rows: Iterable[TaskRow]) -> Iterator[str]:
    """The task list as CSV text, UTF-8 with a byte-order mark so Excel reads Vietnamese right."""
    yield from _csv_lines([TASK_HEADERS], bom=True)
    for n, row in enumerate(rows, start=1):
        yield from _csv_lines([task_values(n, row)])


def csv_units(units: list[UnitRow], totals: Counts) -> Iterator[str]:
    yield from _csv_lines([UNIT_HEADERS], bom=True)
    for i, unit_row in enumerate(units, start=1):
        yield from _csv_lines([unit_values(i, unit_row.unit.name, unit_row.counts)])
    yield from _csv_lines([unit_values(None, "Tổng cộng", totals)])


def _csv_lines(rows, bom: bool = False) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow([_csv_value(v) for v in row])
    yield ("\ufeff" if bom else "") + buffer.getvalue()


# --- the periodic report (.docx) -------------------------------------------------------------

def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%".replace(".", ",")


def report_docx(scope: Scope, totals: Counts, units: list[UnitRow], overdue: list[TaskRow], parent_name: str,
                unit_code: str, today: date, due_soon_days: int = 7, proposals: Iterable = (),
                signer: tuple[str, str] | None = None) -> bytes:
    """"Báo cáo tình hình thực hiện nhiệm vụ" in the usual administrative layout (Decree 30/2020/NĐ-CP).

    Section IV lists the `proposals` awaiting the issuer's answer; `signer` is the (title, name) of the
    leader chosen at export, else the block reads "THỦ TRƯỞNG ĐƠN VỊ" for a name written by hand.
    """
    signer_line = signer
    from docx import Document  # loaded on the first report (see xlsx)
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    normal = doc.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(13)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "Times New Roman")
    normal.paragraph_format.space_after = Pt(0)

    def para(cell_or_doc, text="", bold=False, italic=False, size=None, align=None, underline=False,
             space_after=0):
        p = cell_or_doc.add_paragraph()
        if text:
            run = p.add_run(CELL_CONTROL.sub("", text))
            run.bold, run.italic, run.underline = bold, italic, underline
            if size:
                run.font.size = Pt(size)
        if align is not None:
            p.alignment = align
        p.paragraph_format.space_after = Pt(space_after)
        return p

    center = WD_ALIGN_PARAGRAPH.CENTER
    # Header: the unit (left) and the national motto (right), with the number and the date under them.
    head = doc.add_table(rows=2, cols=2)
    head.alignment = WD_TABLE_ALIGNMENT.CENTER
    head.autofit = False
    for row in head.rows:
        row.cells[0].width, row.cells[1].width = Mm(70), Mm(95)
    left, right = head.cell(0, 0), head.cell(0, 1)
    left.paragraphs[0].text = ""
    if parent_name:
        left.paragraphs[0].add_run(parent_name.upper()).font.size = Pt(12)
        left.paragraphs[0].alignment = center
        para(left, scope.unit_name.upper(), bold=True, size=12, align=center)
    else:
        run = left.paragraphs[0].add_run(scope.unit_name.upper())
        run.bold, run.font.size = True, Pt(12)
        left.paragraphs[0].alignment = center
    para(left, "_______", align=center)
    run = right.paragraphs[0].add_run("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    run.bold, run.font.size = True, Pt(12)
    right.paragraphs[0].alignment = center
    para(right, "Độc lập - Tự do - Hạnh phúc", bold=True, size=13, align=center)
    para(right, "_______________________", align=center)
    para(head.cell(1, 0), f"Số:      /BC-{unit_code}", size=13, align=center)
    para(head.cell(1, 1), f"…, ngày {today:%d} tháng {today:%m} năm {today:%Y}", italic=True, size=13, align=center)
    for cell in (head.cell(1, 0), head.cell(1, 1)):
        if not cell.paragraphs[0].text:
            cell.paragraphs[0]._element.getparent().remove(cell.paragraphs[0]._element)

    para(doc, "", space_after=6)
    para(doc, "BÁO CÁO", bold=True, size=14, align=center)
    para(doc, "Tình hình thực hiện nhiệm vụ", bold=True, size=14, align=center)
    sub = f"(Số liệu tính đến ngày {scope.as_of:%d/%m/%Y}"
    sub += f"; kỳ báo cáo: {scope.period})" if scope.period else ")"
    para(doc, sub, italic=True, align=center)
    para(doc, "_________", align=center, space_after=12)

    def heading(text):
        para(doc, text, bold=True, space_after=6)

    def body(text):
        p = para(doc, text, space_after=6)
        p.paragraph_format.first_line_indent = Mm(10)
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        return p

    filters = [f"đơn vị giao nhiệm vụ: {scope.issuer}" if scope.issuer else "",
               f"đơn vị chủ trì: {scope.lead_unit}" if scope.lead_unit else "",
               f"lĩnh vực: {scope.tag}" if scope.tag else "", f"văn bản: {scope.directive}" if scope.directive else ""]
    narrowed = "; ".join(f for f in filters if f)
    heading("I. TÌNH HÌNH CHUNG")
    body(f"Tổng số nhiệm vụ được theo dõi{(' (' + narrowed + ')') if narrowed else ''}: {totals.total} nhiệm vụ, "
         f"trong đó: hoàn thành đúng hạn {totals['done_on_time']}; hoàn thành quá hạn {totals['done_late']}; "
         f"đang thực hiện trong hạn {totals['in_progress']}; quá hạn {totals['overdue']}; "
         f"đã hủy {totals['cancelled']}. Sắp đến hạn (trong {due_soon_days} ngày làm việc tới): "
         f"{totals.due_soon} nhiệm vụ.")
    body(f"Tỷ lệ hoàn thành: {_percent(totals.completion_rate)}; tỷ lệ hoàn thành đúng hạn: "
         f"{_percent(totals.on_time_rate)}.")

    def table(headers, rows, widths, bold_last=False):
        t = doc.add_table(rows=1, cols=len(headers))
        t.style = "Table Grid"
        t.alignment = WD_TABLE_ALIGNMENT.CENTER
        for i, text in enumerate(headers):
            cell = t.rows[0].cells[i]
            cell.paragraphs[0].text = ""
            run = cell.paragraphs[0].add_run(text)
            run.bold, run.font.size = True, Pt(11)
            cell.paragraphs[0].alignment = center
        for r_index, values in enumerate(rows):
            cells = t.add_row().cells
            for i, value in enumerate(values):
                cells[i].paragraphs[0].text = ""
                run = cells[i].paragraphs[0].add_run("" if value is None else CELL_CONTROL.sub("", str(value)))
                run.font.size = Pt(11)
                run.bold = bold_last and r_index == len(rows) - 1
                if i != 1 and not (len(headers) > 6 and i in (1, 6)):
                    cells[i].paragraphs[0].alignment = center
        for row in t.rows:
            for i, width in enumerate(widths):
                row.cells[i].width = Mm(width)
        return t

    heading("II. KẾT QUẢ THỰC HIỆN THEO ĐƠN VỊ CHỦ TRÌ")
    unit_rows = [[i, row.unit.name, row.counts.total, row.counts["done_on_time"], row.counts["done_late"],
                  row.counts["in_progress"], row.counts["overdue"], row.counts["cancelled"],
                  _percent(row.counts.on_time_rate)] for i, row in enumerate(units, start=1)]
    unit_rows.append(["", "Tổng cộng", totals.total, totals["done_on_time"], totals["done_late"],
                      totals["in_progress"], totals["overdue"], totals["cancelled"], _percent(totals.on_time_rate)])
    table(["STT", "Đơn vị", "Tổng số", "Hoàn thành đúng hạn", "Hoàn thành quá hạn", "Đang thực hiện trong hạn",
           "Quá hạn", "Đã hủy", "Tỷ lệ đúng hạn"], unit_rows, [10, 45, 14, 17, 17, 17, 14, 13, 18], bold_last=True)

    para(doc, "", space_after=6)
    heading("III. CÁC NHIỆM VỤ QUÁ HẠN")
    if overdue:
        table(["STT", "Nhiệm vụ", "Văn bản", "Đơn vị chủ trì", "Thời hạn", "Số ngày quá hạn",
               "Lý do, khó khăn (theo báo cáo gần nhất)"],
              [[i, r.task.title, r.task.directive.number, r.task.lead_unit.name,
                r.deadline.strftime("%d/%m/%Y") if r.deadline else "", r.days_late, r.difficulties or "Chưa báo cáo"]
               for i, r in enumerate(overdue, start=1)], [10, 50, 22, 26, 18, 15, 24])
    else:
        body("Không có nhiệm vụ quá hạn.")

    para(doc, "", space_after=6)
    heading("IV. KIẾN NGHỊ, ĐỀ XUẤT")
    proposals = list(proposals)  # progress reports whose proposals await the issuer's answer
    for i, update in enumerate(proposals, start=1):
        body(safe_text(f"{i}. {update.proposals.strip()} ({update.unit.name}, báo cáo ngày "
                       f"{update.reported_on:%d/%m/%Y}, nhiệm vụ: {update.task.title})"))
    if not proposals:
        body("Không có kiến nghị, đề xuất nào đang chờ ý kiến.")

    para(doc, "", space_after=12)
    sign = doc.add_table(rows=1, cols=2)
    sign.autofit = False
    recipients, signer = sign.cell(0, 0), sign.cell(0, 1)
    recipients.width, signer.width = Mm(80), Mm(85)
    recipients.paragraphs[0].text = ""
    run = recipients.paragraphs[0].add_run("Nơi nhận:")
    run.bold, run.italic, run.font.size = True, True, Pt(12)
    for line in ("- Như trên;", "- Lưu: VT."):
        para(recipients, line, size=11)
    sign_cell = signer
    sign_cell.paragraphs[0].text = ""
    title, name = signer_line if signer_line else ("THỦ TRƯỞNG ĐƠN VỊ", "")
    run = sign_cell.paragraphs[0].add_run(safe_text(title.upper()))
    run.bold = True
    sign_cell.paragraphs[0].alignment = center
    para(sign_cell, "(Ký, ghi rõ họ tên, đóng dấu)" if not name else "", italic=True, size=12, align=center)
    if name:
        for _blank in range(3):
            para(sign_cell, "", size=12, align=center)
        p_name = sign_cell.add_paragraph()
        p_name.alignment = center
        name_run = p_name.add_run(safe_text(name))
        name_run.bold = True

    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
