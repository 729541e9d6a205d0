"""The task workflow through the pages, as the province's users work it.

From a conclusion notice recorded by the committee's secretary to the
Vice-Chair's confirmation, then every refused transition: each one says
why on the page and leaves the database as it was.
"""
from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from sqlalchemy import func, select

from tests.tasks.pages import (
    at,
    batch_rows,
    directive,
    doc,
    errors_of,
    events,
    flashes,
    form_values,
    main_text,
    notifications,
    task_like,
    task_rows,
    task_titles,
    unit,
    user,
)
from tracker.models import CompletionReport, DeadlineChange, ExtensionRequest, ProgressUpdate, Task

ISSUED = date(2025, 3, 3)  # a Monday
DEADLINE = date(2025, 3, 31)


def record_directive(client, db, number="45/TB-UBND", **changes):
    data = {"number": number, "kind": "conclusion", "issued_on": ISSUED.isoformat(),
            "issuing_unit_id": unit(db, "UBND").id, "on_behalf_of_id": user(db, "nga.tt").id,
            "signer": "Trần Thị Nga, Phó Chủ tịch UBND tỉnh",
            "title": "Kết luận của Phó Chủ tịch UBND tỉnh tại buổi làm việc với Sở Thông tin và Truyền thông",
            "text": "1. Sở Thông tin và Truyền thông triển khai kế hoạch ứng dụng IPv6..."}
    data.update(changes)
    return client.post("/directives/new", data=data)


def task_form(db, title, lead="SKHCN", deadline=DEADLINE, coop=(), assignee=None, **changes):
    data = {"title": title, "description": "", "lead_unit_id": unit(db, lead).id,
            "cooperating_unit_ids": [unit(db, c).id for c in coop],
            "assignee_id": user(db, assignee).id if assignee else 0,
            "deadline": deadline.isoformat() if deadline else "", "priority": "normal", "tags": ""}
    if deadline is None:
        data["ongoing"] = "y"
    data.update(changes)
    return data


@pytest.fixture
def published(login_as, db):
    """A conclusion of 3 March 2025 with two tasks for the department, published (returns the IPv6 task)."""
    with time_machine.travel(at(ISSUED), tick=False):
        thu = login_as("thu.lt")
        assert record_directive(thu, db).status_code == 302
        d = directive(db, "45/TB-UBND")
        assert thu.post(f"/directives/{d.id}/tasks/new", data=task_form(
            db, "Triển khai kế hoạch ứng dụng IPv6 cho các cơ quan nhà nước", coop=["DPTTH"])).status_code == 302
        assert thu.post(f"/directives/{d.id}/tasks/new", data=task_form(
            db, "Tổ chức hội nghị chuyển đổi số", deadline=date(2025, 4, 15))).status_code == 302
        assert thu.post(f"/directives/{d.id}/publish").status_code == 302
    return task_like(db, "IPv6 cho các cơ quan")


def post(client, url, data=None, **kwargs):
    """Post a form and return the page the user lands on (redirects followed)."""
    return client.post(url, data=data or {}, follow_redirects=True, **kwargs)


# --- the whole flow --------------------------------------------------------------------------

def test_from_directive_to_confirmed_completion(login_as, db):
    # The committee's secretary records the conclusion on behalf of the Vice-Chair.
    with time_machine.travel(at(ISSUED), tick=False):
        thu = login_as("thu.lt")
        assert thu.get("/directives/new").status_code == 200
        response = record_directive(thu, db)
        assert response.status_code == 302
        d = directive(db, "45/TB-UBND")
        assert (d.created_by.username, d.on_behalf_of.username, d.published_at) == ("thu.lt", "nga.tt", None)
        page = thu.get(response.headers["Location"])
        assert "Document 45/TB-UBND has been recorded. Now add its tasks." in flashes(page)
        assert "Draft: only your unit sees this document until it is published." in main_text(page)

        # Its tasks: one with every detail, two more in one go.
        response = thu.post(f"/directives/{d.id}/tasks/new", data=task_form(
            db, "Triển khai kế hoạch ứng dụng IPv6 cho các cơ quan nhà nước", coop=["DPTTH"], tags="chuyển đổi số"))
        assert response.status_code == 302
        rows = [{"title": "Hoàn thiện đề án phát thanh – truyền hình", "lead_unit_id": unit(db, "DPTTH").id,
                 "deadline": "2025-04-30", "priority": "high"},
                {"title": "Theo dõi công tác tuyên truyền", "lead_unit_id": unit(db, "SKHCN").id, "ongoing": "y"}]
        response = thu.post(f"/directives/{d.id}/tasks", data=batch_rows(thu.get(f"/directives/{d.id}"), d.id, rows),
                            follow_redirects=True)
        assert "2 tasks have been added." in flashes(response)
        assert task_titles(response) == ["Triển khai kế hoạch ứng dụng IPv6 cho các cơ quan nhà nước",
                                         "Hoàn thiện đề án phát thanh – truyền hình", "Theo dõi công tác tuyên truyền"]
        response = post(thu, f"/directives/{d.id}/publish")
        assert "Document 45/TB-UBND has been published: its units can see their tasks." in flashes(response)
    task = task_like(db, "IPv6 cho các cơ quan")
    assert task.directive.published_at is not None
    assert {n.user.username for n in notifications(db, "hai.nv", "assigned")} == {"hai.nv"}

    # The director gives it to a staff member of the IT division, who is told in the app.
    with time_machine.travel(at(date(2025, 3, 4)), tick=False):
        hai = login_as("hai.nv")
        assert hai.get(f"/tasks/{task.id}").status_code == 200
        response = post(hai, f"/tasks/{task.id}/assign", {"assignee_id": user(db, "lan.nt").id,
                                                          "version": task.version})
        assert "The assignee has been saved." in flashes(response)
    assert task.assignee.username == "lan.nt"
    (note,) = [n for n in notifications(db, "lan.nt") if n.task_id == task.id]
    assert (note.kind, note.task_id, note.read_at) == ("assigned", task.id, None)

    # Progress in the provinces' form, newest first on the task page.
    for day, percent, results, difficulties, proposals, number in [
        (date(2025, 3, 10), 40, "Đã khảo sát hạ tầng mạng của 20 cơ quan.", "", "", ""),
        (date(2025, 3, 17), 60, "Đã chuyển đổi IPv6 cho Trung tâm dữ liệu tỉnh.",
         "Thiết bị mạng của 5 cơ quan chưa hỗ trợ IPv6.", "Đề nghị bổ sung kinh phí thay thiết bị.", "88/BC-STTTT"),
    ]:
        with time_machine.travel(at(day), tick=False):
            lan = login_as("lan.nt")
            response = post(lan, f"/tasks/{task.id}/updates", {
                "progress": percent, "results": results, "difficulties": difficulties, "proposals": proposals,
                "report_number": number})
            assert "Your progress report has been recorded." in flashes(response)
            page = main_text(lan.get(f"/tasks/{task.id}"))
    assert task.progress == 60 and task.needs_attention
    newest, older = page.index("Đã chuyển đổi IPv6 cho Trung tâm dữ liệu tỉnh."), page.index("Đã khảo sát hạ tầng")
    assert newest < older
    for shown in ["17/03/2025", "60%", "Thiết bị mạng của 5 cơ quan chưa hỗ trợ IPv6.",
                  "Đề nghị bổ sung kinh phí thay thiết bị.", "Report no. 88/BC-STTTT"]:
        assert shown in page

    # The cooperating radio-television station adds its contribution: the percent stays the lead's.
    with time_machine.travel(at(date(2025, 3, 18)), tick=False):
        son = login_as("son.hx")
        page = son.get(f"/tasks/{task.id}")
        assert "Contribution of your unit" in main_text(page)
        response = post(son, f"/tasks/{task.id}/updates", {
            "progress": 100, "results": "Đài đã chuyển đổi IPv6 cho hệ thống phát sóng trực tuyến."})
        assert "Your unit's report on its part has been recorded." in flashes(response)
        assert "Contribution" in main_text(son.get(f"/tasks/{task.id}"))
    (contribution,) = [u for u in task.updates if u.contribution]
    assert (contribution.unit.code, contribution.progress, task.progress) == ("DPTTH", 100, 60)

    # The director filters the tasks whose latest report raises a difficulty or a proposal.
    with time_machine.travel(at(date(2025, 3, 18)), tick=False):
        hai = login_as("hai.nv")
        d = task.directive_id
        assert task_titles(hai.get(f"/tasks?attention=1&directive={d}")) == [task.title]
        # (the station's own task is not in the department's reach)
        assert task_titles(hai.get(f"/tasks?directive={d}")) == [task.title, "Theo dõi công tác tuyên truyền"]
    # The Vice-Chair answers the proposal: the task no longer waits for a decision.
    with time_machine.travel(at(date(2025, 3, 19)), tick=False):
        nga = login_as("nga.tt")
        (proposal,) = [u for u in task.updates if u.proposals]
        response = post(nga, f"/tasks/{task.id}/updates/{proposal.id}/respond",
                        {"response": "Giao Sở Tài chính cân đối kinh phí."})
        assert "Your answer has been recorded." in flashes(response)
        assert "Giao Sở Tài chính cân đối kinh phí." in main_text(response)
        assert task_titles(nga.get(f"/tasks?attention=1&directive={d}")) == []
    assert not task.needs_attention
    assert notifications(db, "lan.nt", "response")

    # Completion reported before the deadline...
    with time_machine.travel(at(date(2025, 3, 28)), tick=False):
        lan = login_as("lan.nt")
        response = post(lan, f"/tasks/{task.id}/complete", {"note": "Đã hoàn thành chuyển đổi IPv6."})
        assert "The completion report has been sent to the issuer." in flashes(response)
        assert "Completion reported; waiting for the issuer to confirm it." in main_text(response)
        assert task.state == "submitted"
        # ... which neither the staff member nor the lead unit's director can confirm.
        for who in ("lan.nt", "hai.nv"):
            response = login_as(who).post(f"/tasks/{task.id}/confirm", data={"note": "ok"})
            assert response.status_code == 403
            assert "Only the issuer can confirm completion." in main_text(response)
        assert task.state == "submitted" and task.done_on is None

    # The Vice-Chair returns it (a reason is required), then confirms the new report.
    with time_machine.travel(at(date(2025, 3, 29)), tick=False):
        nga = login_as("nga.tt")
        page = nga.get(f"/tasks/{task.id}")
        assert "Completion reported on 28/03/2025" in main_text(page)
        response = post(nga, f"/tasks/{task.id}/return", {"reason": "  "})
        # The reason is asked for beside its box, in the form, which takes the focus.
        assert response.status_code == 422
        assert flashes(response) == ["Please correct the errors below."]
        assert errors_of(response, "return-reason") == ["Say why the report is returned."]
        (box,) = doc(response).xpath("//textarea[@id='return-reason']")
        assert box.get("aria-invalid") == "true" and box.get("autofocus") is not None
        assert task.state == "submitted"
        response = post(nga, f"/tasks/{task.id}/return", {"reason": "Còn 5 cơ quan chưa chuyển đổi."})
        assert "The report has been returned to the lead unit." in flashes(response)
    assert task.state == "open"
    assert [r.state for r in task.completion_reports] == ["returned"]
    assert notifications(db, "lan.nt", "returned")
    with time_machine.travel(at(date(2025, 3, 30)), tick=False):
        response = post(login_as("lan.nt"), f"/tasks/{task.id}/complete", {"note": "Đã xong 5 cơ quan còn lại."})
        assert "The completion report has been sent to the issuer." in flashes(response)
    with time_machine.travel(at(date(2025, 4, 2)), tick=False):  # confirmed after the deadline
        nga = login_as("nga.tt")
        response = post(nga, f"/tasks/{task.id}/confirm", {"note": "Ghi nhận."})
        assert "Completion has been confirmed." in flashes(response)
        page = main_text(response)
    assert (task.state, task.progress, task.completed_on, task.done_on) == ("done", 100, date(2025, 3, 30),
                                                                           date(2025, 4, 2))
    assert "Done on time" in page
    assert "Completed on 30/03/2025 (confirmed 02/04/2025)" in page
    assert [r.state for r in task.completion_reports] == ["confirmed", "returned"]
    assert notifications(db, "lan.nt", "confirmed")
    # The list agrees, today and as of the day between the deadline and the confirmation.
    with time_machine.travel(at(date(2025, 4, 2)), tick=False):
        hai = login_as("hai.nv")
        rows = dict(task_rows(hai.get("/tasks")))
        assert rows[task.title] == "Done on time"
        rows = dict(task_rows(hai.get("/tasks?as_of=2025-04-01")))
        assert rows[task.title] == "Overdue"
    assert [e.action for e in events(db, task)] == [
        "task.create", "task.assign", "task.progress", "task.progress", "task.progress", "task.respond", "task.submit",
        "task.return", "task.submit", "task.confirm"]


def test_completion_reported_late_is_done_late(published, login_as, db):
    task = published
    with time_machine.travel(at(DEADLINE + timedelta(days=1)), tick=False):
        post(login_as("hai.nv"), f"/tasks/{task.id}/complete", {"note": "Xong."})
        response = post(login_as("nga.tt"), f"/tasks/{task.id}/confirm")
        assert "Done late" in main_text(response)
    assert task.completed_on == DEADLINE + timedelta(days=1)


def test_secretary_confirms_only_where_allowed(published, login_as, db, app):
    task = published
    with time_machine.travel(at(date(2025, 3, 20)), tick=False):
        post(login_as("hai.nv"), f"/tasks/{task.id}/complete", {"note": "Xong."})
        thu = login_as("thu.lt")
        assert "Confirm completion" not in main_text(thu.get(f"/tasks/{task.id}"))
        assert thu.post(f"/tasks/{task.id}/confirm").status_code == 403
        assert task.state == "submitted"
        app.config["SECRETARIES_DECIDE"] = True
        assert "Confirm completion" in main_text(thu.get(f"/tasks/{task.id}"))
        assert "Completion has been confirmed." in flashes(post(thu, f"/tasks/{task.id}/confirm"))
    assert task.state == "done"


# --- extensions and cancelling -----------------------------------------------------------

def test_extension_approved_moves_the_deadline_and_keeps_the_original(published, login_as, db):
    task = published
    with time_machine.travel(at(date(2025, 3, 25)), tick=False):
        hai = login_as("hai.nv")
        response = post(hai, f"/tasks/{task.id}/extensions", {"deadline": "2025-04-30",
                                                              "reason": "Chờ kinh phí thay thiết bị."})
        assert "Your extension request has been sent to the issuer." in flashes(response)
        assert "Extension to 30/04/2025 waiting for a decision." in main_text(response)
        assert notifications(db, "nga.tt", "extension_requested")
    assert task.deadline == DEADLINE
    with time_machine.travel(at(date(2025, 4, 3)), tick=False):  # decided after the old deadline
        nga = login_as("nga.tt")
        assert "Extension requested to 30/04/2025" in main_text(nga.get(f"/tasks/{task.id}"))
        ext = task.pending_extension
        response = post(nga, f"/tasks/{task.id}/extensions/{ext.id}/decide", {"note": "Đồng ý.", "approve": "1"})
        assert "The extension has been approved." in flashes(response)
        page = main_text(response)
    assert (task.deadline, task.original_deadline) == (date(2025, 4, 30), DEADLINE)
    assert ext.state == "approved" and ext.decided_by.username == "nga.tt"
    (change,) = db.session.scalars(select(DeadlineChange).where(DeadlineChange.task_id == task.id)).all()
    assert (change.effective_on, change.old_deadline, change.new_deadline, change.extension_id) == (
        date(2025, 4, 3), DEADLINE, date(2025, 4, 30), ext.id)
    assert "30/04/2025 (was 31/03/2025)" in page
    assert "Original deadline: 31/03/2025" in page
    assert "Extended" in page and "In progress" in page
    assert notifications(db, "hai.nv", "extension_approved")
    # As of a day between the old deadline and the approval, it was overdue.
    with time_machine.travel(at(date(2025, 4, 3)), tick=False):
        page = main_text(login_as("nga.tt").get(f"/tasks/{task.id}?as_of=2025-04-02"))
        assert "Overdue" in page and "as of 02/04/2025" in page


def test_extension_rejected_leaves_the_deadline(published, login_as, db):
    task = published
    with time_machine.travel(at(date(2025, 3, 25)), tick=False):
        post(login_as("lan.nt"), f"/tasks/{task.id}/extensions", {"deadline": "2025-04-30", "reason": "Chậm."})
        assert task.pending_extension is None  # lan.nt is not of the lead unit yet
        hai = login_as("hai.nv")
        post(hai, f"/tasks/{task.id}/extensions", {"deadline": "2025-04-30", "reason": "Chờ kinh phí."})
        ext = task.pending_extension
        response = post(login_as("nga.tt"), f"/tasks/{task.id}/extensions/{ext.id}/decide",
                        {"note": "Không đồng ý.", "reject": "1"})
        assert "The extension has been rejected." in flashes(response)
    assert ext.state == "rejected" and task.deadline == DEADLINE and not task.extended
    assert db.session.scalar(select(func.count()).select_from(DeadlineChange)
                             .where(DeadlineChange.task_id == task.id)) == 0
    assert notifications(db, "hai.nv", "extension_rejected")
    # A rejected request can be followed by a new one.
    with time_machine.travel(at(date(2025, 3, 26)), tick=False):
        response = post(login_as("hai.nv"), f"/tasks/{task.id}/extensions", {"deadline": "2025-04-10",
                                                                             "reason": "Lần 2."})
        assert "Your extension request has been sent to the issuer." in flashes(response)


def test_cancel_with_a_reason(published, login_as, db):
    task = published
    with time_machine.travel(at(date(2025, 3, 20)), tick=False):
        nga = login_as("nga.tt")
        response = post(nga, f"/tasks/{task.id}/cancel", {"reason": ""})
        assert flashes(response) == ["Please correct the errors below."]
        assert errors_of(response, "cancel-reason") == ["Give the reason."]
        assert doc(response).xpath("//details[@id='cancel']/@open")  # the form stays open, in view
        response = post(nga, f"/tasks/{task.id}/cancel", {"reason": "  "})
        assert errors_of(response, "cancel-reason") == ["Say why the task is cancelled."]
        assert task.state == "open"
        response = post(nga, f"/tasks/{task.id}/cancel", {"reason": "Đã giao cho dự án khác."})
        assert "The task has been cancelled." in flashes(response)
        assert "Cancelled on 20/03/2025" in main_text(response)
    assert (task.state, task.cancelled_on) == ("cancelled", date(2025, 3, 20))
    (event,) = [e for e in events(db, task) if e.action == "task.cancel"]
    assert event.changes["reason"] == "Đã giao cho dự án khác."
    # Nothing more can happen to it.
    with time_machine.travel(at(date(2025, 3, 21)), tick=False):
        response = post(login_as("hai.nv"), f"/tasks/{task.id}/updates", {"progress": 10, "results": "x"})
        assert "This task is closed." in " ".join(flashes(response))
        assert response.status_code == 422


# --- refused transitions ---------------------------------------------------------------------

def snapshot(db, task: Task):
    db.session.expire_all()
    task = db.session.get(Task, task.id)
    return (task.state, task.progress, task.deadline, task.version, task.completed_on, task.done_on,
            db.session.scalar(select(func.count()).select_from(ProgressUpdate)
                              .where(ProgressUpdate.task_id == task.id)),
            db.session.scalar(select(func.count()).select_from(ExtensionRequest)
                              .where(ExtensionRequest.task_id == task.id)),
            db.session.scalar(select(func.count()).select_from(CompletionReport)
                              .where(CompletionReport.task_id == task.id)))


def test_refused_on_an_open_task(published, login_as, db):
    task = published
    with time_machine.travel(at(date(2025, 3, 20)), tick=False):
        nga, hai, lan = login_as("nga.tt"), login_as("hai.nv"), login_as("lan.nt")
        post(hai, f"/tasks/{task.id}/assign", {"assignee_id": user(db, "lan.nt").id})
        before = snapshot(db, task)
        refusals = [
            (nga, "confirm", {}, "Only a task whose completion was reported can be confirmed."),
            (nga, "return", {"reason": "x"}, "Only a task whose completion was reported can be returned."),
            (hai, "extensions", {"deadline": "2025-03-31", "reason": "x"},
             "The new deadline must be after the current one (31/03/2025)."),
            (hai, "extensions", {"deadline": "2025-03-15", "reason": "x"},
             "The new deadline must be after the current one (31/03/2025)."),
            (hai, "extensions", {"deadline": "", "reason": "x"}, "Enter a valid date."),
            (hai, "extensions", {"deadline": "2025-04-30", "reason": " "}, "Give the reason for the extension."),
        ]
        for client, action, data, message in refusals:
            response = post(client, f"/tasks/{task.id}/{action}", data)
            if action == "extensions":  # a form's errors: beside its fields, the form open
                assert response.status_code == 422
                assert flashes(response) == ["Please correct the errors below."]
                shown = errors_of(response, "deadline") + errors_of(response, "reason")
                assert message in shown, (data, shown)
                assert doc(response).xpath("//details[@id='extension']/@open")
            else:  # about the task's state: said at the top of its page
                assert response.status_code == 200
                assert any(message in f for f in flashes(response)), (action, data, flashes(response))
            assert snapshot(db, task) == before, (action, data)
        for percent in (150, -1, "abc"):
            response = lan.post(f"/tasks/{task.id}/updates", data={"progress": percent, "results": "Đã làm."})
            assert response.status_code == 422
            assert errors_of(response, "progress")[-1] == "Progress is a percentage from 0 to 100.", percent
            assert "Đã làm." in response.get_data(as_text=True)  # what was typed is kept
            assert snapshot(db, task) == before
        response = lan.post(f"/tasks/{task.id}/updates", data={"progress": "", "results": "Đã làm."})
        assert response.status_code == 422 and errors_of(response, "progress") == ["Enter the progress in percent."]
        assert flashes(response) == ["Please correct the errors below."]  # in the form, not above the page
        assert doc(response).xpath("//form[.//p[@id='progress-error']]//div[contains(@class, 'flash')]")
        (box,) = doc(response).xpath("//input[@id='progress']")
        assert box.get("aria-invalid") == "true" and box.get("autofocus") is not None
        response = lan.post(f"/tasks/{task.id}/updates", data={"progress": "50"})
        assert errors_of(response, "results") == ["Describe the results, difficulties or proposals."]
        assert doc(response).xpath("//textarea[@id='results']/@autofocus")
        assert snapshot(db, task) == before
        # A staff member confirming is refused outright.
        assert lan.post(f"/tasks/{task.id}/confirm").status_code == 403
        # An assignee from outside the lead unit.
        response = post(hai, f"/tasks/{task.id}/assign", {"assignee_id": user(db, "an.pt").id})
        assert "Please correct the errors below. The assignee must be an active member of the lead unit." in \
            flashes(response)
        assert snapshot(db, task) == before and task.assignee.username == "lan.nt"
        # A second pending extension.
        assert "Your extension request has been sent to the issuer." in flashes(post(
            hai, f"/tasks/{task.id}/extensions", {"deadline": "2025-04-15", "reason": "Chờ kinh phí."}))
        before = snapshot(db, task)
        response = post(hai, f"/tasks/{task.id}/extensions", {"deadline": "2025-04-20", "reason": "Thêm."})
        assert "An extension request is already waiting for a decision." in flashes(response)
        assert snapshot(db, task) == before
        # A decision taken twice.
        ext = task.pending_extension
        post(nga, f"/tasks/{task.id}/extensions/{ext.id}/decide", {"approve": "1"})
        before = snapshot(db, task)
        response = post(nga, f"/tasks/{task.id}/extensions/{ext.id}/decide", {"reject": "1"})
        assert "This request has already been decided." in flashes(response)
        assert snapshot(db, task) == before and task.deadline == date(2025, 4, 15)


def test_refused_on_a_done_task(published, login_as, db):
    task = published
    with time_machine.travel(at(date(2025, 3, 20)), tick=False):
        hai, nga = login_as("hai.nv"), login_as("nga.tt")
        post(hai, f"/tasks/{task.id}/complete", {"note": "Xong."})
        response = post(hai, f"/tasks/{task.id}/complete", {"note": "Xong."})
        assert "Only an open task can be reported complete (this one is: Completion reported)." in flashes(response)
        post(nga, f"/tasks/{task.id}/confirm")
        before = snapshot(db, task)
        for client, action, data, message in [
            (hai, "extensions", {"deadline": "2025-04-30", "reason": "x"}, "A closed task cannot be extended."),
            (hai, "complete", {}, "Only an open task can be reported complete (this one is: Done)."),
            (nga, "confirm", {}, "Only a task whose completion was reported can be confirmed."),
            (nga, "return", {"reason": "x"}, "Only a task whose completion was reported can be returned."),
            (hai, "assign", {"assignee_id": user(db, "lan.nt").id}, "This task is closed."),
        ]:
            response = post(client, f"/tasks/{task.id}/{action}", data)
            assert any(message in f for f in flashes(response)), (action, flashes(response))
            assert snapshot(db, task) == before, action
        response = post(hai, f"/tasks/{task.id}/updates", {"progress": 100, "results": "x"})
        assert response.status_code == 422 and "This task is closed." in " ".join(flashes(response))
        assert snapshot(db, task) == before
        # The page offers none of it.
        page = main_text(hai.get(f"/tasks/{task.id}"))
        assert "Ask for an extension" not in page and "Report completion" not in page
        assert "Progress report" not in page


def test_extending_an_ongoing_task_is_refused(published, login_as, db):
    with time_machine.travel(at(date(2025, 3, 20)), tick=False):
        thu = login_as("thu.lt")
        d = published.directive
        assert thu.post(f"/directives/{d.id}/tasks/new", data=task_form(
            db, "Theo dõi thường xuyên", deadline=None)).status_code == 302
        task = task_like(db, "Theo dõi thường xuyên")
        assert task.deadline is None
        hai = login_as("hai.nv")
        assert "Ask for an extension" not in main_text(hai.get(f"/tasks/{task.id}"))
        response = post(hai, f"/tasks/{task.id}/extensions", {"deadline": "2025-04-30", "reason": "x"})
        assert "An ongoing task has no deadline to extend." in flashes(response)
    assert task.extensions == []


# --- sub-tasks -------------------------------------------------------------------------------

def test_split_into_subtasks_that_roll_up(published, login_as, db):
    task = published
    with time_machine.travel(at(date(2025, 3, 5)), tick=False):
        hai = login_as("hai.nv")
        page = hai.get(f"/tasks/{task.id}/subtasks/new")
        assert page.status_code == 200
        assert form_values(page, f"/tasks/{task.id}/subtasks/new")["deadline"] == ["31/03/2025"]  # proposed, as offices write it
        response = hai.post(f"/tasks/{task.id}/subtasks/new", data=task_form(
            db, "Chuyển đổi IPv6 cho Trung tâm dữ liệu", lead="STTTT-CNTT", assignee="quang.dv",
            deadline=date(2025, 3, 25)))
        assert response.status_code == 302
        first = task_like(db, "Trung tâm dữ liệu")
        # A sub-task may not be due after its task.
        response = hai.post(f"/tasks/{task.id}/subtasks/new", data=task_form(
            db, "Chuyển đổi IPv6 cho cổng thông tin", lead="STTTT-CNTT", deadline=date(2025, 4, 5)))
        assert errors_of(response, "deadline") == ["A sub-task cannot be due after its task (31/03/2025)."]
        response = hai.post(f"/tasks/{task.id}/subtasks/new", data=task_form(
            db, "Chuyển đổi IPv6 cho cổng thông tin", lead="STTTT-BCXB"))
        assert response.status_code == 302
        second = task_like(db, "cổng thông tin")
    assert (first.parent_id, first.issuing_unit.code, first.lead_unit.code, first.assignee.username) == (
        task.id, "SKHCN", "STTTT-CNTT", "quang.dv")
    assert notifications(db, "quang.dv", "assigned")[-1].task_id == first.id
    # A staff member of the lead unit cannot split it further.
    with time_machine.travel(at(date(2025, 3, 6)), tick=False):
        lan = login_as("lan.nt")
        assert lan.get(f"/tasks/{first.id}/subtasks/new").status_code == 403
    with time_machine.travel(at(date(2025, 3, 10)), tick=False):
        response = post(login_as("quang.dv"), f"/tasks/{first.id}/updates", {"progress": 80, "results": "Đã xong 80%."})
        assert "Your progress report has been recorded." in flashes(response)
    assert (first.progress, second.progress, task.progress) == (80, 0, 40)
    with time_machine.travel(at(date(2025, 3, 11)), tick=False):
        quang, hai = login_as("quang.dv"), login_as("hai.nv")
        response = post(quang, f"/tasks/{first.id}/complete", {"note": "Đã chuyển đổi xong."})
        assert "The completion report has been sent to the issuer." in flashes(response)
        # The department, which issued the sub-task, confirms it.
        assert "Completion has been confirmed." in flashes(post(hai, f"/tasks/{first.id}/confirm"))
        assert first.state == "done"
        assert task.progress == 50  # (100 + 0) / 2
        post(hai, f"/tasks/{second.id}/cancel", {"reason": "Không cần nữa."})
        assert task.progress == 100  # cancelled sub-tasks leave the average
        page = main_text(hai.get(f"/tasks/{task.id}"))
    assert "Sub-tasks" in page and "Chuyển đổi IPv6 cho Trung tâm dữ liệu" in page
    assert task.state == "open"  # the parent still needs its own completion report
