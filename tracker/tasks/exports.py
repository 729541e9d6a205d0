"""The task list exactly as /tasks shows it (the same filters, order and statuses), as Excel and CSV.

In Vietnamese, the Office's language, like the dashboard's exports. Text a spreadsheet would read
as a formula gets a leading apostrophe; control characters no worksheet may hold are dropped.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import date

from tracker.text import STATUS_VI, safe_text

HEADERS = ["STT", "Số, ký hiệu văn bản", "Ngày văn bản", "Nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp",
           "Người thực hiện", "Thời hạn", "Tiến độ (%)", "Trạng thái", "Số ngày quá hạn"]
WIDTHS = [6, 16, 12, 60, 28, 28, 22, 12, 10, 22, 10]
DATE_COLUMNS = (3, 8)



def values(number: int, task, status: str, days_overdue: int | None) -> list:
    return [number, task.directive.number, task.directive.issued_on, task.title, task.lead_unit.name,
            ", ".join(u.name for u in task.cooperating_units), task.assignee.full_name if task.assignee else "",
            task.deadline, task.progress, STATUS_VI.get(status, status), days_overdue or None]


def xlsx(rows: Iterable[list], described: list[tuple[str, str]]) -> bytes:
    """The rows (from `values`) on one sheet, what the list shows (its filters in words) on another."""
    from openpyxl import Workbook  # loaded by the workers that export only
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = "Danh sách nhiệm vụ"
    ws.append(HEADERS)
    for i, width in enumerate(WIDTHS, start=1):
        cell = ws.cell(row=1, column=i)
        cell.font, cell.fill = Font(bold=True), PatternFill("solid", fgColor="EEF1F5")
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    n = 0
    for n, row in enumerate(rows, start=1):
        ws.append([safe_text(v) for v in row])
        for c in DATE_COLUMNS:
            ws.cell(row=n + 1, column=c).number_format = "DD/MM/YYYY"
        ws.cell(row=n + 1, column=4).alignment = Alignment(wrap_text=True, vertical="top")
    ws.auto_filter.ref = f"A1:{get_column_letter(len(HEADERS))}{n + 1}"
    info = wb.create_sheet("Bộ lọc")
    info.column_dimensions["A"].width = 24
    info.column_dimensions["B"].width = 60
    for label, value in described:
        info.append([label, safe_text(value)])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def csv_text(rows: Iterable[list]) -> Iterator[str]:
    """The rows as CSV, UTF-8 with a byte-order mark so that Excel reads Vietnamese right."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADERS)
    yield "\ufeff" + buffer.getvalue()
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(["" if v is None else v.isoformat() if isinstance(v, date) else safe_text(v)
                         for v in row])
        yield buffer.getvalue()
