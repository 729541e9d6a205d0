"""The exports, opened the way the Office opens them: openpyxl, csv, python-docx."""
from __future__ import annotations

import csv
import io
from datetime import datetime

import pytest
from docx import Document
from openpyxl import load_workbook

from tests.dashboard.conftest import PAST, d
from tracker.dashboard.exports import safe_text

TASK_HEADERS = ["STT", "Số, ký hiệu văn bản", "Ngày văn bản", "Nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp",
                "Người thực hiện", "Thời hạn", "Thời hạn ban đầu", "Ngày hoàn thành", "Tiến độ (%)", "Trạng thái",
                "Số ngày quá hạn", "Lĩnh vực"]


@pytest.mark.parametrize("text, expected", [
    ("=1+2", "'=1+2"), ("+84 912", "'+84 912"), ("-5", "'-5"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"),
    ("Bình thường", "Bình thường"), ("", ""), (12, 12), (None, None)])
def test_formula_injection_is_neutralised(text, expected):
    assert safe_text(text) == expected


def workbook(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment" in response.headers["Content-Disposition"]
    return load_workbook(io.BytesIO(response.data))


def test_xlsx_task_list_and_unit_statistics(client_for, world):
    wb = workbook(client_for("nga.tt"), "/dashboard/export.xlsx")
    assert wb.sheetnames == ["Danh sách nhiệm vụ", "Thống kê theo đơn vị", "Thông tin"]
    tasks = wb["Danh sách nhiệm vụ"]
    assert [c.value for c in tasks[1]] == TASK_HEADERS
    assert tasks.freeze_panes == "A2"
    rows = list(tasks.iter_rows(min_row=2, values_only=True))
    body, total = rows[:-1], rows[-1]
    assert len(body) == 12 and [r[0] for r in body] == list(range(1, 13))
    assert total[0] == "Tổng cộng" and total[3] == "12 nhiệm vụ"
    assert "Quá hạn: 2" in total[11]
    by_title = {r[3]: r for r in body}
    # dates are real dates, in force today; an extension keeps the original deadline beside it
    t3 = by_title[world.tasks["T3"].title]
    assert t3[7] == datetime(2024, 6, 20) and t3[8] == datetime(2024, 3, 25) and t3[11] == "Đang thực hiện trong hạn"
    assert tasks.cell(row=2, column=8).number_format == "DD/MM/YYYY"
    assert t3[5] == "Sở Nội vụ"
    t10 = by_title[world.tasks["T10"].title]
    assert (t10[11], t10[12]) == ("Quá hạn", 14)
    t12 = by_title["'" + world.tasks["T12"].title]  # "+Nâng cấp..." neutralised
    assert t12[9] == datetime(2024, 5, 20) and t12[6] == "Nguyễn Thị Lan" and t12[10] == 100
    # formula injection: a title starting with = or @ stays text, with a leading apostrophe
    evil = [r for r in body if r[3].startswith("'=") or r[3].startswith("'@")]
    assert len(evil) == 2
    for row in tasks.iter_rows(min_row=2):
        assert row[3].data_type == "s"
    units = wb["Thống kê theo đơn vị"]
    assert units.freeze_panes == "A2"
    assert [c.value for c in units[1]][:3] == ["STT", "Đơn vị chủ trì", "Tổng số"]
    unit_rows = list(units.iter_rows(min_row=2, values_only=True))
    sttt = next(r for r in unit_rows if r[1] == "Sở Thông tin và Truyền thông")
    # The department counts its division's task (T12, done late): the units under the viewer's, each whole.
    assert sttt[2:9] == (7, 1, 2, 3, 1, 0, 2)
    assert sttt[10] == pytest.approx(1 / 4)
    assert not any(r[1] == world.units["STTTT-CNTT"].name for r in unit_rows)
    assert units.cell(row=2, column=11).number_format == "0.0%"
    totals = unit_rows[-1]
    assert totals[1] == "Tổng cộng" and totals[2:9] == (12, 2, 2, 5, 2, 1, 2)
    assert totals[9] == pytest.approx(4 / 11) and totals[10] == pytest.approx(2 / 6)
    assert sum(r[2] for r in unit_rows[:-1]) == 12
    info = dict(wb["Thông tin"].iter_rows(values_only=True))
    assert info["Số liệu tính đến ngày"] == datetime(2024, 6, 14) and info["Kỳ (thời hạn trong kỳ)"] == "Tất cả"


def test_xlsx_follows_the_filters_and_the_past(client_for, world):
    wb = workbook(client_for("nga.tt"),
                  f"/dashboard/export.xlsx?as_of={PAST.isoformat()}&period=quarter&year=2024&quarter=1&status=overdue")
    rows = list(wb["Danh sách nhiệm vụ"].iter_rows(min_row=2, values_only=True))[:-1]
    # T11, T2, T4 were overdue on 31/03 (T4's extension came on 10/04), most overdue first
    assert [r[3] for r in rows] == [world.tasks[n].title for n in ("T11", "T2", "T4")]
    assert [r[7] for r in rows] == [datetime(2024, 2, 28), datetime(2024, 3, 20), datetime(2024, 3, 28)]
    assert [r[12] for r in rows] == [32, 11, 3]
    assert rows[1][9] is None  # T2 was confirmed on 05/04, after the day
    info = dict(wb["Thông tin"].iter_rows(values_only=True))
    assert info["Kỳ (thời hạn trong kỳ)"] == "quý I năm 2024"
    binh = workbook(client_for("binh.lv"), "/dashboard/export.xlsx")
    titles = [r[3] for r in binh["Danh sách nhiệm vụ"].iter_rows(min_row=2, values_only=True)][:-1]
    assert sorted(titles) == sorted([world.tasks["T4"].title, world.tasks["T5"].title])


def test_csv_exports_are_utf8_with_bom(client_for, world):
    c = client_for("nga.tt")
    response = c.get("/dashboard/export.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0] == TASK_HEADERS and len(rows) == 13
    by_title = {r[3]: r for r in rows[1:]}
    assert by_title[world.tasks["T10"].title][7] == "2024-05-31"
    assert any(title.startswith("'=HYPERLINK") for title in by_title)
    assert not any(title[:1] in "=+-@" for title in by_title)
    units = c.get("/dashboard/export.csv?table=units")
    assert units.data.startswith(b"\xef\xbb\xbf")
    unit_rows = list(csv.reader(io.StringIO(units.data.decode("utf-8-sig"))))
    assert unit_rows[0][1] == "Đơn vị chủ trì"
    assert unit_rows[-1][1:9] == ["Tổng cộng", "12", "2", "2", "5", "2", "1", "2"]


def test_docx_periodic_report(client_for, world):
    response = client_for("thu.lt").get(f"/dashboard/report.docx?as_of={PAST.isoformat()}"
                                        "&period=quarter&year=2024&quarter=1")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    doc = Document(io.BytesIO(response.data))
    header = doc.tables[0]
    left = "\n".join(p.text for p in header.cell(0, 0).paragraphs)
    right = "\n".join(p.text for p in header.cell(0, 1).paragraphs)
    assert "ỦY BAN NHÂN DÂN TỈNH" in left
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in right and "Độc lập - Tự do - Hạnh phúc" in right
    assert header.cell(1, 0).text.startswith("Số:") and "/BC-UBND" in header.cell(1, 0).text
    assert header.cell(1, 1).text == "…, ngày 14 tháng 06 năm 2024"
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "BÁO CÁO" in text and "Tình hình thực hiện nhiệm vụ" in text
    assert "Số liệu tính đến ngày 31/03/2024; kỳ báo cáo: quý I năm 2024" in text
    assert "Tổng số nhiệm vụ được theo dõi: 4 nhiệm vụ" in text  # T1, T2, T4, T11
    summary = doc.tables[1]
    assert [c.text for c in summary.rows[0].cells][:3] == ["STT", "Đơn vị", "Tổng số"]
    last = [c.text for c in summary.rows[-1].cells]
    assert last[1:8] == ["Tổng cộng", "4", "1", "0", "0", "3", "0"]
    overdue = doc.tables[2]
    assert len(overdue.rows) == 4  # header + T11, T2, T4
    assert overdue.rows[0].cells[6].text.startswith("Lý do")
    assert [r.cells[1].text for r in overdue.rows[1:]] == [world.tasks[n].title for n in ("T11", "T2", "T4")]
    assert overdue.rows[1].cells[4].text == "28/02/2024" and overdue.rows[1].cells[5].text == "32"
    assert overdue.rows[3].cells[6].text == "Chưa báo cáo"
    assert "Nơi nhận:" in doc.tables[3].cell(0, 0).text


def test_docx_reasons_come_from_the_latest_reported_difficulties(client_for, world):
    doc = Document(io.BytesIO(client_for("binh.lv").get("/dashboard/report.docx").data))
    header_left = "\n".join(p.text for p in doc.tables[0].cell(0, 0).paragraphs)
    assert "SỞ NỘI VỤ" in header_left and "ỦY BAN NHÂN DÂN TỈNH" in header_left
    overdue = doc.tables[2]
    assert [r.cells[1].text for r in overdue.rows[1:]] == [world.tasks["T5"].title]
    assert overdue.rows[1].cells[6].text == "-Thiếu biên chế để triển khai."  # 05/06, not the older 20/05
    assert d("10/06").strftime("%d/%m/%Y") == overdue.rows[1].cells[4].text


def test_docx_is_signed_by_the_leader_chosen_at_export(client_for, world):
    from tests.tasks.pages import user
    from tracker.database import db
    nga = user(db, "nga.tt")
    page = client_for("thu.lt").get("/dashboard").get_data(as_text=True)
    assert f'<option value="{nga.id}">Trần Thị Nga, Phó Chủ tịch UBND tỉnh</option>' in page
    doc = Document(io.BytesIO(client_for("thu.lt").get(f"/dashboard/report.docx?signer={nga.id}").data))
    sign = "\n".join(p.text for p in doc.tables[3].cell(0, 1).paragraphs)
    assert sign.startswith("PHÓ CHỦ TỊCH UBND TỈNH") and sign.rstrip().endswith("Trần Thị Nga")
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "IV. KIẾN NGHỊ, ĐỀ XUẤT\nKhông có kiến nghị, đề xuất nào đang chờ ý kiến." in text
    # Someone who may not sign it (another unit's leader) leaves the generic block.
    doc = Document(io.BytesIO(client_for("thu.lt").get(
        f"/dashboard/report.docx?signer={user(db, 'hai.nv').id}").data))
    assert doc.tables[3].cell(0, 1).paragraphs[0].text == "THỦ TRƯỞNG ĐƠN VỊ"


def test_docx_section_iv_lists_the_proposals_awaiting_a_decision():
    from datetime import date
    from types import SimpleNamespace

    from tracker.dashboard import exports
    from tracker.services.stats import Counts
    from tracker.services.queries import TaskFilters

    update = SimpleNamespace(proposals="Đề nghị UBND tỉnh bố trí kinh phí năm 2025.", reported_on=date(2024, 6, 3),
                             unit=SimpleNamespace(name="Sở Nội vụ"), task=SimpleNamespace(title="Rà soát vị trí việc làm"))
    scope = exports.Scope(user_name="Lê Thị Thu", unit_name="UBND tỉnh", as_of=date(2024, 6, 14), period="",
                          issuer="", lead_unit="", tag="", directive="", made_at=__import__("datetime").datetime.now())
    data = exports.report_docx(scope, Counts(TaskFilters()), [], [], parent_name="", unit_code="UBND",
                               today=date(2024, 6, 14), proposals=[update], signer=("Chủ tịch", "Nguyễn Văn A"))
    doc = Document(io.BytesIO(data))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert ("1. Đề nghị UBND tỉnh bố trí kinh phí năm 2025. (Sở Nội vụ, báo cáo ngày 03/06/2024, "
            "nhiệm vụ: Rà soát vị trí việc làm)") in text
