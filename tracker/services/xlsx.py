"""The cell values of an .xlsx workbook's first sheet, read straight from its XML.

openpyxl (used to write the exports and the template) reads a 10,000-row
sheet in seconds and, for files without a size header, parses it twice;
the import only needs the values, so it streams the sheet with lxml (a C
parser, already installed with python-docx): entities are not expanded,
nothing is fetched, and the caller has bounded the inflated size first.
Values come back as Python values: text, int or float, bool, and datetime
for numbers in a date format (1900 or 1904 date system).
"""
from __future__ import annotations

import io
import posixpath
import re
import zipfile
from datetime import datetime, timedelta

from lxml import etree

from tracker.services.documents import drop_read

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_DATE_FORMAT_IDS = set(range(14, 23)) | {27, 30, 36, 45, 46, 47, 50, 57}
_QUOTED = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.')
_COLUMN = re.compile(r"([A-Z]{1,3})")
# Limits against a small file that unpacks into a great deal (each an upload's worth of memory):
MAX_COLUMNS = 200  # cells further right are left out (a task list has about ten columns)
MAX_CELLS = 600_000  # values kept in all (the import's 50,000 rows of a dozen columns)
MAX_SHARED_STRINGS = 300_000  # distinct texts of the workbook
MAX_PART_BYTES = 8 * 1024 * 1024  # workbook.xml, its relations, styles.xml (read whole)


class NotAWorkbook(ValueError):
    """The file is not a readable .xlsx workbook."""


class TooManyRows(NotAWorkbook):
    """The sheet has more rows (or cells, or texts) than the caller reads."""


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def _xml(archive: zipfile.ZipFile, name: str):
    try:
        if archive.getinfo(name).file_size > MAX_PART_BYTES:  # the zip reader stops at the declared size
            raise NotAWorkbook(f"{name} is too large")
        return etree.fromstring(archive.read(name), _parser())
    except (KeyError, etree.XMLSyntaxError) as error:
        raise NotAWorkbook(name) from error


def _first_sheet(archive: zipfile.ZipFile) -> tuple[str, bool]:
    """The first sheet's part name, and whether the workbook counts days from 1904."""
    book = _xml(archive, "xl/workbook.xml")
    pr = book.find(f"{MAIN}workbookPr")
    date1904 = pr is not None and pr.get("date1904") in ("1", "true")
    sheet = book.find(f"{MAIN}sheets/{MAIN}sheet")
    if sheet is None:
        raise NotAWorkbook("no sheet")
    rid = sheet.get(f"{REL}id")
    for rel in _xml(archive, "xl/_rels/workbook.xml.rels").iter(f"{PKG_REL}Relationship"):
        if rel.get("Id") == rid:
            target = rel.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
            return path, date1904
    raise NotAWorkbook("no sheet part")


def _shared_strings(archive: zipfile.ZipFile) -> list[str]:
    if "xl/sharedStrings.xml" not in archive.namelist():
        return []
    strings = []
    with archive.open("xl/sharedStrings.xml") as stream:  # streamed: each item dropped once read
        for _event, item in etree.iterparse(stream, events=("end",), tag=f"{MAIN}si", resolve_entities=False,
                                            no_network=True, load_dtd=False, huge_tree=False):
            # Rich text runs joined; phonetic hints (rPh) left out.
            strings.append("".join(t.text or "" for t in item.iter(f"{MAIN}t")
                                   if t.getparent().tag != f"{MAIN}rPh"))
            if len(strings) > MAX_SHARED_STRINGS:
                raise TooManyRows(f"more than {MAX_SHARED_STRINGS} texts")
            drop_read(item)
    return strings



def _date_styles(archive: zipfile.ZipFile) -> set[int]:
    """Indexes of the cell formats that show numbers as dates."""
    if "xl/styles.xml" not in archive.namelist():
        return set()
    styles = _xml(archive, "xl/styles.xml")
    custom = {}
    for fmt in styles.iter(f"{MAIN}numFmt"):
        code = _QUOTED.sub("", fmt.get("formatCode", "")).lower()
        custom[int(fmt.get("numFmtId", "0"))] = any(ch in code for ch in "dy") or ("m" in code and "h" not in code
                                                                                    and "s" not in code)
    dates = set()
    xfs = styles.find(f"{MAIN}cellXfs")
    for i, xf in enumerate(xfs if xfs is not None else ()):
        fid = int(xf.get("numFmtId", "0"))
        if fid in _DATE_FORMAT_IDS or custom.get(fid):
            dates.add(i)
    return dates


def _column(ref: str | None, default: int) -> int:
    if not ref:
        return default
    m = _COLUMN.match(ref)
    if not m:
        return default
    n = 0
    for ch in m.group(1):
        n = n * 26 + ord(ch) - 64
    return n - 1


def read_rows(data: bytes, max_rows: int = 100_000) -> list[tuple]:
    """Every row of the first sheet as a tuple of values (None for empty cells); raise NotAWorkbook,
    or TooManyRows past `max_rows`."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        sheet_path, date1904 = _first_sheet(archive)
        shared = _shared_strings(archive)
        dates = _date_styles(archive)
        stream = archive.open(sheet_path)
    except NotAWorkbook:
        raise
    except (KeyError, zipfile.BadZipFile, ValueError, etree.XMLSyntaxError) as error:
        raise NotAWorkbook(str(error)) from error
    epoch = datetime(1904, 1, 1) if date1904 else datetime(1899, 12, 30)
    rows: list[tuple] = []
    current: dict[int, object] = {}
    row_number = cells = 0
    cell_tag, row_tag = f"{MAIN}c", f"{MAIN}row"
    try:
        for _event, element in etree.iterparse(stream, events=("end",), tag=(cell_tag, row_tag),
                                               resolve_entities=False, no_network=True, load_dtd=False,
                                               huge_tree=False):
            if element.tag == cell_tag:
                col = _column(element.get("r"), len(current))
                if col >= MAX_COLUMNS:
                    element.clear()
                    continue
                kind = element.get("t", "n")
                v = element.find(f"{MAIN}v")
                text = v.text if v is not None else None
                if kind == "s":
                    value = shared[int(text)] if text is not None and int(text) < len(shared) else None
                elif kind == "inlineStr":
                    value = "".join(t.text or "" for t in element.iter(f"{MAIN}t"))
                elif kind in ("str", "e"):
                    value = text
                elif kind == "b":
                    value = text == "1"
                elif text is None or text == "":
                    value = None
                else:
                    number = float(text)
                    if int(element.get("s", "0")) in dates and 0 <= number < 2958466:
                        value = epoch + timedelta(days=number)
                    else:
                        value = int(number) if number.is_integer() else number
                current[col] = value
                cells += 1
                if cells > MAX_CELLS:
                    raise TooManyRows(f"more than {MAX_CELLS} cells")
                element.clear()
            else:
                number = int(element.get("r", row_number + 1))
                if number > max_rows:
                    raise TooManyRows(str(number))
                while row_number < number - 1:  # rows left out of the file are empty
                    rows.append(())
                    row_number += 1
                width = max(current) + 1 if current else 0
                rows.append(tuple(current.get(i) for i in range(width)))
                row_number = number
                current = {}
                drop_read(element)
    except NotAWorkbook:
        raise
    except (etree.XMLSyntaxError, ValueError, KeyError, zipfile.BadZipFile) as error:
        raise NotAWorkbook(str(error)) from error
    return rows
