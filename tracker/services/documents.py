"""Text of an uploaded document (.txt, .docx, PDF with a text layer), checked by content."""
from __future__ import annotations

import io
import zipfile

from werkzeug.datastructures import FileStorage

from tracker.lazytext import _l
from tracker.services.errors import Invalid

MAX_BYTES = 10 * 1024 * 1024


def _invalid(message) -> Invalid:
    return Invalid(message, {"document": message})


def text_from_upload(storage: FileStorage) -> str:
    """Return the text of an uploaded .txt, .docx or PDF; raise Invalid with a clear message otherwise."""
    data = storage.stream.read(MAX_BYTES + 1)
    name = (storage.filename or "").lower()
    if len(data) > MAX_BYTES:
        raise _invalid(_l("The document is larger than 10 MB."))
    if not data:
        raise _invalid(_l("The document is empty."))
    if data.startswith(b"%PDF-"):
        return _pdf_text(data)
    if data.startswith(b"PK\x03\x04"):
        return _docx_text(data)
    if name.endswith((".docx", ".pdf", ".doc")):
        raise _invalid(_l("This file is not a readable %(kind)s document (its content was checked).",
                          kind=name.rsplit(".", 1)[-1].upper()))
    if b"\x00" in data[:4096]:
        raise _invalid(_l("This file is not text. Upload a .docx, a .txt or a PDF with a text layer."))
    for encoding in ("utf-8-sig", "utf-16", "cp1258"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise _invalid(_l("The text could not be read; save it as UTF-8 and try again."))


def _docx_text(data: bytes) -> str:
    try:
        if "word/document.xml" not in zipfile.ZipFile(io.BytesIO(data)).namelist():
            raise zipfile.BadZipFile
        from docx import Document  # python-docx and pypdf load on the first upload, not in every worker

        document = Document(io.BytesIO(data))
    except Exception as error:  # noqa: BLE001 - python-docx raises many kinds on bad input
        raise _invalid(_l("This file is not a readable Word (.docx) document.")) from error
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" ".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def _pdf_text(data: bytes) -> str:
    try:
        from pypdf import PdfReader  # (see _docx_text)

        reader = PdfReader(io.BytesIO(data))
        text = "\n".join((page.extract_text() or "") for page in reader.pages)
    except Exception as error:  # noqa: BLE001 - pypdf raises many kinds on bad input
        raise _invalid(_l("This PDF could not be read.")) from error
    if not text.strip():
        raise _invalid(_l("This PDF has no text layer (it is a scan). Paste the text instead."))
    return text


SEARCH_TEXT_MAX = 1_000_000  # characters of an attachment's text kept for search


def _xlsx_text(data: bytes) -> str:
    from openpyxl import load_workbook  # (see _docx_text)

    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        lines = []
        for sheet in book.worksheets:
            for row in sheet.iter_rows(values_only=True):
                cells = [str(v) for v in row if v is not None and str(v).strip()]
                if cells:
                    lines.append(" ".join(cells))
        return "\n".join(lines)
    finally:
        book.close()


def searchable_text(data: bytes, content_type: str) -> str:
    """The text of an attachment for the search index: .docx, .xlsx, PDF with a text layer; "" otherwise.

    Extracted once, at upload; a file that cannot be read is stored all the
    same (it is found by its name only).
    """
    readers = {
        "application/pdf": _pdf_text,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document": _docx_text,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": _xlsx_text,
    }
    reader = readers.get(content_type)
    if reader is None:
        return ""
    try:
        text = reader(data)
    except Exception:  # noqa: BLE001 - a damaged file, a scan: no text, the upload goes on
        return ""
    return text.replace("\x00", "")[:SEARCH_TEXT_MAX]
