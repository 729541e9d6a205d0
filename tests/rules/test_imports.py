"""Reading the Office's spreadsheet (tracker.rules.imports): plain tables of cases, no app."""
from __future__ import annotations

from datetime import date, datetime

import pytest

from tracker.rules.imports import (
    UnitEntry,
    UnitIndex,
    Unreadable,
    directive_kind,
    find_header_row,
    guess_mapping,
    parse_day,
    parse_deadline,
    parse_status,
    read_row,
    split_number,
    split_units,
)

TODAY = date(2025, 6, 14)
UNITS = UnitIndex([
    UnitEntry(1, "UBND", "Ủy ban nhân dân tỉnh", "UBND tỉnh"),
    UnitEntry(2, "STTTT", "Sở Thông tin và Truyền thông", "Sở TT&TT", ("Sở TTTT",), active=False),
    UnitEntry(3, "SNV", "Sở Nội vụ", "Sở Nội vụ"),
    UnitEntry(4, "STC", "Sở Tài chính", "Sở Tài chính"),
    UnitEntry(5, "SKHCN", "Sở Khoa học và Công nghệ", "Sở KH&CN"),
])


@pytest.mark.parametrize("headers, expected", [
    (["STT", "Số ký hiệu", "Ngày", "Trích yếu", "Nội dung nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp",
      "Thời hạn", "Tình trạng", "Ghi chú"],
     {"number": 1, "issued_on": 2, "summary": 3, "title": 4, "lead_unit": 5, "cooperating_units": 6,
      "deadline": 7, "status": 8, "note": 9, "completed_on": None}),
    # No diacritics, other wording, another order, a completion-date column.
    (["ghi chu", "TINH TRANG", "thoi han hoan thanh", "co quan phoi hop", "Co quan chu tri", "noi dung",
      "trich yeu noi dung", "ngay ban hanh", "So, ky hieu van ban", "Ngày hoàn thành"],
     {"note": 0, "status": 1, "deadline": 2, "cooperating_units": 3, "lead_unit": 4, "title": 5, "summary": 6,
      "issued_on": 7, "number": 8, "completed_on": 9}),
])
def test_headers_are_recognised_with_or_without_diacritics_in_any_order(headers, expected):
    assert guess_mapping(headers) == expected


def test_a_title_row_above_the_headers_is_skipped():
    rows = [("DANH MỤC NHIỆM VỤ UBND TỈNH GIAO",), (), ("STT", "Số ký hiệu", "Ngày", "Nội dung nhiệm vụ", "Chủ trì")]
    assert find_header_row(rows) == 2


@pytest.mark.parametrize("value, expected", [
    ("30/6/2024", date(2024, 6, 30)), ("30-06-24", date(2024, 6, 30)), ("30.06.2024", date(2024, 6, 30)),
    ("2024-06-30", date(2024, 6, 30)), (datetime(2024, 6, 30, 0, 0), date(2024, 6, 30)),
    (45473, date(2024, 6, 30)), ("ngày 30 tháng 6 năm 2024", date(2024, 6, 30)), ("Ngày 30/6/2024", date(2024, 6, 30)),
    ("", None), (None, None),
])
def test_dates(value, expected):
    assert parse_day(value) == expected


@pytest.mark.parametrize("value", ["32/01/2024", "abc", "30/13/2024", 12, "1/1/1850"])
def test_unreadable_dates(value):
    with pytest.raises(Unreadable):
        parse_day(value)


@pytest.mark.parametrize("value, expected", [
    ("30/6/2024", date(2024, 6, 30)), ("Trước ngày 15/7/2024", date(2024, 7, 15)),
    ("Quý III/2024", date(2024, 9, 30)), ("trong tháng 6/2024", date(2024, 6, 30)),
    ("Năm 2024", date(2024, 12, 31)), ("Thường xuyên", None), ("", None),
])
def test_deadlines(value, expected):
    assert parse_deadline(value, date(2024, 1, 10)) == expected


@pytest.mark.parametrize("status, completed, state, day", [
    ("Đã hoàn thành ngày 12/3/2024", None, "done", date(2024, 3, 12)),
    ("da hoan thanh (12/03/2024)", None, "done", date(2024, 3, 12)),
    ("Hoàn thành", "12/03/2024", "done", date(2024, 3, 12)),
    ("Hoàn thành", None, "done", None),
    ("", date(2024, 3, 12), "done", date(2024, 3, 12)),
    ("Đang thực hiện", None, "open", None),
    ("Chưa hoàn thành", None, "open", None),
    ("Đã hủy", None, "cancelled", None),
    ("", None, "open", None),
])
def test_status(status, completed, state, day):
    outcome = parse_status(status, completed)
    assert (outcome.state, outcome.day) == (state, day)


@pytest.mark.parametrize("number, kind", [("125/TB-UBND", "conclusion"), ("12/QĐ-UBND", "decision"),
                                          ("3/KH-UBND", "plan"), ("1234/UBND-KT", "official_letter"), ("X", "other")])
def test_directive_kind(number, kind):
    assert directive_kind(number) == kind


@pytest.mark.parametrize("text, code", [
    ("Sở Nội vụ", "SNV"), ("so noi vu", "SNV"), ("SỞ NỘI VỤ", "SNV"), ("snv", "SNV"), ("Sở TT&TT", "STTTT"),
    ("So TTTT", "STTTT"), ("Ủy ban nhân dân tỉnh", "UBND"), ("UBND tinh", "UBND"), ("Sở KH&CN", "SKHCN"),
])
def test_units_by_name_short_name_alias_or_code(text, code):
    assert UNITS.find(text).code == code


def test_an_unknown_unit_comes_with_the_closest_names():
    assert UNITS.find("Sở Nôi vu tỉnh") is None
    assert UNITS.closest("Sở Nôi vu tỉnh")[0].code == "SNV"


def test_cooperating_units_split_at_commas_and_and():
    assert split_units("Sở Tài chính, Sở Nội vụ; Sở TT&TT", UNITS) == ["Sở Tài chính", "Sở Nội vụ", "Sở TT&TT"]
    assert split_units("Sở Tài chính và Sở Nội vụ", UNITS) == ["Sở Tài chính", "Sở Nội vụ"]
    assert split_units("Sở Thông tin và Truyền thông", UNITS) == ["Sở Thông tin và Truyền thông"]


MAPPING = {"number": 0, "issued_on": 1, "summary": None, "title": 2, "lead_unit": 3, "cooperating_units": 4,
           "deadline": 5, "status": 6, "note": None, "completed_on": None}


def problems(*cells) -> list[str]:
    return [p.code for p in read_row(5, cells, MAPPING, UNITS, TODAY).problems]


def test_a_good_row():
    row = read_row(5, ("12/TB-UBND", "10/01/2025", "Rà soát", "so noi vu", "Sở Tài chính, Sở Nội vụ", "30/6/2025",
                       "Đã hoàn thành ngày 20/6/2025"), MAPPING, UNITS, date(2025, 6, 30))
    assert row.ok, row.problems
    assert (row.lead_unit.code, [u.code for u in row.cooperating_units]) == ("SNV", ["STC"])
    assert (row.state, row.closed_on, row.deadline) == ("done", date(2025, 6, 20), date(2025, 6, 30))


def test_row_problems():
    assert problems("", "10/01/2025", "", "Sở Nội vụ", "", "", "") == ["missing", "missing"]
    assert problems("1/TB", "32/01/2025", "X", "Sở Nội vụ", "", "", "") == ["bad_date"]
    assert problems("1/TB", "10/01/2025", "X", "Sở ABC", "Sở XYZ", "", "") == ["unknown_unit", "unknown_unit"]
    assert problems("1/TB", "10/01/2025", "X", "Sở Nội vụ", "", "hôm qua", "") == ["bad_date"]
    assert problems("1/TB", "10/01/2025", "X", "Sở Nội vụ", "", "01/01/2025", "") == ["deadline_before"]
    assert problems("1/TB", "10/01/2025", "X", "Sở Nội vụ", "", "", "Hoàn thành") == ["done_without_date"]
    assert problems("1/TB", "10/01/2025", "X", "Sở Nội vụ", "", "", "Hoàn thành 20/12/2025") == ["done_future"]
    # A former unit keeps the work it finished; open work must go to its successor.
    assert problems("1/TB", "10/01/2025", "X", "Sở TT&TT", "", "", "Đang thực hiện") == ["former_unit"]
    assert problems("1/TB", "10/01/2025", "X", "Sở TT&TT", "", "", "Đã hoàn thành ngày 20/3/2025") == []


@pytest.mark.parametrize("cell, number, day", [
    ("125/TB-UBND", "125/TB-UBND", None),
    ("Số 125/TB-UBND", "125/TB-UBND", None),
    ("125/TB-UBND ngày 04/3/2024", "125/TB-UBND", date(2024, 3, 4)),
    ("125/TB-UBND, 04/03/2024", "125/TB-UBND", date(2024, 3, 4)),
    ("125/TB-UBND (04/03/2024)", "125/TB-UBND", date(2024, 3, 4)),
])
def test_the_number_cell_may_hold_the_date(cell, number, day):
    assert split_number(cell) == (number, day)


def test_a_row_dated_in_its_number_cell():
    mapping = {**MAPPING, "issued_on": None}
    row = read_row(5, ("12/TB-UBND ngày 10/01/2025", None, "Rà soát", "Sở Nội vụ", "", "", ""), mapping, UNITS, TODAY)
    assert row.ok and (row.number, row.issued_on) == ("12/TB-UBND", date(2025, 1, 10))
    row = read_row(5, ("12/TB-UBND", None, "Rà soát", "Sở Nội vụ", "", "", ""), mapping, UNITS, TODAY)
    assert [p.code for p in row.problems] == ["missing"]
