"""Two people editing one task, and the audit trail every change leaves."""
from __future__ import annotations

from datetime import date, datetime, timezone

import time_machine
from sqlalchemy import select

from tests.tasks.pages import at, doc, events, flashes, form_values, main_text, task_like, unit, user
from tracker.models import AuditEvent, Task


def edit_form(client, task):
    page = client.get(f"/tasks/{task.id}/edit")
    assert page.status_code == 200
    return form_values(page, f"/tasks/{task.id}/edit")


def test_second_save_of_the_same_version_is_refused(login_as, db):
    task = task_like(db, "đô thị thông minh")
    version = task.version
    with time_machine.travel(datetime(2025, 6, 2, 2, 0, tzinfo=timezone.utc), tick=False) as clock:
        nga, thu = login_as("nga.tt"), login_as("thu.lt")
        mine, theirs = edit_form(nga, task), edit_form(thu, task)
        assert mine["version"] == theirs["version"] == [str(version)]
        mine["title"] = ["Triển khai các giải pháp đô thị thông minh (giai đoạn 1)"]
        mine["priority"] = ["urgent"]
        clock.move_to(datetime(2025, 6, 2, 3, 15, tzinfo=timezone.utc))
        response = nga.post(f"/tasks/{task.id}/edit", data=mine, follow_redirects=True)
        assert "The task has been saved." in flashes(response)
        clock.move_to(datetime(2025, 6, 2, 3, 20, tzinfo=timezone.utc))
        _second_save(db, task, version, thu, theirs)


def _second_save(db, task, version, thu, theirs):
    theirs["title"] = ["Triển khai các giải pháp chính quyền điện tử"]
    theirs["description"] = ["Ghi đè"]
    response = thu.post(f"/tasks/{task.id}/edit", data=theirs)
    assert response.status_code == 409
    message = " ".join(flashes(response))
    assert "This task was changed by Trần Thị Nga at 02/06/2025 10:15." in message  # local time
    assert "Reload the page to see the change, then make yours again." in message
    assert "Your changes were not saved." in main_text(response)
    assert doc(response).xpath("//a[text()='Reload the task']/@href") == [f"/tasks/{task.id}/edit"]
    db.session.expire_all()
    task = db.session.get(Task, task.id)
    assert (task.title, task.priority, task.description, task.version) == (
        "Triển khai các giải pháp đô thị thông minh (giai đoạn 1)", "urgent", "", version + 1)
    assert [e.actor.username for e in events(db, task) if e.action == "task.update"] == ["nga.tt"]
    # Reloading gives the new version, and then the save goes through.
    again = edit_form(thu, task)
    assert again["version"] == [str(version + 1)] and again["title"] == [task.title]
    again["description"] = ["Bổ sung mô tả"]
    assert "The task has been saved." in flashes(thu.post(f"/tasks/{task.id}/edit", data=again,
                                                          follow_redirects=True))
    assert task.description == "Bổ sung mô tả" and task.title.endswith("(giai đoạn 1)")


def test_stale_assignment_is_refused_too(login_as, db):
    task = task_like(db, "ứng dụng IPv6")
    hai, minh = login_as("hai.nv"), login_as("minh.pq")
    stale = form_values(hai.get(f"/tasks/{task.id}"), f"/tasks/{task.id}/assign")
    fresh = form_values(minh.get(f"/tasks/{task.id}"), f"/tasks/{task.id}/assign")
    fresh["assignee_id"] = [str(user(db, "quang.dv").id)]
    assert "The assignee has been saved." in flashes(minh.post(f"/tasks/{task.id}/assign", data=fresh,
                                                               follow_redirects=True))
    stale["assignee_id"] = [str(user(db, "lan.nt").id)]
    response = hai.post(f"/tasks/{task.id}/assign", data=stale, follow_redirects=True)
    assert any("This task was changed by Phạm Quang Minh at" in f for f in flashes(response))
    assert task.assignee.username == "quang.dv"


def test_every_change_is_in_the_audit_trail(login_as, db):
    """Create, edit, assign, progress, submit, return, confirm, extend: who, when, from where."""
    moments = {}
    ip = {"REMOTE_ADDR": "10.20.30.40"}

    def step(name, when, username, method, url, data=None):
        with time_machine.travel(when, tick=False):
            client = login_as(username)
            response = client.post(url, data=data or {}, environ_base=ip, follow_redirects=True)
            assert response.status_code == 200, (name, response.status_code)
            refused = ("Please correct", "Only", "This task", "You do")
            assert not any(f.startswith(refused) for f in flashes(response)), (
                name, flashes(response))
        moments[name] = when

    d = task_like(db, "ứng dụng IPv6").directive
    d.issued_on = date(2025, 3, 1)  # the demo directive, moved back to the days of this story
    db.session.commit()
    step("create", at(date(2025, 3, 3), 8), "thu.lt", "POST", f"/directives/{d.id}/tasks/new", {
        "title": "Số hóa hồ sơ lưu trữ", "lead_unit_id": unit(db, "SKHCN").id, "deadline": "2025-04-30",
        "priority": "normal", "assignee_id": 0, "cooperating_unit_ids": [unit(db, "SNV").id]})
    task = task_like(db, "Số hóa hồ sơ lưu trữ")
    with time_machine.travel(at(date(2025, 3, 3), 9), tick=False):
        form = edit_form(login_as("thu.lt"), task)
    form.update({"title": ["Số hóa hồ sơ lưu trữ của tỉnh"], "deadline": ["2025-05-15"]})
    step("edit", at(date(2025, 3, 3), 9), "thu.lt", "POST", f"/tasks/{task.id}/edit", form)
    (change,) = task.deadline_changes  # an edit of a published task's deadline is kept in its history
    assert (change.old_deadline, change.new_deadline, change.reason, task.original_deadline) == (
        date(2025, 4, 30), date(2025, 5, 15), "Edited by the issuer", date(2025, 4, 30))
    step("assign", at(date(2025, 3, 4)), "hai.nv", "POST", f"/tasks/{task.id}/assign",
         {"assignee_id": user(db, "lan.nt").id})
    step("progress", at(date(2025, 3, 10)), "lan.nt", "POST", f"/tasks/{task.id}/updates",
         {"progress": 30, "results": "Đã số hóa 30% hồ sơ."})
    step("extend", at(date(2025, 3, 12)), "hai.nv", "POST", f"/tasks/{task.id}/extensions",
         {"deadline": "2025-06-30", "reason": "Khối lượng hồ sơ lớn."})
    ext = task.pending_extension
    step("approve", at(date(2025, 3, 13)), "nga.tt", "POST", f"/tasks/{task.id}/extensions/{ext.id}/decide",
         {"approve": "1"})
    step("submit", at(date(2025, 3, 20)), "lan.nt", "POST", f"/tasks/{task.id}/complete", {"note": "Xong."})
    step("return", at(date(2025, 3, 21)), "nga.tt", "POST", f"/tasks/{task.id}/return", {"reason": "Thiếu."})
    step("submit again", at(date(2025, 3, 25)), "lan.nt", "POST", f"/tasks/{task.id}/complete", {"note": "Đủ."})
    step("confirm", at(date(2025, 3, 26)), "nga.tt", "POST", f"/tasks/{task.id}/confirm", {})
    # A confirmed task is not cancelled any more: the page offers no "Cancel", the action is refused.
    with time_machine.travel(at(date(2025, 3, 27)), tick=False):
        nga = login_as("nga.tt")
        assert not doc(nga.get(f"/tasks/{task.id}")).xpath("//details[@id='cancel']")
        refused = nga.post(f"/tasks/{task.id}/cancel", data={"reason": "Gộp nhiệm vụ."}, follow_redirects=True)
        assert "A task whose completion was confirmed cannot be cancelled." in flashes(refused)

    trail = [(e.action, e.actor.username, e.at, e.ip) for e in events(db, task)]
    assert trail == [
        ("task.create", "thu.lt", moments["create"], "10.20.30.40"),
        ("task.update", "thu.lt", moments["edit"], "10.20.30.40"),
        ("task.assign", "hai.nv", moments["assign"], "10.20.30.40"),
        ("task.progress", "lan.nt", moments["progress"], "10.20.30.40"),
        ("task.extension_request", "hai.nv", moments["extend"], "10.20.30.40"),
        ("task.extension_approved", "nga.tt", moments["approve"], "10.20.30.40"),
        ("task.submit", "lan.nt", moments["submit"], "10.20.30.40"),
        ("task.return", "nga.tt", moments["return"], "10.20.30.40"),
        ("task.submit", "lan.nt", moments["submit again"], "10.20.30.40"),
        ("task.confirm", "nga.tt", moments["confirm"], "10.20.30.40"),
    ]
    changes = {e.action: e.changes for e in events(db, task)}
    assert changes["task.update"]["title"] == ["Số hóa hồ sơ lưu trữ", "Số hóa hồ sơ lưu trữ của tỉnh"]
    assert changes["task.update"]["deadline"] == ["2025-04-30", "2025-05-15"]
    assert changes["task.assign"] == {"assignee": [None, "lan.nt"]}
    assert changes["task.return"]["reason"] == "Thiếu."
    assert changes["task.extension_approved"]["deadline"] == ["2025-05-15", "2025-06-30"]

    # The task page's history, newest first, in local time, in people's words: names, not codes, usernames
    # or addresses (those are for the admin's audit page).
    with time_machine.travel(at(date(2025, 3, 27), 10), tick=False):
        page = login_as("lan.nt").get(f"/tasks/{task.id}")
    history = [" ".join(li.text_content().split()) for li in doc(page).xpath("//section[@id='history']//li")]
    assert len(history) == 10
    assert history[0].startswith("26/03/2025 09:00 · Trần Thị Nga · Confirmed completion")
    assert "Completed on: 25/03/2025" in history[0]
    assert "Reason: Thiếu." in history[2]
    assert not any("10.20.30.40" in h or "lan.nt" in h or "STTTT" in h for h in history)
    assert history[-1].startswith("03/03/2025 08:00 · Lê Thị Thu · Created the task")
    assert f"Lead unit: {unit(db, 'STTTT').name}" in history[-1]
    assert f"Assignee: — → {user(db, 'lan.nt').full_name}" in history[-3]
    assert "Progress: 30%" in history[-4] and "Contribution: No" in history[-4]
    # The admin's audit view lists the same events.
    with time_machine.travel(at(date(2025, 3, 27), 10), tick=False):
        admin = login_as("admin")
        audit = admin.get(f"/admin/audit?object_type=task&object_id={task.id}&per_page=100")
        assert audit.status_code == 200
        actions = doc(audit).xpath("//td[@data-label='Action']/code/text()")
        assert actions == [a for a, *_ in reversed(trail)]
        users = [" ".join(td.text_content().split()) for td in doc(audit).xpath("//td[@data-label='User']")]
        assert users[0] == "Trần Thị Nga nga.tt" and users[-1] == "Lê Thị Thu thu.lt"
        assert set(" ".join(td.text_content().split()) for td in doc(audit).xpath("//td[@data-label='From']")) == {
            "10.20.30.40"}
        only_lan = admin.get(f"/admin/audit?actor=lan.nt&action=task.&object_type=task&object_id={task.id}")
        actions = doc(only_lan).xpath("//td[@data-label='Action']/code/text()")
        assert actions == ["task.submit", "task.submit", "task.progress"]
        # Other users may not read the log.
        assert login_as("nga.tt").get("/admin/audit").status_code == 403
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "task.create",
                                                      AuditEvent.object_id == task.id)).summary == \
        "Số hóa hồ sơ lưu trữ"
