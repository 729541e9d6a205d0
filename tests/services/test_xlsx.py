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
