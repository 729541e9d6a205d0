"""Recording a directive, splitting it into tasks, publishing it, and its attachments."""
from __future__ import annotations

import io
import zipfile
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from tests.tasks.pages import (
    batch_rows,
    doc,
    directive,
    download,
    errors_of,
    flashes,
    form_values,
    main_text,
    row_errors,
    task_titles,
    unit,
    user,
)
from tracker.models import Attachment, AuditEvent, Directive, Task

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def directive_form(db, number="12/TB-UBND", issued_on="2025-03-03", unit_code="UBND", on_behalf_of="nga.tt",
                   files=(), **changes):
    data = {"number": number, "kind": "conclusion", "issued_on": issued_on, "issuing_unit_id": unit(db, unit_code).id,
            "on_behalf_of_id": user(db, on_behalf_of).id if on_behalf_of else 0, "signer": "",
            "title": "Kết luận của Phó Chủ tịch UBND tỉnh về chuyển đổi số", "text": ""}
    data.update(changes)
    if files:
        data["attachments"] = [(io.BytesIO(content), name) for name, content in files]
    return data


def post_multipart(client, url, data):
    """Post a form with files, encoded in memory (the test client would spool large bodies to a file)."""
    fields = {name: [FileStorage(stream, filename=filename) for stream, filename in value]
              if name == "attachments" else value for name, value in data.items()}
    boundary, body = encode_multipart(fields)
    return client.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def record(client, db, **kwargs):
    return post_multipart(client, "/directives/new", directive_form(db, **kwargs))


def count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def uploaded_files(app) -> list[Path]:
    folder = Path(app.config["UPLOAD_FOLDER"])
    return sorted(folder.iterdir()) if folder.exists() else []


@pytest.fixture
def draft(login_as, db):
    """A draft conclusion of the committee with one task for the department (returns it and the secretary)."""
    thu = login_as("thu.lt")
    assert record(thu, db).status_code == 302
    d = directive(db, "12/TB-UBND")
    response = thu.post(f"/directives/{d.id}/tasks", data=batch_rows(thu.get(f"/directives/{d.id}"), d.id, [
        {"title": "Xây dựng kế hoạch chuyển đổi số năm 2025", "lead_unit_id": unit(db, "SKHCN").id,
         "deadline": "2025-06-30"}]))
    assert response.status_code == 302
    return d, thu


# --- recording -------------------------------------------------------------------------------

def test_leader_records_a_directive_in_her_own_name(login_as, db):
    nga = login_as("nga.tt")
    page = nga.get("/directives/new")
    assert page.status_code == 200
    values = form_values(page, "/directives/new")
    assert values["on_behalf_of_id"] == [str(user(db, "nga.tt").id)]  # proposed: herself
    assert values["issuing_unit_id"] == [str(unit(db, "UBND").id)]
    values.update({"number": "30/TB-UBND", "issued_on": "2025-03-03", "title": "Kết luận về cải cách hành chính"})
    response = nga.post("/directives/new", data=values, follow_redirects=True)
    assert "Document 30/TB-UBND has been recorded. Now add its tasks." in flashes(response)
    d = directive(db, "30/TB-UBND")
    assert (d.created_by.username, d.on_behalf_of.username, d.issuing_unit.code, d.year) == (
        "nga.tt", "nga.tt", "UBND", 2025)
    assert "Recorded by Trần Thị Nga" in main_text(response)
    assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.object_type == "directive",
                                                             AuditEvent.object_id == d.id)) == "directive.create"


def test_secretary_records_on_behalf_of_a_leader_of_her_unit(login_as, db):
    thu = login_as("thu.lt")
    page = thu.get("/directives/new")
    options = form_values(page, "/directives/new")
    assert options["issuing_unit_id"] == [str(unit(db, "UBND").id)]
    assert record(thu, db, on_behalf_of="hung.nv").status_code == 302
    d = directive(db, "12/TB-UBND")
    assert (d.created_by.username, d.on_behalf_of.username) == ("thu.lt", "hung.nv")
    assert "On behalf of Nguyễn Văn Hùng" in main_text(thu.get(f"/directives/{d.id}"))
    # Only the unit's leaders can be chosen; not a leader of another unit, nor herself.
    for who in ("hai.nv", "thu.lt"):
        response = record(thu, db, number="13/TB-UBND", on_behalf_of=who)
        assert response.status_code == 200
        assert errors_of(response, "on_behalf_of_id") == ["Not a valid choice."]
    # Nor another unit as the issuer.
    response = record(thu, db, number="13/TB-UBND", unit_code="SKHCN")
    assert errors_of(response, "issuing_unit_id") == ["Not a valid choice."]
    assert count(db, Directive) == 2  # the demo's and this one


def test_number_is_unique_per_issuing_unit_and_year(login_as, db):
    thu = login_as("thu.lt")
    assert record(thu, db, number="12/TB-UBND").status_code == 302
    for number in ("12/TB-UBND", "12/tb-ubnd", " 12 / TB-UBND "):
        response = record(thu, db, number=number, issued_on="2025-11-20")
        assert response.status_code == 200, number
        assert "Please correct the errors below." in main_text(response)
        assert errors_of(response, "number") == ["This unit already has a document with this number in 2025."]
    assert count(db, Directive) == 2
    # The same number is free in another year, and for another unit.
    assert record(thu, db, number="12/TB-UBND", issued_on="2026-01-05").status_code == 302
    hai = login_as("hai.nv")
    assert record(hai, db, number="12/TB-UBND", unit_code="SKHCN", on_behalf_of="hai.nv").status_code == 302
    assert count(db, Directive) == 4
    # Editing another document to take the number is refused the same way.
    other = db.session.scalar(select(Directive).where(Directive.issued_on == date(2026, 1, 5)))
    values = form_values(thu.get(f"/directives/{other.id}/edit"), f"/directives/{other.id}/edit")
    values["issued_on"] = ["2025-12-01"]
    response = thu.post(f"/directives/{other.id}/edit", data=values)
    assert errors_of(response, "number") == ["This unit already has a document with this number in 2025."]
    assert other.issued_on == date(2026, 1, 5)


@pytest.mark.parametrize("username", ["lan.nt", "dung.tv", "khoa.dm"])
def test_staff_cannot_record(login_as, db, username):
    staff = login_as(username)
    assert staff.get("/directives/new").status_code == 403
    response = record(staff, db, unit_code="SKHCN", on_behalf_of="hai.nv")
    assert response.status_code == 403
    assert "You do not have permission to do this." in main_text(response)
    assert count(db, Directive) == 1
    assert "Record a document" not in main_text(staff.get("/directives"))


# --- tasks of a directive ----------------------------------------------------------------

def test_batch_add_is_all_or_nothing_with_row_errors(draft, db):
    d, thu = draft
    before = count(db, Task)
    page = thu.get(f"/directives/{d.id}")
    rows = [
        {"title": "Triển khai kế hoạch ứng dụng IPv6", "lead_unit_id": unit(db, "SKHCN").id, "deadline": "2025-05-30"},
        {"title": "Hoàn thiện đề án phát thanh – truyền hình", "deadline": "2025-05-30"},  # no lead unit
        {"title": "Rà soát kế hoạch ứng dụng CNTT", "lead_unit_id": unit(db, "SKHCN").id,
         "deadline": "2025-02-28"},  # before the document's date
        {"title": "Báo cáo kết quả", "lead_unit_id": unit(db, "SNV").id},  # neither deadline nor "ongoing"
    ]
    response = thu.post(f"/directives/{d.id}/tasks", data=batch_rows(page, d.id, rows))
    assert response.status_code == 422
    assert "No task was added: please correct the rows marked below." in flashes(response)
    assert row_errors(response) == ["Choose the lead unit.",
                                    "The deadline cannot be before the document's date (03/03/2025).",
                                    'Enter a deadline or tick "Ongoing".']
    assert count(db, Task) == before
    # What was typed is still there, row by row.
    values = form_values(response, f"/directives/{d.id}/tasks")
    assert [values[f"rows-{n}-title"][0].strip() for n in range(4)] == [r["title"] for r in rows]
    assert values["rows-2-deadline"] == ["2025-02-28"]
    # Corrected, every row is saved at once.
    rows[1]["lead_unit_id"] = unit(db, "DPTTH").id
    rows[2]["deadline"] = "2025-03-03"  # the document's date itself is allowed
    rows[3]["ongoing"] = "y"
    response = thu.post(f"/directives/{d.id}/tasks", data=batch_rows(response, d.id, rows), follow_redirects=True)
    assert "4 tasks have been added." in flashes(response)
    assert task_titles(response) == ["Xây dựng kế hoạch chuyển đổi số năm 2025"] + [r["title"] for r in rows]
    added = db.session.scalars(select(Task).where(Task.directive_id == d.id).order_by(Task.position)).all()
    assert [(t.lead_unit.code, t.deadline, t.position) for t in added] == [
        ("SKHCN", date(2025, 6, 30), 1), ("SKHCN", date(2025, 5, 30), 2), ("DPTTH", date(2025, 5, 30), 3),
        ("SKHCN", date(2025, 3, 3), 4), ("SNV", None, 5)]
    assert all(t.issuing_unit.code == "UBND" and t.state == "open" and t.created_by.username == "thu.lt"
               for t in added)


def test_batch_needs_at_least_one_row_and_offers_more_rows(draft, db):
    d, thu = draft
    page = thu.get(f"/directives/{d.id}")
    assert len([k for k in form_values(page, f"/directives/{d.id}/tasks") if k.endswith("-title")]) == 5
    response = thu.post(f"/directives/{d.id}/tasks", data=batch_rows(page, d.id, []))
    assert "Write at least one task." in flashes(response)
    # "More rows" keeps what was typed and adds five empty rows; nothing is saved yet.
    response = thu.post(f"/directives/{d.id}/tasks", data=batch_rows(page, d.id, [
        {"title": "Nhiệm vụ một", "lead_unit_id": unit(db, "STC").id, "deadline": "2025-04-01"}], more=True))
    values = form_values(response, f"/directives/{d.id}/tasks")
    assert len([k for k in values if k.endswith("-title")]) == 10
    assert values["rows-0-title"][0].strip() == "Nhiệm vụ một"
    assert values["rows-0-lead_unit_id"] == [str(unit(db, "STC").id)]
    assert row_errors(response) == []
    assert count(db, Task) == 12
    rows = [{"title": f"Nhiệm vụ {n}", "lead_unit_id": unit(db, "STC").id, "ongoing": "y"} for n in range(8)]
    response = thu.post(f"/directives/{d.id}/tasks", data=batch_rows(response, d.id, rows), follow_redirects=True)
    assert "8 tasks have been added." in flashes(response)


def test_lead_and_cooperating_units_must_be_within_the_issuers_reach(login_as, db):
    hai = login_as("hai.nv")  # the department issues an internal plan to its divisions
    assert record(hai, db, number="5/KH-STTTT", unit_code="SKHCN", on_behalf_of="hai.nv", kind="plan").status_code \
        == 302
    d = directive(db, "5/KH-STTTT")
    page = hai.get(f"/directives/{d.id}")
    offered = form_values(page, f"/directives/{d.id}/tasks")["rows-0-lead_unit_id"]
    assert offered == ["0"]  # nothing chosen yet; the choices are the department's subtree:
    assert {o.strip() for o in _options(page, "rows-0-lead_unit_id")} == {
        "—", "Sở Khoa học và Công nghệ", "Phòng Bưu chính - Viễn thông", "Phòng Công nghệ thông tin",
        "Phòng Thông tin - Báo chí - Xuất bản", "Văn phòng Sở Thông tin và Truyền thông"}  # divisions taken over
    response = hai.post(f"/directives/{d.id}/tasks", data=batch_rows(page, d.id, [
        {"title": "Phối hợp Sở Nội vụ", "lead_unit_id": unit(db, "SNV").id, "deadline": "2025-04-01"}]))
    assert response.status_code == 422
    assert row_errors(response) == ["The lead unit must be within Sở Khoa học và Công nghệ."]
    base = {"title": "Phối hợp Sở Nội vụ", "description": "", "deadline": "2025-04-01", "priority": "normal",
            "assignee_id": 0, "tags": ""}
    response = hai.post(f"/directives/{d.id}/tasks/new", data={**base, "lead_unit_id": unit(db, "SNV").id})
    assert errors_of(response, "lead_unit_id") == ["Not a valid choice."]
    response = hai.post(f"/directives/{d.id}/tasks/new", data={
        **base, "lead_unit_id": unit(db, "STTTT-CNTT").id, "cooperating_unit_ids": [unit(db, "SNV").id]})
    assert errors_of(response, "cooperating_unit_ids")
    response = hai.post(f"/directives/{d.id}/tasks/new", data={
        **base, "lead_unit_id": unit(db, "STTTT-CNTT").id, "assignee_id": user(db, "an.pt").id})
    assert errors_of(response, "assignee_id") == ["The assignee must belong to the lead unit."]
    assert db.session.scalar(select(func.count()).select_from(Task).where(Task.directive_id == d.id)) == 0
    response = hai.post(f"/directives/{d.id}/tasks/new", data={
        **base, "lead_unit_id": unit(db, "STTTT-CNTT").id, "cooperating_unit_ids": [unit(db, "STTTT-BCVT").id],
        "assignee_id": user(db, "lan.nt").id})
    assert response.status_code == 302


def _options(response, select_id):
    from tests.tasks.pages import doc

    return [o.text_content() for o in doc(response).xpath(f"//select[@id='{select_id}']/option")]


def test_draft_is_invisible_to_other_units_until_published(draft, login_as, db):
    d, thu = draft
    task = d.tasks[0]
    hai, binh = login_as("hai.nv"), login_as("binh.lv")
    for client in (hai, binh):
        for url in (f"/directives/{d.id}", f"/tasks/{task.id}", f"/directives/{d.id}/edit"):
            response = client.get(url)
            assert response.status_code == 404, url
            assert task.title not in response.get_data(as_text=True)
        assert "12/TB-UBND" not in main_text(client.get("/directives"))
        assert task.title not in main_text(client.get("/tasks?view=all"))
    assert notifications_for(db, "hai.nv") == []
    response = thu.post(f"/directives/{d.id}/publish", follow_redirects=True)
    assert "Document 12/TB-UBND has been published: its units can see their tasks." in flashes(response)
    assert "Publish to the units" not in main_text(response)
    assert hai.get(f"/directives/{d.id}").status_code == 200
    assert task.title in main_text(hai.get(f"/tasks/{task.id}"))
    assert "12/TB-UBND" in main_text(hai.get("/directives"))
    assert notifications_for(db, "hai.nv") == [task.id]
    assert binh.get(f"/directives/{d.id}").status_code == 404  # nothing of it is for the home affairs department
    # Publishing twice is refused.
    response = thu.post(f"/directives/{d.id}/publish", follow_redirects=True)
    assert "This document is already published." in flashes(response)


def notifications_for(db, username):
    from tracker.models import Notification

    return list(db.session.scalars(select(Notification.task_id).where(
        Notification.user_id == user(db, username).id, Notification.task_id.in_(
            select(Task.id).where(Task.directive.has(Directive.number == "12/TB-UBND"))))))


def test_publishing_needs_a_task_and_the_issuing_side(login_as, db):
    thu = login_as("thu.lt")
    record(thu, db)
    d = directive(db, "12/TB-UBND")
    response = thu.post(f"/directives/{d.id}/publish", follow_redirects=True)
    assert "Add at least one task before publishing." in flashes(response)
    assert d.published_at is None


def test_reorder_and_remove_before_publishing_not_after(draft, db):
    d, thu = draft
    thu.post(f"/directives/{d.id}/tasks", data=batch_rows(thu.get(f"/directives/{d.id}"), d.id, [
        {"title": "Nhiệm vụ B", "lead_unit_id": unit(db, "STC").id, "ongoing": "y"},
        {"title": "Nhiệm vụ C", "lead_unit_id": unit(db, "SNV").id, "ongoing": "y"}]))
    first, b, c = d.tasks
    response = thu.post(f"/tasks/{c.id}/move", data={"direction": "up"}, follow_redirects=True)
    assert task_titles(response) == [first.title, "Nhiệm vụ C", "Nhiệm vụ B"]
    response = thu.post(f"/tasks/{first.id}/move", data={"direction": "down"}, follow_redirects=True)
    assert task_titles(response) == ["Nhiệm vụ C", first.title, "Nhiệm vụ B"]
    response = thu.post(f"/tasks/{c.id}/move", data={"direction": "up"}, follow_redirects=True)  # already first
    assert task_titles(response) == ["Nhiệm vụ C", first.title, "Nhiệm vụ B"]
    b_id = b.id
    response = thu.post(f"/tasks/{b_id}/delete", follow_redirects=True)
    assert "The task has been deleted." in flashes(response)
    assert task_titles(response) == ["Nhiệm vụ C", first.title]
    assert db.session.scalar(select(func.count()).select_from(Task).where(Task.id == b_id)) == 0
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "task.delete")).summary == "Nhiệm vụ B"
    thu.post(f"/directives/{d.id}/publish")
    response = thu.post(f"/tasks/{c.id}/delete", follow_redirects=True)
    assert "A published task keeps its history: cancel it instead of deleting it." in flashes(response)
    assert db.session.get(Task, c.id) is not None
    assert "Remove" not in main_text(thu.get(f"/directives/{d.id}"))
    # Reordering stays possible after publishing.
    response = thu.post(f"/tasks/{first.id}/move", data={"direction": "up"}, follow_redirects=True)
    assert task_titles(response) == [first.title, "Nhiệm vụ C"]


# --- attachments -----------------------------------------------------------------------------

def test_pdf_attachment_is_stored_under_a_random_name_and_downloaded_safely(app, login_as, db):
    thu = login_as("thu.lt")
    response = record(thu, db, files=[("Thông báo kết luận 12.pdf", PDF), ("Phụ lục.docx", docx_bytes())])
    assert response.status_code == 302
    d = directive(db, "12/TB-UBND")
    pdf, docx = d.attachments
    assert (pdf.original_name, pdf.content_type, pdf.size) == ("Thông báo kết luận 12.pdf", "application/pdf",
                                                               len(PDF))
    assert docx.content_type == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    files = uploaded_files(app)
    assert sorted(f.name for f in files) == sorted([pdf.stored_name, docx.stored_name])
    assert all(len(f.name) == 40 and "." not in f.name and "Th" not in f.name for f in files)
    assert (Path(app.config["UPLOAD_FOLDER"]) / pdf.stored_name).read_bytes() == PDF
    page = thu.get(f"/directives/{d.id}")
    assert f"/attachments/{pdf.id}" in page.get_data(as_text=True)
    assert "Thông báo kết luận 12.pdf" in main_text(page)
    response = download(thu, f"/attachments/{pdf.id}")
    assert response.status_code == 200
    assert response.data == PDF
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "filename*=UTF-8''Th%C3%B4ng%20b%C3%A1o" in response.headers["Content-Disposition"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response.headers["Content-Security-Policy"]


def test_attachment_download_follows_who_sees_the_directive(draft, login_as, db, app):
    d, thu = draft
    values = form_values(thu.get(f"/directives/{d.id}/edit"), f"/directives/{d.id}/edit")
    values["attachments"] = [(io.BytesIO(PDF), "ket-luan.pdf")]
    assert post_multipart(thu, f"/directives/{d.id}/edit", values).status_code == 302
    (attachment,) = d.attachments
    url = f"/attachments/{attachment.id}"
    assert download(login_as("nga.tt"), url).status_code == 200
    hai, binh = login_as("hai.nv"), login_as("binh.lv")
    assert download(hai, url).status_code == 404  # a draft
    thu.post(f"/directives/{d.id}/publish")
    assert download(hai, url).status_code == 200
    assert download(login_as("lan.nt"), url).status_code == 404  # the division sees none of its tasks
    response = download(binh, url)
    assert response.status_code == 404 and PDF not in response.data
    assert download(login_as("admin"), url).status_code == 200
    assert thu.get("/attachments/99999").status_code == 404


def test_too_large_file_is_refused_and_nothing_is_saved(app, login_as, db):
    app.config["UPLOAD_MAX_BYTES"] = 1024 * 1024
    thu = login_as("thu.lt")
    big = PDF + b"0" * (1024 * 1024 + 1 - len(PDF))
    response = record(thu, db, files=[("small.pdf", PDF), ("big.pdf", big)])
    assert response.status_code == 200
    assert "Please correct the errors below." in main_text(response)
    assert "big.pdf is larger than 1 MB." in row_errors(response)
    assert directive(db, "12/TB-UBND") is None
    assert count(db, Attachment) == 0 and uploaded_files(app) == []
    assert "up to 1 MB each" in main_text(response)
    # Exactly at the limit is fine.
    response = record(thu, db, files=[("big.pdf", big[:-1])])
    assert response.status_code == 302 and count(db, Attachment) == 1


FORGED = [
    ("ket-luan.pdf", b"<html><body><script>alert(document.cookie)</script></body></html>"),
    ("ket-luan.pdf", b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>"),
    ("phu-luc.docx", bytes(range(256)) * 4),
    ("phu-luc.docx", b"PK\x03\x04 not really a zip"),
    ("anh.png", PDF),  # a real PDF under an image's name
    ("ket-luan.exe", PDF),
]


def test_files_are_typed_by_their_content(app, login_as, db):
    thu = login_as("thu.lt")
    for name, content in FORGED:
        response = record(thu, db, files=[("bien-ban.pdf", PDF), (name, content)])
        assert response.status_code == 200, name
        assert row_errors(response) == [f"{name} is not a PDF, Word, Excel or image file (its content was checked)."]
    response = record(thu, db, files=[("empty.pdf", b"")])
    assert row_errors(response) == ["empty.pdf is empty."]
    assert directive(db, "12/TB-UBND") is None
    assert count(db, Attachment) == 0 and uploaded_files(app) == []


# --- lifecycle edges (issue 17) ----------------------------------------------------------------

def test_a_draft_is_deleted_with_its_tasks_and_files_by_whoever_may_edit_it(app, login_as, db):
    thu = login_as("thu.lt")
    assert record(thu, db, files=[("Thông báo kết luận 12.pdf", PDF)]).status_code == 302
    d = directive(db, "12/TB-UBND")
    thu.post(f"/directives/{d.id}/tasks", data=batch_rows(thu.get(f"/directives/{d.id}"), d.id, [
        {"title": "Xây dựng kế hoạch chuyển đổi số năm 2025", "lead_unit_id": unit(db, "STTTT").id,
         "deadline": "2025-06-30"}]))
    page = thu.get(f"/directives/{d.id}")
    assert "Draft" in " ".join(e.text_content() for e in doc(page).xpath("//td[@data-label='Status']"))
    assert doc(page).xpath(f"//form[@action='/directives/{d.id}/delete']//button/@data-confirm")
    assert len(uploaded_files(app)) == 1
    tasks, attachments = count(db, Task), count(db, Attachment)
    # Someone who may not edit it cannot delete it.
    assert login_as("hai.nv").post(f"/directives/{d.id}/delete").status_code in (403, 404)
    response = thu.post(f"/directives/{d.id}/delete", follow_redirects=True)
    assert "Draft document 12/TB-UBND has been deleted with its tasks." in flashes(response)
    assert db.session.scalar(select(Directive).where(Directive.number == "12/TB-UBND")) is None
    assert (count(db, Task), count(db, Attachment)) == (tasks - 1, attachments - 1)
    assert uploaded_files(app) == []
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "directive.delete"))
    assert event.actor.username == "thu.lt" and event.summary == "12/TB-UBND"
    assert event.changes == {"tasks": ["Xây dựng kế hoạch chuyển đổi số năm 2025"],
                             "files": ["Thông báo kết luận 12.pdf"]}


def test_a_published_document_cannot_be_deleted(login_as, db):
    d = db.session.scalar(select(Directive).where(Directive.published_at.is_not(None)).limit(1))
    nga = login_as("nga.tt")
    page = nga.get(f"/directives/{d.id}")
    assert not doc(page).xpath(f"//form[@action='/directives/{d.id}/delete']")
    response = nga.post(f"/directives/{d.id}/delete", follow_redirects=True)
    assert "A published document keeps its history: it cannot be deleted." in flashes(response)
    assert db.session.get(Directive, d.id) is not None


def test_a_future_issue_date_asks_for_confirmation(login_as, db):
    from datetime import timedelta

    from tracker.timeutil import today
    thu = login_as("thu.lt")
    later = today() + timedelta(days=30)
    response = record(thu, db, issued_on=later.strftime("%d/%m/%Y"))
    assert response.status_code == 200
    (error,) = errors_of(response, "issued_on")
    assert error.startswith("This date is after today")
    assert doc(response).xpath("//input[@name='future_ok']")
    assert db.session.scalar(select(Directive).where(Directive.number == "12/TB-UBND")) is None
    response = record(thu, db, issued_on=later.strftime("%d/%m/%Y"), future_ok="y")
    assert response.status_code == 302
    assert directive(db, "12/TB-UBND").issued_on == later


def test_a_drafts_tasks_count_nowhere_but_on_its_own_list(draft, db):
    d, thu = draft
    title = "Xây dựng kế hoạch chuyển đổi số năm 2025"
    assert title not in task_titles(thu.get("/tasks?view=all&per_page=200"))
    own = thu.get(f"/tasks?view=all&directive={d.id}")
    assert task_titles(own) == [title]
    assert [" ".join(td.text_content().split()) for td in doc(own).xpath("//td[@data-label='Status']")] == ["Draft"]
