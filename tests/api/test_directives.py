"""/directives as each role: list and detail within reach, record, add tasks, publish."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.api.conftest import error_of
from tracker.database import db
from tracker.models import AuditEvent, Directive, Notification, Task
from tracker.timeutil import today

NEW = {"number": "130/TB-UBND", "kind": "conclusion", "title": "Kết luận về chuyển đổi số",
       "issued_on": None, "issuing_unit": "UBND", "signer": "Trần Thị Nga, Phó Chủ tịch UBND tỉnh",
       "text": "Giao Sở Thông tin và Truyền thông chủ trì ..."}


def _new(**changes) -> dict:
    return {**NEW, "issued_on": today().isoformat(), **changes}


@pytest.mark.parametrize("username, sees", [("admin", True), ("nga.tt", True), ("thu.lt", True), ("hai.nv", True),
                                            ("lan.nt", True), ("binh.lv", True), ("khoa.dm", False)])
def test_the_demo_directive_by_role(api, username, sees):
    listed = api.get(username, "/directives").get_json()
    assert set(listed) == {"items", "total", "page", "per_page"}
    assert [d["number"] for d in listed["items"]] == (["125/TB-UBND"] if sees else [])
    response = api.get(username, "/directives/1")
    assert response.status_code == (200 if sees else 404)
    if not sees:
        assert error_of(response)["code"] == "not_found" and "125/TB-UBND" not in response.get_data(as_text=True)
        return
    body = response.get_json()
    assert {"number", "kind", "title", "issued_on", "issuing_unit", "signer", "text", "tasks"} <= set(body)
    assert (body["number"], body["kind"], body["issuing_unit"]) == ("125/TB-UBND", "conclusion", "UBND")
    listed_tasks = {t["id"] for t in api.get(username, "/tasks?directive=1&per_page=200").get_json()["items"]}
    assert {t["id"] for t in body["tasks"]} == listed_tasks  # only the tasks the caller may see


def test_directive_detail_reports_status_as_of(api):
    late = db.session.scalar(select(Task).where(Task.state == "done", Task.completed_on > Task.deadline))
    day = (late.done_on - timedelta(days=1)).isoformat()
    tasks = {t["id"]: t for t in api.get("nga.tt", f"/directives/1?as_of={day}").get_json()["tasks"]}
    assert tasks[late.id]["status"] == "overdue"
    assert api.get("nga.tt", "/directives/1?as_of=2020-02-30").status_code == 422


def test_list_filters(api):
    assert api.get("nga.tt", "/directives?q=125").get_json()["total"] == 1
    assert api.get("nga.tt", "/directives?q=chuyen doi so").get_json()["total"] == 0
    assert api.get("nga.tt", "/directives?kind=decision").get_json()["total"] == 0
    assert api.get("nga.tt", f"/directives?year={today().year - 5}").get_json()["total"] == 0
    assert api.get("nga.tt", "/directives?kind=poem").status_code == 422


def test_record_add_tasks_and_publish(api):
    response = api.post("thu.lt", "/directives", _new(on_behalf_of="nga.tt"))
    assert response.status_code == 201, response.get_json()
    directive = response.get_json()
    assert response.headers["Location"].endswith(f"/api/v1/directives/{directive['id']}")
    assert directive["published"] is False and directive["tasks"] == []
    assert directive["issuing_unit"] == "UBND" and directive["number"] == "130/TB-UBND"
    row = db.session.get(Directive, directive["id"])
    assert row.created_by.username == "thu.lt" and row.on_behalf_of.username == "nga.tt"
    # a draft is seen by the issuing side only
    assert api.get("hai.nv", f"/directives/{directive['id']}").status_code == 404

    deadline = (today() + timedelta(days=30)).isoformat()
    task = api.post("thu.lt", f"/directives/{directive['id']}/tasks", {
        "title": "Xây dựng kế hoạch chuyển đổi số 2026", "lead_unit": "SKHCN", "cooperating_units": ["SNV", "STC"],
        "assignee": "hai.nv", "deadline": deadline, "priority": "high"})
    assert task.status_code == 201, task.get_json()
    body = task.get_json()
    assert task.headers["Location"].endswith(f"/api/v1/tasks/{body['id']}")
    assert (body["lead_unit"], body["cooperating_units"], body["assignee"], body["deadline"], body["priority"]) == (
        "SKHCN", ["SNV", "STC"], "hai.nv", deadline, "high")
    assert (body["state"], body["status"], body["version"], body["directive"]) == (
        "open", "in_progress", 1, directive["id"])
    ongoing = api.post("thu.lt", f"/directives/{directive['id']}/tasks",
                       {"title": "Theo dõi thường xuyên", "lead_unit": "SNV", "deadline": None})
    assert ongoing.status_code == 201 and ongoing.get_json()["ongoing"] is True
    assert api.get("hai.nv", f"/tasks/{body['id']}").status_code == 404  # still a draft

    assert api.post("hai.nv", f"/directives/{directive['id']}/publish", {}).status_code == 404
    published = api.post("thu.lt", f"/directives/{directive['id']}/publish")
    assert published.status_code == 200
    assert published.get_json()["published"] is True and len(published.get_json()["tasks"]) == 2
    assert api.post("thu.lt", f"/directives/{directive['id']}/publish").status_code == 409
    assert api.get("hai.nv", f"/tasks/{body['id']}").status_code == 200
    assert db.session.scalar(select(Notification).where(Notification.task_id == body["id"],
                                                        Notification.kind == "assigned")).user.username == "hai.nv"
    actions = set(db.session.scalars(select(AuditEvent.action).where(AuditEvent.actor_id.is_not(None))))
    assert {"directive.create", "task.create", "directive.publish"} <= actions

    # the lead unit's leader splits their task into a sub-task for a division
    sub = api.post("hai.nv", f"/directives/{directive['id']}/tasks", {
        "title": "Khảo sát hiện trạng", "lead_unit": "STTTT-CNTT", "deadline": deadline, "parent": body["id"]})
    assert sub.status_code == 201, sub.get_json()
    assert sub.get_json()["parent"] == body["id"]
    too_late = api.post("hai.nv", f"/directives/{directive['id']}/tasks", {
        "title": "Quá hạn cha", "lead_unit": "STTTT-CNTT", "parent": body["id"],
        "deadline": (today() + timedelta(days=60)).isoformat()})
    assert too_late.status_code == 422 and "deadline" in error_of(too_late)["fields"]
    # but cannot add top-level tasks to the province's directive
    assert api.post("hai.nv", f"/directives/{directive['id']}/tasks", {
        "title": "X", "lead_unit": "SKHCN", "deadline": None}).status_code == 403


def test_who_may_record(api):
    assert api.post("lan.nt", "/directives", _new(issuing_unit="STTTT-CNTT")).status_code == 403
    assert api.post("hai.nv", "/directives", _new()).status_code == 403  # not their unit
    response = api.post("hai.nv", "/directives", _new(issuing_unit="SKHCN", number="12/KH-STTTT", kind="plan"))
    assert response.status_code == 201
    row = db.session.get(Directive, response.get_json()["id"])
    assert row.on_behalf_of.username == "hai.nv"  # a leader issues in their own name
    default_unit = api.post("hoa.nt", "/directives", _new(number="13/KH-STTTT", issuing_unit=None))
    assert default_unit.status_code == 422  # null is not a unit
    mine = {k: v for k, v in _new(number="13/KH-STTTT").items() if k != "issuing_unit"}
    response = api.post("hoa.nt", "/directives", mine)
    assert response.status_code == 201 and response.get_json()["issuing_unit"] == "SKHCN"


def test_bad_directives_are_422_and_change_nothing(api):
    api.token("thu.lt")
    count = db.session.scalar(select(func.count()).select_from(Directive))
    cases = [
        (_new(issued_on="2020-02-30"), "issued_on"),
        (_new(kind="poem"), "kind"),
        (_new(issuing_unit="NOPE"), "issuing_unit"),
        (_new(number=""), "number"),
        (_new(number=125), "number"),
        (_new(number="125/TB-UBND", issued_on=db.session.get(Directive, 1).issued_on.isoformat()), "number"),
        ({k: v for k, v in _new().items() if k != "title"}, "title"),
        (_new(on_behalf_of="lan.nt"), "on_behalf_of"),
        (_new(published=True), "published"),
    ]
    for body, field in cases:
        response = api.post("thu.lt", "/directives", body)
        assert response.status_code == 422, (body, response.get_json())
        assert field in error_of(response)["fields"], body
    assert db.session.scalar(select(func.count()).select_from(Directive)) == count


def test_bad_tasks_are_422_and_change_nothing(api):
    api.token("thu.lt")
    count = db.session.scalar(select(func.count()).select_from(Task))
    ok = {"title": "Nhiệm vụ mới", "lead_unit": "SKHCN", "deadline": (today() + timedelta(days=9)).isoformat()}
    cases = [
        ({**ok, "deadline": "2020-02-30"}, "deadline"),
        ({k: v for k, v in ok.items() if k != "deadline"}, "deadline"),
        ({**ok, "lead_unit": "NOPE"}, "lead_unit"),
        ({**ok, "cooperating_units": ["NOPE"]}, "cooperating_units"),
        ({**ok, "cooperating_units": ["SKHCN"]}, "cooperating_units"),
        ({**ok, "assignee": "binh.lv"}, "assignee"),
        ({**ok, "priority": "asap"}, "priority"),
        ({**ok, "parent": 99999}, "parent"),
        ({**ok, "tags": ["x" * 101]}, "tags"),
        ({**ok, "progress": 10}, "progress"),
    ]
    for body, field in cases:
        response = api.post("thu.lt", "/directives/1/tasks", body)
        assert response.status_code == 422, (body, response.get_json())
        assert field in error_of(response)["fields"], body
    assert db.session.scalar(select(func.count()).select_from(Task)) == count
    assert api.post("thu.lt", "/directives/999/tasks", ok).status_code == 404
