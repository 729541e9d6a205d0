"""Text of an uploaded document (.txt, .docx, .xlsx, PDF with a text layer), checked by content.

An upload is small but may unpack into a great deal (a 100 KB .docx can hold
30 MB of XML and 400,000 paragraphs), so reading stops at limits, each with
a clear message: the bytes unpacked from all parts together, the number of
zip parts, the number of paragraphs (or rows, or pages), the characters of
text and the time spent. Word and Excel XML is read as a stream, element by
element, and each element is dropped once read, so a worker's memory grows
with the text kept, never with the document's layout.
"""
from __future__ import annotations

import io
import time
import zipfile

from werkzeug.datastructures import FileStorage

from tracker.lazytext import _l
from tracker.rules.extract import MAX_TEXT_CHARS
from tracker.services.errors import Invalid

MAX_BYTES = 10 * 1024 * 1024  # the file as uploaded
MAX_UNPACKED_BYTES = 16 * 1024 * 1024  # XML unpacked from a .docx/.xlsx, all parts together
MAX_PARTS = 1000  # entries of a .docx/.xlsx (a Word document has about 20)
MAX_ITEMS = 20_000  # paragraphs and table rows of a .docx, rows and shared strings of an .xlsx
MAX_PDF_PAGES = 500
MAX_PDF_STREAM_BYTES = 16 * 1024 * 1024  # one decompressed PDF stream
TIME_LIMIT = 5.0  # seconds spent reading one document
_CHUNK = 64 * 1024
_PDF_STREAM_LIMITS = ("maximum_declared_stream_length", "array_based_stream_maximum_output_length",
                      "jbig2_maximum_output_length", "lzw_maximum_output_length", "run_length_maximum_output_length",
                      "zlib_maximum_output_length", "brotli_maximum_output_length")

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_S = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def _invalid(message) -> Invalid:
    return Invalid(message, {"document": message})


class _Enough(Exception):
    """The text read so far is all a partial read keeps (the search index of a very long file)."""


class _Budget:
    """What one document may still spend: unpacked bytes, items, characters, time.

    Past a limit on items or characters, a partial read stops quietly with the
    text read so far (`_Enough`); any other read refuses the document.
    """

    def __init__(self, partial: bool = False) -> None:
        self.unpacked = self.items = self.chars = 0
        self.partial = partial
        self.deadline = time.monotonic() + TIME_LIMIT

    def clock(self) -> None:
        if time.monotonic() > self.deadline:
            if self.partial:
                raise _Enough
            raise _invalid(_l("Reading this document took too long (more than %(seconds)d seconds). "
                              "Paste the part of its text that holds the conclusions instead.",
                              seconds=int(TIME_LIMIT)))

    def unpack(self, size: int) -> None:
        self.unpacked += size
        if self.unpacked > MAX_UNPACKED_BYTES:
            if self.partial:
                raise _Enough
            raise _invalid(_l("This document is too large once unpacked (more than %(mb)d MB). "
                              "Paste the part of its text that holds the conclusions instead.",
                              mb=MAX_UNPACKED_BYTES // (1024 * 1024)))
        self.clock()

    def item(self, text: str) -> None:
        self.items += 1
        self.chars += len(text)
        if self.partial and (self.items > MAX_ITEMS or self.chars > MAX_TEXT_CHARS):
            raise _Enough
        if self.items > MAX_ITEMS:
            raise _invalid(_l("This document has too many paragraphs or rows (more than %(n)d). "
                              "Paste the part of its text that holds the conclusions instead.", n=MAX_ITEMS))
        self.text_fits(self.chars)

    @staticmethod
    def text_fits(chars: int) -> None:
        if chars > MAX_TEXT_CHARS:
            raise _invalid(_l("This document holds too much text (more than %(n)d characters). "
                              "Paste the part of its text that holds the conclusions instead.", n=MAX_TEXT_CHARS))


class _Metered(io.RawIOBase):
    """A zip member read in chunks, each charged to the budget before the parser sees it."""

    def __init__(self, stream, budget: _Budget) -> None:
        self.stream, self.budget = stream, budget

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(_CHUNK if size is None or size < 0 else min(size, _CHUNK))
        self.budget.unpack(len(data))
        return data

    def readinto(self, buffer) -> int:
        data = self.read(len(buffer))
        buffer[:len(data)] = data
        return len(data)


def _events(archive: zipfile.ZipFile, name: str, budget: _Budget):
    """(event, element) pairs of one XML part, read as a stream; no DTD, no entities, no network."""
    from lxml import etree  # loads on the first upload, not in every worker

    info = archive.getinfo(name)
    if info.file_size > MAX_UNPACKED_BYTES and not budget.partial:  # declared; _Metered checks what it holds
        budget.unpack(info.file_size)
    with archive.open(info) as member:
        yield from etree.iterparse(_Metered(member, budget), events=("start", "end"), resolve_entities=False,
                                   load_dtd=False, no_network=True, huge_tree=False)


def drop_read(element) -> None:
    """Forget an element once read, and the siblings read before it (constant memory)."""
    element.clear()
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]


def text_from_upload(storage: FileStorage) -> str:
    """Return the text of an uploaded .txt, .docx, .xlsx or PDF; raise Invalid with a clear message otherwise."""
    data = storage.stream.read(MAX_BYTES + 1)
    name = (storage.filename or "").lower()
    if len(data) > MAX_BYTES:
        raise _invalid(_l("The document is larger than 10 MB."))
    if not data:
        raise _invalid(_l("The document is empty."))
    if data.startswith(b"%PDF-"):
        return _pdf_text(data)
    if data.startswith(b"PK\x03\x04"):
        return _office_text(data, name)
    if name.endswith((".docx", ".xlsx", ".pdf", ".doc")):
        raise _invalid(_l("This file is not a readable %(kind)s document (its content was checked).",
                          kind=name.rsplit(".", 1)[-1].upper()))
    if b"\x00" in data[:4096]:
        raise _invalid(_l("This file is not text. Upload a .docx, a .txt or a PDF with a text layer."))
    for encoding in ("utf-8-sig", "utf-16", "cp1258"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        _Budget.text_fits(len(text))
        return text
    raise _invalid(_l("The text could not be read; save it as UTF-8 and try again."))


def _office_text(data: bytes, name: str, budget: _Budget | None = None) -> str:
    budget = budget or _Budget()
    unreadable = (_l("This file is not a readable Excel (.xlsx) workbook.") if name.endswith(".xlsx")
                  else _l("This file is not a readable Word (.docx) document."))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = archive.namelist()
        if len(names) > MAX_PARTS:
            raise _invalid(_l("This document has too many parts (more than %(n)d).", n=MAX_PARTS))
        if "word/document.xml" in names:
            return _docx_text(archive, budget)
        if "xl/workbook.xml" in names:
            return _xlsx_text(archive, names, budget)
        raise zipfile.BadZipFile
    except Invalid:
        raise
    except Exception as error:  # noqa: BLE001 - zipfile and lxml raise many kinds on bad input
        raise _invalid(unreadable) from error


def _docx_text(archive: zipfile.ZipFile, budget: _Budget) -> str:
    """Body paragraphs one per line, then each top-level table row on a line, its cells joined by spaces."""
    paragraphs: list[str] = []
    rows: list[str] = []
    try:
        _read_docx(_events(archive, "word/document.xml", budget), budget, paragraphs, rows)
    except _Enough:
        pass
    return "\n".join(paragraphs + rows)


def _read_docx(events, budget: _Budget, paragraphs: list[str], rows: list[str]) -> None:
    run: list[str] = []  # the text of the paragraph being read
    cells: list[str] = []  # the row being read
    cell: list[str] | None = None  # the paragraphs of the cell being read
    tables = depth = 0  # table nesting; paragraph nesting (text boxes)
    for event, element in events:
        tag = element.tag
        if event == "start":
            if tag == _W + "p":
                depth += 1
            elif tag == _W + "tbl":
                tables += 1
            elif tag == _W + "tc" and tables == 1:
                cell = []
            continue
        if tag == _W + "t":
            run.append(element.text or "")
        elif tag == _W + "tab":
            run.append("\t")
        elif tag in (_W + "br", _W + "cr"):
            run.append("\n")
        elif tag == _W + "p":
            depth -= 1
            if depth == 0:
                text = "".join(run)
                run.clear()
                budget.item(text)
                if tables == 0:
                    paragraphs.append(text)
                elif tables == 1 and cell is not None:
                    cell.append(text)
        elif tag == _W + "tc" and tables == 1:
            cells.append("\n".join(cell or []))
            cell = None
        elif tag == _W + "tr" and tables == 1:
            rows.append(" ".join(cells))
            cells = []
            budget.item("")
        elif tag == _W + "tbl":
            tables -= 1
        if depth == 0:
            drop_read(element)


def _xlsx_text(archive: zipfile.ZipFile, names: list[str], budget: _Budget) -> str:
    """Each row of each sheet on a line, its cells joined by tabs."""
    lines: list[str] = []
    try:
        _read_xlsx(archive, names, budget, lines)
    except _Enough:
        pass
    return "\n".join(lines)


def _read_xlsx(archive: zipfile.ZipFile, names: list[str], budget: _Budget, lines: list[str]) -> None:
    shared: list[str] = []
    if "xl/sharedStrings.xml" in names:
        parts: list[str] = []
        for event, element in _events(archive, "xl/sharedStrings.xml", budget):
            if event != "end":
                continue
            if element.tag == _S + "t":
                parts.append(element.text or "")
            elif element.tag == _S + "si":
                shared.append("".join(parts))
                parts.clear()
                budget.item(shared[-1])
                drop_read(element)

    def sheet_number(name: str) -> int:
        digits = "".join(ch for ch in name.rsplit("/", 1)[-1] if ch.isdigit())
        return int(digits) if digits else 0

    sheets = sorted((n for n in names if n.startswith("xl/worksheets/") and n.endswith(".xml")), key=sheet_number)
    for sheet in sheets:
        row: list[str] = []
        value: list[str] = []
        for event, element in _events(archive, sheet, budget):
            if event != "end":
                continue
            tag = element.tag
            if tag in (_S + "v", _S + "t"):
                value.append(element.text or "")
            elif tag == _S + "c":
                text = "".join(value)
                value.clear()
                if element.get("t") == "s":
                    index = int(text) if text.isdigit() else -1
                    text = shared[index] if 0 <= index < len(shared) else ""
                row.append(text)
            elif tag == _S + "row":
                line = "\t".join(row).rstrip("\t")
                row.clear()
                budget.item(line)
                if line.strip():
                    lines.append(line)
                drop_read(element)


def _pdf_text(data: bytes, budget: _Budget | None = None) -> str:
    budget = budget or _Budget()
    try:
        from pypdf import PdfReader, apply_configuration  # (see _events)

        # pypdf's own ceilings on a decompressed stream (75 MB by default), lowered to ours, for this read only.
        with apply_configuration(**{name: MAX_PDF_STREAM_BYTES for name in _PDF_STREAM_LIMITS}):
            reader = PdfReader(io.BytesIO(data))
            if len(reader.pages) > MAX_PDF_PAGES and not budget.partial:
                raise _invalid(_l("This PDF has too many pages (more than %(n)d). Paste the part of its text "
                                  "that holds the conclusions instead.", n=MAX_PDF_PAGES))
            pages: list[str] = []
            try:
                for number, page in enumerate(reader.pages):
                    budget.clock()
                    if number == MAX_PDF_PAGES:
                        raise _Enough
                    pages.append(page.extract_text() or "")
                    budget.chars += len(pages[-1])
                    if budget.partial and budget.chars > MAX_TEXT_CHARS:
                        raise _Enough
                    budget.text_fits(budget.chars)
                budget.clock()
            except _Enough:
                pass
        text = "\n".join(pages)
    except Invalid:
        raise
    except Exception as error:  # noqa: BLE001 - pypdf raises many kinds on bad input
        raise _invalid(_l("This PDF could not be read.")) from error
    if not text.strip():
        raise _invalid(_l("This PDF has no text layer (it is a scan). Paste the text instead."))
    return text


SEARCH_TEXT_MAX = MAX_TEXT_CHARS  # characters of an attachment's text kept for search

_OFFICE_NAMES = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "file.docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "file.xlsx",
}


def searchable_text(data: bytes, content_type: str) -> str:
    """The text of an attachment for the search index: .docx, .xlsx, PDF with a text layer; "" otherwise.

    Extracted once, at upload, within the same limits as the assistant's reading, except
    that a very long file keeps the text read before a limit (items, characters, unpacked
    bytes, time) instead of being refused; a file that cannot be read is stored all the
    same (it is found by its name only).
    """
    try:
        if content_type == "application/pdf":
            text = _pdf_text(data, _Budget(partial=True))
        elif content_type in _OFFICE_NAMES:
            text = _office_text(data, _OFFICE_NAMES[content_type], _Budget(partial=True))
        else:
            return ""
    except Exception:  # noqa: BLE001 - a damaged file, a scan: no text, the upload goes on
        return ""
    return text.replace("\x00", "")[:SEARCH_TEXT_MAX]
