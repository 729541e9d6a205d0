"""tracker.services.xlsx reads what Excel writes: shared strings, rich text, date formats, gaps, 1904 dates."""
from __future__ import annotations

import io
import zipfile
from datetime import datetime

import pytest

from tracker.services.xlsx import NotAWorkbook, TooManyRows, read_rows

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'


def workbook(sheet_data: str, date1904: bool = False) -> bytes:
    """A workbook as Excel writes it: shared strings, a custom date format, a relative sheet target."""
    out = io.BytesIO()
    flag = ' date1904="1"' if date1904 else ""
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", f'<workbook {NS} {R}><workbookPr{flag}/>'
                                      '<sheets><sheet name="DS" sheetId="1" r:id="rId7"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels",
                   '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="rId7" Type="worksheet" Target="worksheets/sheet3.xml"/></Relationships>')
        z.writestr("xl/sharedStrings.xml",
                   f'<sst {NS}><si><t>Số ký hiệu</t></si><si><r><t>Sở </t></r><r><t>Nội vụ</t></r>'
                   '<rPh><t>x</t></rPh></si><si><t>Ngày</t></si></sst>')
        z.writestr("xl/styles.xml", f'<styleSheet {NS}><numFmts><numFmt numFmtId="165" formatCode="dd/mm/yyyy"/>'
                                    '<numFmt numFmtId="166" formatCode="#,##0.00"/></numFmts>'
                                    '<cellXfs><xf numFmtId="0"/><xf numFmtId="165"/><xf numFmtId="166"/>'
                                    '<xf numFmtId="14"/></cellXfs></styleSheet>')
        z.writestr("xl/worksheets/sheet3.xml", f"<worksheet {NS}><sheetData>{sheet_data}</sheetData></worksheet>")
    return out.getvalue()


def test_values_as_excel_writes_them():
    data = workbook('<row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" t="s"><v>2</v></c></row>'
                    '<row r="3"><c r="A3" t="s"><v>1</v></c><c r="B3" s="1"><v>45355</v></c>'
                    '<c r="C3" s="2"><v>1234.5</v></c><c r="D3" s="3"><v>45355</v></c><c r="E3"><v>7</v></c>'
                    '<c r="F3" t="b"><v>1</v></c><c r="G3" t="inlineStr"><is><t>Đã hoàn thành</t></is></c></row>')
    assert read_rows(data) == [
        ("Số ký hiệu", None, "Ngày"),
        (),
        ("Sở Nội vụ", datetime(2024, 3, 4), 1234.5, datetime(2024, 3, 4), 7, True, "Đã hoàn thành"),
    ]


def test_the_1904_date_system():
    data = workbook('<row r="1"><c r="A1" s="1"><v>0</v></c></row>', date1904=True)
    assert read_rows(data) == [(datetime(1904, 1, 1),)]


def test_not_a_workbook_and_too_many_rows():
    with pytest.raises(NotAWorkbook):
        read_rows(b"PK\x03\x04broken")
    with pytest.raises(NotAWorkbook):
        read_rows(workbook('<row r="1"><c r="A1"><v>1</v></c>'))  # cut short
    with pytest.raises(TooManyRows):
        read_rows(workbook('<row r="2000000"><c r="A1"><v>1</v></c></row>'), max_rows=1000)


def test_entities_are_not_expanded():
    data = workbook('<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c></row>')
    bomb = ('<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
            f'<worksheet {NS}><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&b;</t></is></c></row>'
            '</sheetData></worksheet>')
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w") as target:
        for name in source.namelist():
            target.writestr(name, bomb if name.endswith("sheet3.xml") else source.read(name))
    try:
        rows = read_rows(buffer.getvalue())
    except NotAWorkbook:
        return  # refused outright: fine too
    assert "aaaaaaaaaa" not in str(rows)


# --- bombs: a small file that unpacks into a great deal (issue #18, point 2) ------------------------


def _with_part(data: bytes, name: str, content: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.namelist():
            if item != name:
                target.writestr(item, source.read(item))
        target.writestr(name, content)
    return buffer.getvalue()


def test_a_cell_far_to_the_right_is_left_out_not_a_huge_row():
    # r="ZZZZZZZ1" once meant a row of 321 million empty cells; XFD (16,384) 50,000 times, 800 million.
    rows = read_rows(workbook('<row r="1"><c r="A1"><v>1</v></c><c r="ZZZZZZZ1"><v>2</v></c>'
                              '<c r="XFD1"><v>3</v></c></row>'))
    assert rows == [(1,)]


def test_too_many_cells_or_texts_stop_the_reading(monkeypatch):
    from tracker.services import xlsx

    monkeypatch.setattr(xlsx, "MAX_CELLS", 50)
    with pytest.raises(TooManyRows):
        read_rows(workbook(("<row>" + "<c><v>1</v></c>" * 10 + "</row>") * 6))  # 60 values
    monkeypatch.setattr(xlsx, "MAX_SHARED_STRINGS", 100)
    data = workbook('<row r="1"><c r="A1"><v>1</v></c></row>')
    strings = f'<sst {NS}>' + "<si><t>Giao</t></si>" * 101 + "</sst>"
    with pytest.raises(TooManyRows):
        read_rows(_with_part(data, "xl/sharedStrings.xml", strings.encode()))


def test_a_large_styles_part_is_refused():
    data = workbook('<row r="1"><c r="A1"><v>1</v></c></row>')
    styles = f'<styleSheet {NS}><cellXfs>' + '<xf numFmtId="0"/>' * 600_000 + "</cellXfs></styleSheet>"
    with pytest.raises(NotAWorkbook):
        read_rows(_with_part(data, "xl/styles.xml", styles.encode()))
