"""Uploaded documents cannot exhaust a worker (reliability.md row 53, issue #18 point 2).

Each bomb goes to the conclusion assistant's real route, signed in as the
secretary who records directives: the answer is a clear 422 within the time
limit, the worker's memory barely grows, and the page does not echo the text.
"""
from __future__ import annotations

import gc
import io
import time
import tracemalloc
import zipfile

import pytest
from docx import Document
from openpyxl import Workbook
from pypdf import PdfWriter
from sqlalchemy import select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from tests.pages import flashes
from tracker.models import Directive
from tracker.services import documents

MARKER = "BOMBTEXT"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MB = 1024 * 1024


def _docx_with(document_xml: bytes, extra: dict[str, bytes] | None = None) -> bytes:
    """A real .docx (python-docx's parts) whose word/document.xml is `document_xml`."""
    base = io.BytesIO()
    Document().save(base)
    out = io.BytesIO()
    with zipfile.ZipFile(base) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for item in source.infolist():
            data = document_xml if item.filename == "word/document.xml" else source.read(item)
            target.writestr(item.filename, data)
        for name, data in (extra or {}).items():
            target.writestr(name, data)
    return out.getvalue()


def docx_bomb(paragraphs: int = 400_000) -> bytes:
    """About 100 KB that unpacks into over 30 MB of XML and 400,000 paragraphs."""
    body = io.BytesIO()
    body.write(f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{W_NS}"><w:body>'
               .encode())
    for i in range(paragraphs):
        body.write(f'<w:p><w:r><w:t xml:space="preserve">{MARKER} giao Sở Nội vụ chủ trì {i % 3}</w:t></w:r></w:p>'
                   .encode())
    body.write(b"</w:body></w:document>")
    return _docx_with(body.getvalue())


def _rss_kb(field: str) -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise LookupError(field)


def _reset_peak() -> bool:
    """Restart the kernel's peak-RSS count of this process (Linux); False where it cannot."""
    try:
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")
        return True
    except OSError:
        return False


def measured(send, data: bytes, filename: str):
    """Send a file; return the response, the seconds it took and the worker's peak memory growth in bytes.

    The growth is the kernel's peak resident size (Linux: VmHWM, reset first), which counts lxml's and
    zlib's memory too; where it cannot be reset, tracemalloc's peak of Python's own allocations, in a
    second run (tracemalloc slows every allocation, so the time comes from the first).
    """
    gc.collect()
    by_rss = _reset_peak()
    rss_before = _rss_kb("VmRSS")
    started = time.perf_counter()
    response = send(data, filename)
    elapsed = time.perf_counter() - started
    if by_rss:
        return response, elapsed, (_rss_kb("VmHWM") - rss_before) * 1024
    tracemalloc.start()
    send(data, filename)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return response, elapsed, peak


@pytest.fixture
def assistant(login_as, db):
    """Send a file to the conclusion assistant of the seed directive, as the Office's secretary."""
    directive = db.session.scalar(select(Directive).where(Directive.number == "125/TB-UBND"))
    client = login_as("thu.lt")
    url = f"/directives/{directive.id}/extract"

    def send(data: bytes, filename: str):
        # The body encoded in memory, as a browser sends it (the test client would spool a large one to a
        # temporary file it never closes).
        boundary, body = encode_multipart({"document": FileStorage(io.BytesIO(data), filename)})
        return client.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}")

    send(_docx_with(f'<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>Giao Sở Nội vụ chủ trì.</w:t></w:r>'
                    f'</w:p></w:body></w:document>'.encode()), "warm-up.docx")  # the libraries load once
    return send


def test_the_docx_bomb_is_refused_quickly_in_little_memory_without_echo(assistant):
    bomb = docx_bomb()
    with zipfile.ZipFile(io.BytesIO(bomb)) as archive:
        unpacked = archive.getinfo("word/document.xml").file_size
    assert len(bomb) < 200 * 1024 and unpacked > 30 * MB  # what the probe sent: 108 KB, 31.6 MB of XML

    response, elapsed, growth = measured(assistant, bomb, "ket-luan.docx")
    assert response.status_code == 422
    assert elapsed < 2.0, elapsed
    assert growth < 50 * MB, growth
    page = response.get_data(as_text=True)
    assert MARKER not in page and len(page) < 100_000
    # Refused on what the archive declares, before unpacking anything.
    assert any("16 MB" in message for message in flashes(response))
    print(f"docx bomb: {len(bomb) / 1024:.0f} KB -> {unpacked / MB:.1f} MB of XML; refused in {elapsed:.2f} s, "
          f"memory growth {growth / MB:.1f} MB")


def test_a_docx_with_too_many_paragraphs_stops_at_the_limit_in_little_memory(assistant):
    bomb = docx_bomb(paragraphs=150_000)  # 10 MB of XML: under the size limit, over the paragraph limit
    response, elapsed, growth = measured(assistant, bomb, "ket-luan.docx")
    assert response.status_code == 422
    assert elapsed < 2.0 and growth < 50 * MB, (elapsed, growth)
    print(f"docx of 150,000 paragraphs: refused in {elapsed:.2f} s, memory growth {growth / MB:.1f} MB")
    assert MARKER not in response.get_data(as_text=True)
    limit = str(documents.MAX_ITEMS)
    assert any(limit in message.replace(".", "").replace(",", "") for message in flashes(response))


def test_a_docx_whose_xml_is_too_large_is_refused_by_size(assistant):
    # Few paragraphs, each huge: the unpacked-size limit stops it, not the paragraph count.
    run = f"<w:r><w:t>{MARKER} {'x' * 1_000_000}</w:t></w:r>"
    bomb = _docx_with(f'<w:document xmlns:w="{W_NS}"><w:body>{"<w:p>" + run * 4 + "</w:p>"}'
                      f'{"<w:p>" + run * 20 + "</w:p>"}</w:body></w:document>'.encode())
    started = time.perf_counter()
    response = assistant(bomb, "ket-luan.docx")
    assert time.perf_counter() - started < 2.0
    assert response.status_code == 422 and MARKER not in response.get_data(as_text=True)
    assert any("16 MB" in message for message in flashes(response))


def test_a_docx_with_too_many_parts_is_refused(assistant):
    bomb = _docx_with(f'<w:document xmlns:w="{W_NS}"><w:body><w:p/></w:body></w:document>'.encode(),
                      {f"word/media/part{i}.xml": b"<x/>" for i in range(documents.MAX_PARTS + 1)})
    response = assistant(bomb, "ket-luan.docx")
    assert response.status_code == 422
    assert any(str(documents.MAX_PARTS) in message.replace(".", "").replace(",", "") for message in flashes(response))


def test_entities_are_not_expanded(assistant):
    laughs = (f'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY a "{MARKER}{MARKER}{MARKER}{MARKER}">'
              + "".join(f'<!ENTITY {chr(98 + i)} "' + f"&{chr(97 + i)};" * 10 + '">' for i in range(8))
              + f']><w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>&i;</w:t></w:r></w:p></w:body></w:document>')
    started = time.perf_counter()
    response = assistant(_docx_with(laughs.encode()), "ket-luan.docx")
    assert time.perf_counter() - started < 2.0
    assert response.status_code in (200, 422)
    assert response.get_data(as_text=True).count(MARKER) < 10


def test_the_xlsx_bomb_is_refused(assistant):
    workbook = Workbook()
    workbook.active["A1"] = "Giao Sở Nội vụ chủ trì"
    base = io.BytesIO()
    workbook.save(base)
    rows = f'<row><c t="inlineStr"><is><t>{MARKER} giao Sở Nội vụ chủ trì</t></is></c></row>' * 400_000
    sheet = (f'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{rows}'
             f'</sheetData></worksheet>').encode()
    out = io.BytesIO()
    with zipfile.ZipFile(base) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for item in source.infolist():
            target.writestr(item.filename, sheet if item.filename == "xl/worksheets/sheet1.xml" else source.read(item))
    bomb = out.getvalue()
    assert len(bomb) < 500 * 1024
    started = time.perf_counter()
    response = assistant(bomb, "ket-luan.xlsx")
    assert time.perf_counter() - started < 2.0
    assert response.status_code == 422 and MARKER not in response.get_data(as_text=True)


def test_an_xlsx_is_read_row_by_row(assistant):
    workbook = Workbook()
    workbook.active.append(["Nhiệm vụ", "Đơn vị"])
    workbook.active.append(["Giao Sở Nội vụ chủ trì rà soát biên chế trước ngày 30/6/2027.", "SNV"])
    out = io.BytesIO()
    workbook.save(out)
    response = assistant(out.getvalue(), "ket-luan.xlsx")
    assert response.status_code == 200
    assert "rà soát biên chế" in response.get_data(as_text=True)


def test_a_pdf_with_too_many_pages_is_refused(assistant):
    writer = PdfWriter()
    for _ in range(documents.MAX_PDF_PAGES + 1):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    started = time.perf_counter()
    response = assistant(out.getvalue(), "ket-luan.pdf")
    assert time.perf_counter() - started < 2.0
    assert response.status_code == 422
    assert any(str(documents.MAX_PDF_PAGES) in message for message in flashes(response))


def test_a_text_file_past_the_limit_is_refused_without_echo(assistant):
    text = (MARKER + " giao Sở Nội vụ chủ trì.\n") * 40_000  # 1.3 million characters
    response = assistant(text.encode(), "ket-luan.txt")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert MARKER not in page and len(page) < 100_000


def test_reading_stops_at_the_time_limit(assistant, monkeypatch):
    monkeypatch.setattr(documents, "TIME_LIMIT", 0.0)
    response = assistant(docx_bomb(paragraphs=1000), "ket-luan.docx")
    assert response.status_code == 422
    assert any("0" in message for message in flashes(response))
    assert MARKER not in response.get_data(as_text=True)


def test_the_search_index_keeps_the_start_of_a_bomb_within_the_same_limits(app):
    """An attachment is indexed at upload: a bomb keeps the text read before a limit, quickly, in little memory."""
    bomb = docx_bomb()
    gc.collect()
    by_rss = _reset_peak()
    rss_before = _rss_kb("VmRSS")
    started = time.perf_counter()
    text = documents.searchable_text(bomb, "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    elapsed = time.perf_counter() - started
    growth = (_rss_kb("VmHWM") - rss_before) * 1024 if by_rss else 0
    assert elapsed < 2.0 and growth < 50 * MB, (elapsed, growth)
    lines = text.splitlines()
    assert len(lines) == documents.MAX_ITEMS and lines[0].startswith(MARKER)


def test_the_import_refuses_a_shared_strings_bomb_in_little_memory(login_as, db):
    """The spreadsheet import reads uploads too: 120 KB whose texts unpack into 47 MB once took 18 s and 1 GB."""
    workbook = Workbook()
    workbook.active["A1"] = "Số ký hiệu"
    base = io.BytesIO()
    workbook.save(base)
    strings = ('<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
               + f"<si><t>{MARKER}</t></si>" * 2_500_000 + "</sst>").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(base) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for item in source.infolist():
            if item.filename != "xl/sharedStrings.xml":
                target.writestr(item.filename, source.read(item))
        target.writestr("xl/sharedStrings.xml", strings)
    bomb = out.getvalue()
    assert len(bomb) < 200 * 1024
    client = login_as("thu.lt")

    def send(data: bytes, filename: str):
        boundary, body = encode_multipart({"file": FileStorage(io.BytesIO(data), filename)})
        return client.post("/directives/import", data=body, content_type=f"multipart/form-data; boundary={boundary}")

    response, elapsed, growth = measured(send, bomb, "danh-sach.xlsx")
    assert response.status_code == 422
    assert growth < 50 * MB, growth
    assert elapsed < 10.0, elapsed  # bounded by the 300,000 texts a real 50,000-row list may hold
    assert MARKER not in response.get_data(as_text=True)
    print(f"import bomb: {len(bomb) / 1024:.0f} KB -> 47 MB of texts; refused in {elapsed:.2f} s, "
          f"memory growth {growth / MB:.1f} MB")
