"""Cooperating parts through the JSON API: objects in `cooperating_units`, `cooperating_parts`, `/cooperation`."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from tests.api.conftest import task_id
from tests.pages import t
from tracker.models import CooperatingPart, Notification, ProgressUpdate, Unit
from tracker.timeutil import today


def test_cooperating_units_take_a_duty_and_an_own_deadline_never_after_the_tasks(api, db):
    directive = api.post("thu.lt", "/directives", {
        "number": "131/TB-UBND", "kind": "conclusion", "title": "Kết luận về chuyển đổi số",
        "issued_on": today().isoformat(), "on_behalf_of": "nga.tt"}).get_json()
    deadline, own = today() + timedelta(days=30), today() + timedelta(days=20)
    later = api.post("thu.lt", f"/directives/{directive['id']}/tasks", {
        "title": "Xây dựng kế hoạch chuyển đổi số 2026", "lead_unit": "STTTT", "deadline": deadline.isoformat(),
        "cooperating_units": [{"unit": "SNV", "duty": "Thẩm định", "deadline": (deadline + timedelta(1)).isoformat()}]})
    assert later.status_code == 422
    assert later.get_json()["error"]["fields"]["cooperating_units"] == t(
        "The deadline of %(unit)s (%(date)s) cannot be after the task's (%(task_date)s).", unit="Sở Nội vụ",
        date=(deadline + timedelta(1)).strftime("%d/%m/%Y"), task_date=deadline.strftime("%d/%m/%Y"))

    created = api.post("thu.lt", f"/directives/{directive['id']}/tasks", {
        "title": "Xây dựng kế hoạch chuyển đổi số 2026", "lead_unit": "STTTT", "deadline": deadline.isoformat(),
        "cooperating_units": [{"unit": "SNV", "duty": "Thẩm định vị trí việc làm", "deadline": own.isoformat()},
                              "STC"]})
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert body["cooperating_units"] == ["SNV", "STC"]
    assert [(p["unit"], p["duty"], p["deadline"], p["status"], p["done_on"]) for p in body["cooperating_parts"]] == [
        ("SNV", "Thẩm định vị trí việc làm", own.isoformat(), "in_progress", None),
        ("STC", "", deadline.isoformat(), "in_progress", None)]

    # PATCH with codes alone keeps the parts' details; an object changes them.
    patched = api.patch("thu.lt", f"/tasks/{body['id']}", {"version": body["version"], "cooperating_units": [
        "SNV", {"unit": "STC", "duty": "Bố trí kinh phí"}]})
    assert patched.status_code == 200, patched.get_json()
    assert [(p["unit"], p["duty"], p["deadline"]) for p in patched.get_json()["cooperating_parts"]] == [
        ("SNV", "Thẩm định vị trí việc làm", own.isoformat()), ("STC", "Bố trí kinh phí", deadline.isoformat())]
    # Not a unit code nor a part: 422 naming the field.
    bad = api.patch("thu.lt", f"/tasks/{body['id']}", {"version": patched.get_json()["version"],
                                                      "cooperating_units": [{"duty": "?"}]})
    assert bad.status_code == 422 and "cooperating_units" in str(bad.get_json()["error"]["fields"])


def test_a_cooperating_unit_reports_on_its_part_and_marks_it_done(api, db):
    tid = task_id("Hoàn thiện đề án phát thanh")  # led by STTTT, with DPTTH and STC cooperating
    before = db.session.query(ProgressUpdate).count()
    empty = api.post("an.pt", f"/tasks/{tid}/cooperation", {"note": "  "})
    assert empty.status_code == 422 and set(empty.get_json()["error"]["fields"]) == {"note"}
    assert api.post("an.pt", f"/tasks/{tid}/cooperation", {"done": True}).status_code == 422  # note required

    response = api.post("an.pt", f"/tasks/{tid}/cooperation", {
        "note": "Sở Tài chính đã thẩm định dự toán kinh phí.", "done": True, "progress": 100})
    assert response.status_code == 201, response.get_json()
    part = response.get_json()
    assert (part["unit"], part["done_on"], part["progress"]) == ("STC", today().isoformat(), 100)
    assert part["status"] == "done_late"  # the task (and so the part) was due 8 days ago
    update = db.session.scalar(select(ProgressUpdate).order_by(ProgressUpdate.id.desc()))
    assert (update.contribution, update.unit.code, update.results) == (
        True, "STC", "Sở Tài chính đã thẩm định dự toán kinh phí.")
    assert db.session.query(ProgressUpdate).count() == before + 1

    task = api.get("hai.nv", f"/tasks/{tid}").get_json()
    parts = {p["unit"]: p for p in task["cooperating_parts"]}
    assert (parts["STC"]["status"], parts["STC"]["done_on"]) == ("done_late", today().isoformat())
    assert (parts["DPTTH"]["status"], parts["DPTTH"]["done_on"]) == ("overdue", None)
    assert task["progress"] != 100  # a part is not the task


def test_only_that_units_people_report_on_a_part(api, db):
    tid = task_id("Hoàn thiện đề án phát thanh")
    report = {"note": "Báo cáo"}
    assert api.post("hoa.nt", f"/tasks/{tid}/cooperation", report).status_code == 403  # the lead unit
    assert api.post("hai.nv", f"/tasks/{tid}/cooperation", report).status_code == 403
    assert api.post("nga.tt", f"/tasks/{tid}/cooperation", report).status_code == 403  # the issuer
    assert api.post("binh.lv", f"/tasks/{tid}/cooperation", report).status_code == 404  # not a party
    assert api.post(None, f"/tasks/{tid}/cooperation", report).status_code == 401
    assert api.post("son.hx", "/tasks/999999/cooperation", report).status_code == 404
    stc = db.session.scalar(select(Unit.id).where(Unit.code == "STC"))
    assert db.session.get(CooperatingPart, (tid, stc)).done_on is None
    assert api.post("son.hx", f"/tasks/{tid}/cooperation", report).status_code == 201


def test_a_cooperating_unit_added_later_is_told(api, db):
    tid = task_id("Triển khai các giải pháp Chính phủ điện tử")  # SKHDT cooperates
    task = api.get("thu.lt", f"/tasks/{tid}").get_json()
    response = api.patch("thu.lt", f"/tasks/{tid}", {"version": task["version"], "cooperating_units": [
        "SKHDT", {"unit": "SNV", "duty": "Rà soát thủ tục hành chính"}]})
    assert response.status_code == 200, response.get_json()
    told = db.session.scalars(select(Notification).where(Notification.task_id == tid,
                                                         Notification.kind == "cooperating")).all()
    assert [n.user.username for n in told if n.created_at.date() >= today() - timedelta(1)
            and n.user.unit.code == "SNV"] == ["binh.lv"]
    notes = api.get("binh.lv", "/notifications").get_json()["items"]
    assert notes[0]["kind"] == "cooperating" and notes[0]["task"] == tid
