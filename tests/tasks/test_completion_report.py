"""A completion report carries what the office wrote: the results (required), the report's number and date.

The issuer sees all of it when confirming or returning; an empty report is
refused with a clear message, on the page and in the API (422).
"""
from __future__ import annotations

from datetime import date

import time_machine

from tests.tasks.test_workflow import published  # noqa: F401 - the fixture
from tests.tasks.pages import at, flashes, main_text

DAY = date(2025, 3, 20)


def post(client, url, data=None):
    return client.post(url, data=data or {}, follow_redirects=True)


def test_an_empty_completion_report_is_refused_with_a_clear_message(published, login_as, db):  # noqa: F811
    task = published
    with time_machine.travel(at(DAY), tick=False):
        response = post(login_as("hai.nv"), f"/tasks/{task.id}/complete", {"note": "  "})
    assert "Describe the results achieved: the issuer decides on them." in " ".join(flashes(response))
    assert task.state == "open" and task.completion_reports == []


def test_the_issuer_sees_the_results_number_and_date_when_deciding(published, login_as, db):  # noqa: F811
    task = published
    with time_machine.travel(at(DAY), tick=False):
        response = post(login_as("hai.nv"), f"/tasks/{task.id}/complete", {
            "note": "Đã chuyển đổi IPv6 cho 25 cơ quan.", "report_number": "702/BC-STTTT",
            "report_date": "2025-03-19"})
        assert "The completion report has been sent to the issuer." in flashes(response)
        page = main_text(login_as("nga.tt").get(f"/tasks/{task.id}"))
    report = task.pending_report
    assert (report.note, report.report_number, report.report_date) == (
        "Đã chuyển đổi IPv6 cho 25 cơ quan.", "702/BC-STTTT", date(2025, 3, 19))
    assert "Đã chuyển đổi IPv6 cho 25 cơ quan." in page
    assert "Report number 702/BC-STTTT" in page and "Report date 19/03/2025" in page
    assert "Reported by Nguyễn Văn Hải" in page


def test_a_report_dated_in_the_future_or_malformed_is_refused(published, login_as, db):  # noqa: F811
    task = published
    with time_machine.travel(at(DAY), tick=False):
        hai = login_as("hai.nv")
        response = post(hai, f"/tasks/{task.id}/complete", {"note": "Xong.", "report_date": "2025-03-21"})
        assert "The report's date cannot be in the future." in " ".join(flashes(response))
        response = post(hai, f"/tasks/{task.id}/complete", {"note": "Xong.", "report_date": "32/13/2025"})
        assert any("Report date" in f for f in flashes(response))
    assert task.state == "open"


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def test_the_signed_report_and_the_request_letter_are_attached(published, login_as, db):  # noqa: F811
    import io

    task = published
    with time_machine.travel(at(date(2025, 3, 18)), tick=False):
        hai = login_as("hai.nv")
        response = hai.post(f"/tasks/{task.id}/extensions", data={
            "deadline": "2025-04-30", "reason": "Chờ kinh phí.",
            "attachments": [(io.BytesIO(PDF), "cong-van-de-nghi-gia-han.pdf")]}, follow_redirects=True)
        assert "Your extension request has been sent to the issuer." in flashes(response)
        (letter,) = task.pending_extension.attachments
        nga = login_as("nga.tt")
        page = nga.get(f"/tasks/{task.id}").get_data(as_text=True)
        assert "cong-van-de-nghi-gia-han.pdf" in page and f"/attachments/{letter.id}" in page
        post(nga, f"/tasks/{task.id}/extensions/{task.pending_extension.id}/decide", {"reject": "1", "note": "Không."})
    with time_machine.travel(at(DAY), tick=False):
        hai, nga = login_as("hai.nv"), login_as("nga.tt")
        response = hai.post(f"/tasks/{task.id}/complete", data={
            "note": "Đã hoàn thành.", "report_number": "702/BC-STTTT",
            "attachments": [(io.BytesIO(PDF), "bao-cao-702.pdf")]}, follow_redirects=True)
        assert "The completion report has been sent to the issuer." in flashes(response)
        (signed,) = task.pending_report.attachments
        page = nga.get(f"/tasks/{task.id}").get_data(as_text=True)
        assert "bao-cao-702.pdf" in page and f"/attachments/{signed.id}" in page
        download = nga.get(f"/attachments/{signed.id}")
        assert download.status_code == 200 and download.data == PDF
        assert login_as("khoa.dm").get(f"/attachments/{signed.id}").status_code == 404  # outside the reach
        # A file that is not what it claims saves nothing.
        response = hai.post(f"/tasks/{task.id}/complete", data={
            "note": "x", "attachments": [(io.BytesIO(b"MZ\x90\x00"), "bao-cao.pdf")]}, follow_redirects=True)
    assert len(task.completion_reports) == 1
