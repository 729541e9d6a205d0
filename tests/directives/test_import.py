"""Importing the Office's spreadsheet: upload, preview with every row's problems, confirm; and the CLI.

The Office's file mixes what it always has: a title row, headers in its
own words, a document done late, one on time, one still open, and rows
with problems (an unknown unit, an unreadable date, a duplicate, a missing
field). Nothing is written until confirmed; importing again creates nothing.
"""
from __future__ import annotations

import html
import io
import re
from datetime import date, datetime

import pytest
from flask_babel import force_locale, gettext
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from tests.conftest import flask_command
from tests.tasks.pages import download, flashes, main_text
from tracker.models import AuditEvent, Directive, Task, Unit
from tracker.rules.status import facts_of, status_on

HEADERS = ["STT", "Số, ký hiệu", "Ngày", "Trích yếu", "Nội dung nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp",
           "Thời hạn", "Tình trạng", "Ghi chú"]
GOOD = [
    [1, "15/TB-UBND", datetime(2024, 3, 4), "Kết luận về cải cách hành chính", "Rà soát thủ tục hành chính",
     "Sở Nội vụ", "Sở Tài chính, Sở TT&TT", datetime(2024, 6, 30), "Đã hoàn thành ngày 12/7/2024", ""],
    [2, "15/TB-UBND", "04/03/2024", "", "Số hóa hồ sơ một cửa", "so tttt", "", "30/09/2024",
     "Đã hoàn thành ngày 20/9/2024", "Ưu tiên"],
    [3, "15/TB-UBND", "04/03/2024", "", "Tuyên truyền cải cách hành chính", "Đài PTTH", "", "Thường xuyên",
     "Đang thực hiện", ""],
    [4, "220/UBND-KT", "12/11/2024", "Về việc đầu tư hạ tầng số", "Lập kế hoạch đầu tư hạ tầng số", "Sở KH&ĐT",
     "", "Quý I/2025", "", ""],
]
BAD = [
    [5, "220/UBND-KT", "12/11/2024", "", "Thẩm định kinh phí", "Sở Tài chánh", "", "31/12/2024", "", ""],
    [6, "31/TB-UBND", "31/02/2025", "", "Báo cáo sơ kết", "Sở Nội vụ", "", "", "", ""],
    [7, "15/TB-UBND", "04/03/2024", "", "Rà soát thủ tục hành chính", "Sở Nội vụ", "", "30/06/2024", "", ""],
    [8, "", "04/03/2024", "", "Nhiệm vụ không số", "Sở Nội vụ", "", "", "", ""],
]


def xlsx(rows, headers=HEADERS, title=True) -> bytes:
    book = Workbook()
    sheet = book.active
    if title:
        sheet.append(["DANH MỤC NHIỆM VỤ UBND TỈNH GIAO"])
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(client, data: bytes, name="nhiem-vu.xlsx", **extra):
    return client.post("/directives/import", data={"file": (io.BytesIO(data), name), **extra},
                       content_type="multipart/form-data")


def counts(db) -> tuple[int, int]:
    return (db.session.scalar(select(func.count()).select_from(Directive)),
            db.session.scalar(select(func.count()).select_from(Task)))


def preview_of(client, data: bytes, **extra):
    response = upload(client, data, **extra)
    assert response.status_code == 302, main_text(response)
    url = response.headers["Location"]
    return url, client.get(url)


def problem_rows(page) -> dict[int, str]:
    source = page.get_data(as_text=True)
    body = source.split('class="table import-problems"', 1)[1].split("</table>", 1)[0] \
        if "import-problems" in source else ""
    rows = re.findall(r'<tr id="row-(\d+)">(.*?)</tr>', body, re.S)
    return {int(line): html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", cells))).strip()
            for line, cells in rows}


def test_the_page_is_in_the_directives_menu_and_offers_a_template(login_as):
    thu = login_as("thu.lt")
    page = thu.get("/directives").get_data(as_text=True)
    assert 'href="/directives/import"' in page
    response = download(thu, "/directives/import/template.xlsx")
    assert response.status_code == 200 and response.headers["Content-Disposition"].startswith("attachment")
    book = load_workbook(io.BytesIO(response.get_data()))
    headers = [c.value for c in book.worksheets[0][1]]
    assert headers[:9] == ["Số ký hiệu", "Ngày", "Trích yếu", "Nội dung nhiệm vụ", "Đơn vị chủ trì",
                           "Đơn vị phối hợp", "Thời hạn", "Tình trạng", "Ghi chú"]


def test_preview_lists_every_problem_and_writes_nothing_until_confirmed(login_as, db):
    thu = login_as("thu.lt")
    before = counts(db)
    url, page = preview_of(thu, xlsx(GOOD + BAD))
    assert page.status_code == 200
    assert counts(db) == before
    text = main_text(page)
    assert "8 rows read" in text and "4 tasks to import" in text and "2 new documents" in text
    assert "4 rows with problems" in text
    rows = problem_rows(page)
    assert set(rows) == {7, 8, 9, 10}  # the sheet's row numbers (a title row, then the headers)
    assert '"Sở Tài chánh" is not a known unit. Closest: Sở Tài chính' in rows[7]
    assert '"31/02/2025" is not a date' in rows[8]
    assert "The same task as row 3." in rows[9]
    assert "Number (số ký hiệu) is empty." in rows[10]
    # The mapping is shown, each field on its column.
    assert 'name="col_lead_unit"' in page.get_data(as_text=True)
    # Confirming with problems and no "leave them out" imports nothing.
    response = thu.post(url, data={f"col_{f}": v for f, v in
                                   (("number", 2), ("issued_on", 3), ("summary", 4), ("title", 5), ("lead_unit", 6),
                                    ("cooperating_units", 7), ("deadline", 8), ("status", 9), ("note", 10))})
    assert response.status_code == 422
    assert "4 rows have problems: correct them, or import the other rows only." in flashes(response)
    assert counts(db) == before


def test_confirmed_import_writes_the_good_rows_once_with_their_past(login_as, db):
    thu, nga = login_as("thu.lt"), login_as("nga.tt")
    before = counts(db)
    data = xlsx(GOOD + BAD)
    url, page = preview_of(thu, data)
    response = thu.post(url, data={"skip_invalid": "1"}, follow_redirects=True)
    assert "Imported 4 tasks in 2 new documents; 0 rows were already imported, 4 rows with problems were left out." \
        in flashes(response)
    assert counts(db) == (before[0] + 2, before[1] + 4)
    notice = db.session.scalar(select(Directive).where(Directive.number == "15/TB-UBND"))
    assert (notice.kind, notice.issued_on, notice.title, notice.published) == (
        "conclusion", date(2024, 3, 4), "Kết luận về cải cách hành chính", True)
    tasks = {t.title: t for t in notice.tasks}
    late, on_time, ongoing = (tasks["Rà soát thủ tục hành chính"], tasks["Số hóa hồ sơ một cửa"],
                              tasks["Tuyên truyền cải cách hành chính"])
    assert [u.code for u in late.cooperating_units] == ["SKHCN", "STC"] or \
        sorted(u.code for u in late.cooperating_units) == ["SKHCN", "STC"]
    assert (late.state, late.completed_on, late.assigned_on) == ("done", date(2024, 7, 12), date(2024, 3, 4))
    assert on_time.lead_unit.code == "SKHCN" and "Ghi chú: Ưu tiên" in on_time.description
    assert ongoing.deadline is None and ongoing.state == "open"
    # Past figures: as of 1 July 2024 the first was overdue; as of today, done late and done on time.
    assert status_on(facts_of(late), date(2024, 7, 1)) == "overdue"
    assert status_on(facts_of(late), date.today()) == "done_late"
    assert status_on(facts_of(on_time), date.today()) == "done_on_time"
    # The pages show them as any other: the document with its tasks, a task done without a report in the app.
    assert "Rà soát thủ tục hành chính" in main_text(nga.get(f"/directives/{notice.id}"))
    task_page = nga.get(f"/tasks/{late.id}")
    assert task_page.status_code == 200 and "Done late" in main_text(task_page)
    letter = db.session.scalar(select(Directive).where(Directive.number == "220/UBND-KT"))
    assert letter.kind == "official_letter" and letter.tasks[0].deadline == date(2025, 3, 31)
    page = nga.get("/tasks?view=all&as_of=2024-07-01&per_page=200")
    assert "Rà soát thủ tục hành chính" in main_text(page)
    # Written around the ORM, the imported tasks are in the full-text index all the same (once each).
    assert "Số hóa hồ sơ một cửa" in main_text(nga.get("/search?q=so hoa ho so"))
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)
                             .where(AuditEvent.action == "tasks.import")) == 1
    log = main_text(login_as("admin").get("/admin/audit?action=tasks.import"))
    assert "Imported a spreadsheet of tasks" in log and "nhiem-vu.xlsx" in log
    # The same file again: nothing new; the rows fixed since are imported, once.
    fixed = [row[:] for row in BAD]
    fixed[0][5] = "Sở Tài chính"
    url, page = preview_of(thu, xlsx(GOOD + fixed))
    text = main_text(page)
    assert "1 tasks to import" in text and "5 rows already imported (left as they are)" in text
    response = thu.post(url, data={"skip_invalid": "1"}, follow_redirects=True)
    assert "Imported 1 tasks in 0 new documents" in flashes(response)[0]
    assert counts(db) == (before[0] + 2, before[1] + 5)
    url, page = preview_of(thu, xlsx(GOOD + fixed))
    assert "0 tasks to import" in main_text(page)
    # A row done since in the spreadsheet: said, and left as it is.
    later = [row[:] for row in GOOD]
    later[2][8] = "Đã hoàn thành ngày 02/12/2024"
    url, page = preview_of(thu, xlsx(later))
    assert "4 rows already imported (left as they are): 1 of them differ from the tracker now" in main_text(page)
    changed = page.get_data(as_text=True).split('class="table import-changed"')[1].split("</table>")[0]
    assert "Tuyên truyền cải cách hành chính" in changed and "Done on 02/12/2024" in changed and "Open" in changed
    assert db.session.get(Task, ongoing.id).state == "open"


def test_the_columns_can_be_chosen_by_hand(login_as, db):
    thu = login_as("thu.lt")
    headers = ["Văn bản", "Ngày", "Việc phải làm", "Giao cho"]
    rows = [["7/TB-UBND", "05/05/2025", "Kiểm tra an toàn thông tin", "Sở Nội vụ"]]
    url, page = preview_of(thu, xlsx(rows, headers=headers, title=False))
    assert "Choose the column of each required field:" in main_text(page)
    chosen = {"col_number": 1, "col_issued_on": 2, "col_title": 3, "col_lead_unit": 4}
    page = thu.get(url, query_string=chosen)
    assert "1 tasks to import" in main_text(page)
    response = thu.post(url, data=chosen, follow_redirects=True)
    assert "Imported 1 tasks in 1 new documents" in flashes(response)[0]
    assert db.session.scalar(select(Task).where(Task.title == "Kiểm tra an toàn thông tin")) is not None


def test_csv_with_semicolons_and_no_diacritics(login_as, db):
    thu = login_as("thu.lt")
    data = ("so ky hieu;ngay;noi dung nhiem vu;don vi chu tri;thoi han;tinh trang\n"
            "8/TB-UBND;02/01/2025;Cập nhật cơ sở dữ liệu;So Noi vu;31/03/2025;hoan thanh ngay 30/3/2025\n").encode()
    url, page = preview_of(thu, data, name="list.csv")
    assert "1 tasks to import" in main_text(page)
    thu.post(url, data={})
    task = db.session.scalar(select(Task).where(Task.title == "Cập nhật cơ sở dữ liệu"))
    assert (task.state, task.completed_on) == ("done", date(2025, 3, 30))


def test_bad_files_are_refused_with_a_message(login_as):
    thu = login_as("thu.lt")
    response = upload(thu, b"\x89PNG\r\n\x1a\n\x00\x00", name="x.png")
    assert response.status_code == 422
    assert "This file is not a spreadsheet: upload an .xlsx or a .csv file." in flashes(response)
    response = upload(thu, b"PK\x03\x04broken", name="x.xlsx")
    assert "This file is not a readable Excel (.xlsx) workbook." in flashes(response)


def test_permissions(login_as, app, db):
    staff = login_as("lan.nt")
    for url in ("/directives/import", "/directives/import/template.xlsx"):
        assert staff.get(url).status_code == 403
    assert upload(staff, xlsx(GOOD)).status_code == 403
    thu, nga = login_as("thu.lt"), login_as("nga.tt")
    url, _page = preview_of(thu, xlsx(GOOD))
    # Another person cannot see or confirm somebody's upload.
    assert nga.get(url).status_code == 404
    assert nga.post(url, data={}).status_code == 404
    assert staff.post(url, data={}).status_code == 403
    assert nga.get("/directives/import/" + "0" * 32).status_code == 404
    assert nga.get("/directives/import/not-a-token").status_code == 404
    assert app.test_client().get("/directives/import").status_code == 302  # to sign in


# --- the command line ---------------------------------------------------------------------------

@pytest.fixture
def sheet_file(tmp_path):
    def make(rows) -> str:
        path = tmp_path / "nhiem-vu.xlsx"
        path.write_bytes(xlsx(rows))
        return str(path)
    return make


@pytest.mark.usefixtures("cli_context")
def test_cli_reports_problems_and_writes_nothing(app, demo, db, sheet_file):
    before = counts(db)
    result = flask_command(app, "import", "tasks", sheet_file(GOOD + BAD))
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    assert [line.split(":")[0] for line in lines[:4]] == ["row 7", "row 8", "row 9", "row 10"]
    assert "8 rows: 4 tasks to import (2 new documents), 0 already imported, 4 with problems." in lines
    assert counts(db) == before
    result = flask_command(app, "import", "tasks", sheet_file(GOOD + BAD), "--dry-run", "--skip-invalid")
    assert result.exit_code == 0 and "Dry run: nothing was written." in result.output
    assert counts(db) == before


@pytest.mark.usefixtures("cli_context")
def test_cli_imports_once(app, demo, db, sheet_file):
    before = counts(db)
    result = flask_command(app, "import", "tasks", sheet_file(GOOD + BAD), "--skip-invalid")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == ("Imported 4 tasks in 2 new documents; 0 rows were already imported, "
                                              "4 rows with problems were left out.")
    assert counts(db) == (before[0] + 2, before[1] + 4)
    later = [row[:] for row in GOOD]
    later[2][8] = "Đã hoàn thành ngày 02/12/2024"
    result = flask_command(app, "import", "tasks", sheet_file(later))
    assert result.exit_code == 0, result.output
    assert "4 rows: 0 tasks to import (0 new documents), 4 already imported, 0 with problems." in result.output
    assert ("1 rows imported before differ from the tracker now (status or completion date): they are left as "
            "they are; change them in the tracker. Rows: 5") in result.output
    assert counts(db) == (before[0] + 2, before[1] + 4)


@pytest.mark.usefixtures("cli_context")
def test_cli_refuses_an_unreadable_file(app, demo, tmp_path):
    path = tmp_path / "x.xlsx"
    path.write_bytes(b"PK\x03\x04broken")
    result = flask_command(app, "import", "tasks", str(path))
    with force_locale("vi"):  # the command line speaks the deployment's default language
        message = gettext("This file is not a readable Excel (.xlsx) workbook.")
    assert result.exit_code != 0 and result.output == f"Error: {message}\n"


def test_an_admin_chooses_the_issuing_unit_and_units_outside_it_are_problems(login_as, db):
    admin = login_as("admin")
    page = admin.get("/directives/import").get_data(as_text=True)
    assert 'name="issuing_unit_id"' in page and "Sở Khoa học và Công nghệ" in page
    stttt = db.session.scalar(select(Unit).where(Unit.code == "SKHCN"))
    rows = [[1, "5/KH-STTTT", "02/01/2025", "", "Nâng cấp cổng thông tin", "Phòng CNTT", "Sở Nội vụ", "", "", ""]]
    url, page = preview_of(admin, xlsx(rows), issuing_unit_id=str(stttt.id))
    assert problem_rows(page) == {3: "3 5/KH-STTTT Nâng cấp cổng thông tin Cooperating units (đơn vị phối hợp): "
                                     "Sở Nội vụ is outside the issuing unit."}
    rows[0][6] = ""
    url, page = preview_of(admin, xlsx(rows), issuing_unit_id=str(stttt.id))
    admin.post(url, data={})
    made = db.session.scalar(select(Directive).where(Directive.number == "5/KH-STTTT"))
    assert made.issuing_unit.code == "SKHCN" and made.kind == "plan"
    # A secretary imports only as her own unit, whatever the form says.
    thu = login_as("thu.lt")
    url, page = preview_of(thu, xlsx(GOOD[:1]), issuing_unit_id=str(stttt.id))
    thu.post(url, data={})
    assert db.session.scalar(select(Directive).where(Directive.number == "15/TB-UBND")).issuing_unit.code == "UBND"
