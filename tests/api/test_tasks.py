"""/tasks as each role: the list and one task within reach only, paging, filters, as_of, edits and actions."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.api.conftest import error_of, task_id
from tracker.database import db
from tracker.models import AuditEvent, ExtensionRequest, Notification, ProgressUpdate, Task, User
from tracker.rules import reach
from tracker.rules.status import facts_of, status_on
from tracker.timeutil import today

USERS = ["admin", "nga.tt", "thu.lt", "hai.nv", "hoa.nt", "tuan.la", "lan.nt", "binh.lv", "son.hx", "khoa.dm"]
IPV6 = "Triển khai kế hoạch ứng dụng IPv6"


def _user(username: str) -> User:
    return db.session.scalar(select(User).where(User.username == username))


def _visible_ids(username: str) -> set[int]:
    user = _user(username)
    return {t.id for t in db.session.scalars(select(Task)) if reach.can_view_task(user, t)}


def _all_items(api, username: str, query: str = "", per_page: int = 200) -> list[dict]:
    items, page = [], 1
    while True:
        sep = "&" if query else ""
        response = api.get(username, f"/tasks?{query}{sep}page={page}&per_page={per_page}")
        assert response.status_code == 200, response.get_json()
        body = response.get_json()
        items += body["items"]
        if page * per_page >= body["total"]:
            return items
        page += 1


# --- reading ----------------------------------------------------------------------------------

@pytest.mark.parametrize("username", USERS)
def test_each_role_sees_exactly_the_tasks_in_reach(api, username):
    visible = _visible_ids(username)
    items = _all_items(api, username)
    assert {t["id"] for t in items} == visible
    for task in db.session.scalars(select(Task)):
        response = api.get(username, f"/tasks/{task.id}")
        if task.id in visible:
            assert response.status_code == 200
            assert response.get_json()["title"] == task.title
        else:
            assert response.status_code == 404, (username, task.id)
            assert error_of(response)["code"] == "not_found"
            assert task.title not in response.get_data(as_text=True)
        updates = api.get(username, f"/tasks/{task.id}/updates")
        assert updates.status_code == (200 if task.id in visible else 404)


def test_a_task_has_the_contract_fields(api):
    response = api.get("nga.tt", f"/tasks/{task_id(IPV6)}")
    body = response.get_json()
    assert {"id", "directive", "title", "description", "lead_unit", "cooperating_units", "assignee", "deadline",
            "original_deadline", "priority", "progress", "state", "status", "due_soon", "completed_on", "version",
            "parent"} <= set(body)
    assert body["lead_unit"] == "SKHCN" and body["assignee"] == "lan.nt" and body["directive"] == 1
    assert body["deadline"] == (today() + timedelta(days=5)).isoformat()
    assert body["status"] == "in_progress" and body["progress"] == 60 and body["parent"] is None
    assert response.headers["ETag"] == f'"{body["version"]}"'
    sub = db.session.scalar(select(Task).where(Task.parent_id.is_not(None)))
    body = api.get("nga.tt", f"/tasks/{sub.id}").get_json()
    assert body["parent"] == sub.parent_id and body["lead_unit"] == "STTTT-CNTT" and body["assignee"] == "quang.dv"
    extended = api.get("nga.tt", f"/tasks/{sub.parent_id}").get_json()
    assert extended["deadline"] != extended["original_deadline"] and extended["extended"] is True
    ongoing = api.get("nga.tt", "/tasks/1").get_json()
    assert ongoing["deadline"] is None and ongoing["ongoing"] is True and ongoing["cooperating_units"] == ["DPTTH"]


def test_paging_is_stable_and_complete(api):
    everything = _all_items(api, "nga.tt")
    assert len(everything) == db.session.scalar(select(func.count()).select_from(Task))
    for per_page in (1, 3, 4):
        paged = _all_items(api, "nga.tt", per_page=per_page)
        assert [t["id"] for t in paged] == [t["id"] for t in everything]
    first = api.get("nga.tt", "/tasks?page=2&per_page=3").get_json()
    assert set(first) == {"items", "total", "page", "per_page"}
    assert (first["page"], first["per_page"], len(first["items"])) == (2, 3, 3)
    assert first == api.get("nga.tt", "/tasks?page=2&per_page=3").get_json()
    beyond = api.get("nga.tt", "/tasks?page=99&per_page=3").get_json()
    assert beyond["items"] == [] and beyond["total"] == len(everything)
    assert api.get("nga.tt", "/tasks").get_json()["per_page"] == 50
    assert api.get("nga.tt", "/tasks?per_page=1000").get_json()["per_page"] == 200
    # deadline order, ongoing tasks last, then id
    deadlines = [t["deadline"] for t in everything]
    dated = [d for d in deadlines if d is not None]
    assert dated == sorted(dated) and deadlines[len(dated):] == [None] * (len(deadlines) - len(dated))


BAD_QUERIES = ["page=0", "page=abc", "per_page=0", "per_page=-5", "page=", "status=late", "unit=NOPE",
               "lead_unit=NOPE", "assignee=nobody", "directive=x", "due_before=2020-02-30", "due_after=tomorrow",
               "as_of=2020-13-01", "as_of=0001-01-01", "q=%00"]


def test_bad_list_parameters_are_422_naming_them(api):
    for query in BAD_QUERIES:
        response = api.get("nga.tt", f"/tasks?{query}")
        assert response.status_code == 422, query
        error = error_of(response)
        assert error["code"] == "invalid" and query.split("=")[0] in error["fields"], query


def test_filters(api):
    def ids(query, username="nga.tt"):
        return {t["id"] for t in _all_items(api, username, query)}

    tasks = list(db.session.scalars(select(Task)))
    day = today()
    statuses = {t.id: status_on(facts_of(t), day) for t in tasks}
    assert ids("status=overdue") == {i for i, s in statuses.items() if s == "overdue"}
    assert ids("status=overdue&status=done_late") == {i for i, s in statuses.items()
                                                      if s in ("overdue", "done_late")}
    assert ids("status=overdue,done_late") == ids("status=overdue&status=done_late")
    assert ids("unit=DPTTH") == {t.id for t in tasks if any(u.code == "DPTTH" for u in t.cooperating_units)}
    assert ids("unit=skhcn") == {t.id for t in tasks}  # codes are case-insensitive; sub-units included
    assert ids("lead_unit=STTTT-CNTT") == {t.id for t in tasks if t.lead_unit.code == "STTTT-CNTT"}
    assert ids("assignee=lan.nt") == {task_id(IPV6)}
    assert ids("directive=1") == {t.id for t in tasks}
    assert ids("directive=2") == set()
    soon = (day + timedelta(days=5)).isoformat()
    assert ids(f"due_after={day.isoformat()}&due_before={soon}") == {
        t.id for t in tasks if t.deadline is not None and day <= t.deadline <= day + timedelta(days=5)}
    assert ids("q=ipv6") == ids("q=IPv6") == {task_id(IPV6)}
    assert ids("q=trien khai ke hoach") == {t.id for t in tasks if "Triển khai kế hoạch" in t.title
                                            or "Triển khai Kế hoạch" in t.title}
    assert ids("unit=DPTTH", "lan.nt") == set()  # a filter never widens the reach


def test_as_of_reports_the_status_of_that_day(api):
    late = db.session.scalar(select(Task).where(Task.state == "done", Task.completed_on > Task.deadline))
    before_confirmation = late.done_on - timedelta(days=1)
    assert api.get("nga.tt", f"/tasks/{late.id}").get_json()["status"] == "done_late"
    then = api.get("nga.tt", f"/tasks/{late.id}?as_of={before_confirmation.isoformat()}").get_json()
    assert then["status"] == status_on(facts_of(late), before_confirmation) == "overdue"
    before_creation = late.created_on - timedelta(days=1)
    assert api.get("nga.tt", f"/tasks/{late.id}?as_of={before_creation.isoformat()}").get_json()["status"] is None
    listed = _all_items(api, "nga.tt", f"as_of={before_confirmation.isoformat()}")
    assert listed
    for item in listed:
        task = db.session.get(Task, item["id"])
        assert item["status"] == status_on(facts_of(task), before_confirmation), item["id"]
    overdue_then = _all_items(api, "nga.tt", f"as_of={before_confirmation.isoformat()}&status=overdue")
    assert late.id in {t["id"] for t in overdue_then}
    assert late.id not in {t["id"] for t in _all_items(api, "nga.tt", "status=overdue")}
    assert api.get("nga.tt", f"/tasks?as_of={before_creation.isoformat()}").get_json()["total"] == 0


def test_due_soon_follows_the_working_day_calendar(api):
    ipv6 = api.get("nga.tt", f"/tasks/{task_id(IPV6)}").get_json()
    assert ipv6["due_soon"] is True  # 5 calendar days away
    early = api.get("nga.tt", "/tasks/6").get_json()
    assert early["due_soon"] is False  # 60 days away
    deadline = today() + timedelta(days=5)
    far_before = (deadline - timedelta(days=30)).isoformat()
    assert api.get("nga.tt", f"/tasks/{task_id(IPV6)}?as_of={far_before}").get_json()["due_soon"] is False
    done = api.get("nga.tt", "/tasks/3").get_json()
    assert done["due_soon"] is False


# --- editing: PATCH with optimistic locking ---------------------------------------------------

def test_patch_by_the_issuer_with_if_match(api):
    tid = task_id(IPV6)
    version = api.get("thu.lt", f"/tasks/{tid}").get_json()["version"]
    new_deadline = (today() + timedelta(days=12)).isoformat()
    response = api.patch("thu.lt", f"/tasks/{tid}", {"title": "Triển khai kế hoạch IPv6 giai đoạn 2",
                                                     "deadline": new_deadline, "priority": "urgent",
                                                     "cooperating_units": ["SKHDT"], "reason": "Điều chỉnh"},
                         headers={"If-Match": f'"{version}"'})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["title"] == "Triển khai kế hoạch IPv6 giai đoạn 2" and body["deadline"] == new_deadline
    assert body["priority"] == "urgent" and body["cooperating_units"] == ["SKHDT"]
    assert body["assignee"] == "lan.nt"  # fields left out keep their value
    assert body["version"] > version and response.headers["ETag"] == f'"{body["version"]}"'
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "task.update",
                                                       AuditEvent.object_id == tid))
    assert event is not None and event.actor_id == _user("thu.lt").id
    assert "deadline" in event.changes


def test_patch_with_the_version_field_and_stale_versions(api):
    tid = task_id(IPV6)
    version = api.get("thu.lt", f"/tasks/{tid}").get_json()["version"]
    first = api.patch("thu.lt", f"/tasks/{tid}", {"description": "Bước 1", "version": version})
    assert first.status_code == 200
    stale = api.patch("thu.lt", f"/tasks/{tid}", {"description": "Bước 2", "version": version})
    assert stale.status_code == 409
    assert error_of(stale)["code"] == "conflict"
    stale_header = api.patch("thu.lt", f"/tasks/{tid}", {"description": "Bước 2"},
                             headers={"If-Match": f'W/"{version}"'})
    assert stale_header.status_code == 409
    assert db.session.get(Task, tid).description == "Bước 1"
    missing = api.patch("thu.lt", f"/tasks/{tid}", {"description": "Bước 3"})
    assert missing.status_code == 422 and "version" in error_of(missing)["fields"]
    both = api.patch("thu.lt", f"/tasks/{tid}", {"description": "Bước 3", "version": version + 1},
                     headers={"If-Match": f'"{version}"'})
    assert both.status_code == 422
    db.session.expire_all()
    assert db.session.get(Task, tid).description == "Bước 1"


def test_patch_permissions(api):
    tid = task_id(IPV6)
    version = db.session.get(Task, tid).version
    # staff of the lead unit cannot edit; the lead unit's leader may only choose the assignee
    assert api.patch("lan.nt", f"/tasks/{tid}", {"title": "X", "version": version}).status_code == 403
    assert api.patch("hai.nv", f"/tasks/{tid}", {"title": "X", "version": version}).status_code == 403
    assert api.patch("binh.lv", f"/tasks/{tid}", {"title": "X", "version": version}).status_code == 404
    response = api.patch("hai.nv", f"/tasks/{tid}", {"assignee": "quang.dv", "version": version})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["assignee"] == "quang.dv"
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "task.assign",
                                                      AuditEvent.object_id == tid)) is not None
    version = response.get_json()["version"]
    outsider = api.patch("hai.nv", f"/tasks/{tid}", {"assignee": "binh.lv", "version": version})
    assert outsider.status_code == 422 and "assignee" in error_of(outsider)["fields"]
    assert api.patch("hai.nv", f"/tasks/{tid}", {"assignee": None, "version": version}).get_json()["assignee"] \
        is None


BAD_PATCHES = [
    ({"deadline": "2020-02-30"}, "deadline"),
    ({"deadline": "30/12/2026"}, "deadline"),
    ({"lead_unit": "NOPE"}, "lead_unit"),
    ({"cooperating_units": ["SNV", "NOPE"]}, "cooperating_units"),
    ({"cooperating_units": "SNV"}, "cooperating_units"),
    ({"assignee": "nobody"}, "assignee"),
    ({"title": 5}, "title"),
    ({"title": ""}, "title"),
    ({"priority": "whenever"}, "priority"),
    ({"progress": 50}, "progress"),
    ({"state": "done"}, "state"),
    ({"colour": "red"}, "colour"),
    ({"title": "a\x00b"}, "title"),
    ({"lead_unit": "SNV"}, "assignee"),  # the assignee must belong to the new lead unit
    ({"deadline": "1999-01-01"}, "deadline"),  # before the document's date
]


def test_patch_refuses_bad_fields_and_changes_nothing(api):
    tid = task_id(IPV6)
    api.token("thu.lt")
    before = db.session.get(Task, tid)
    snapshot = (before.title, before.version, before.deadline, before.lead_unit_id, before.priority)
    events = db.session.scalar(select(func.count()).select_from(AuditEvent))
    for body, field in BAD_PATCHES:
        response = api.patch("thu.lt", f"/tasks/{tid}", {**body, "version": snapshot[1]})
        assert response.status_code == 422, (body, response.get_json())
        assert field in error_of(response)["fields"], body
    db.session.expire_all()
    after = db.session.get(Task, tid)
    assert (after.title, after.version, after.deadline, after.lead_unit_id, after.priority) == snapshot
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == events


# --- progress, completion, extensions, cancellation -------------------------------------------

def test_progress_reports(api):
    tid = task_id(IPV6)
    response = api.post("lan.nt", f"/tasks/{tid}/updates", {"progress": 80, "note": "Đã chuyển đổi 80% hệ thống"})
    assert response.status_code == 201, response.get_json()
    update = response.get_json()
    assert update["progress"] == 80 and update["author"] == "lan.nt" and update["unit"] == "STTTT-CNTT"
    assert update["contribution"] is False and update["task"] == tid
    assert db.session.get(Task, tid).progress == 80
    history = api.get("hai.nv", f"/tasks/{tid}/updates").get_json()
    assert history["items"][0]["id"] == update["id"] and history["total"] == 3
    created = [u["created_at"] for u in history["items"]]
    assert created == sorted(created, reverse=True)
    # the issuing unit's leader is not on the lead side
    assert api.post("nga.tt", f"/tasks/{tid}/updates", {"progress": 90, "note": "x"}).status_code == 403
    # outside reach
    assert api.post("binh.lv", f"/tasks/{tid}/updates", {"progress": 90, "note": "x"}).status_code == 404
    # a cooperating unit contributes without a percent
    lgsp = task_id("Triển khai Kế hoạch thử nghiệm trục liên thông")
    response = api.post("binh.lv", f"/tasks/{lgsp}/updates", {"progress": None, "note": "Sở Nội vụ đã có API"})
    assert response.status_code == 201 and response.get_json()["contribution"] is True


BAD_UPDATES = [({"progress": 150, "note": "x"}, "progress"), ({"progress": -1, "note": "x"}, "progress"),
               ({"progress": "50", "note": "x"}, "progress"), ({"progress": True, "note": "x"}, "progress"),
               ({"progress": 50.5, "note": "x"}, "progress"), ({"progress": 50}, "note"),
               ({"progress": 50, "note": "  "}, "note"), ({"note": "x"}, "progress"),
               ({"progress": 50, "note": "x", "author": "nga.tt"}, "author")]


def test_bad_progress_reports_are_422_and_change_nothing(api):
    tid = task_id(IPV6)
    before = db.session.scalar(select(func.count()).select_from(ProgressUpdate))
    for body, field in BAD_UPDATES:
        response = api.post("lan.nt", f"/tasks/{tid}/updates", body)
        assert response.status_code == 422, (body, response.get_json())
        assert field in error_of(response)["fields"], body
    assert db.session.scalar(select(func.count()).select_from(ProgressUpdate)) == before
    assert db.session.get(Task, tid).progress == 60


def test_completion_confirm_and_return(api):
    tid = task_id(IPV6)
    assert api.post("lan.nt", f"/tasks/{tid}/confirm", {}).status_code == 403
    early = api.post("nga.tt", f"/tasks/{tid}/confirm", {})
    assert early.status_code == 409  # nothing reported yet
    response = api.post("lan.nt", f"/tasks/{tid}/completion", {"note": "Đã hoàn thành"})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["state"] == "submitted"
    assert api.post("lan.nt", f"/tasks/{tid}/completion", {}).status_code == 409
    assert api.post("thu.lt", f"/tasks/{tid}/confirm", {}).status_code == 403  # secretaries do not decide
    assert api.post("hai.nv", f"/tasks/{tid}/confirm", {}).status_code == 403  # not the issuer
    response = api.post("nga.tt", f"/tasks/{tid}/confirm", {"note": "Ghi nhận"})
    assert response.status_code == 200
    body = response.get_json()
    assert (body["state"], body["status"], body["progress"], body["completed_on"]) == (
        "done", "done_on_time", 100, today().isoformat())
    assert db.session.scalar(select(Notification).where(Notification.kind == "confirmed",
                                                        Notification.task_id == tid)) is not None
    submitted = task_id("Rà soát Kế hoạch ứng dụng CNTT")
    no_reason = api.post("nga.tt", f"/tasks/{submitted}/return", {})
    assert no_reason.status_code == 422 and "reason" in error_of(no_reason)["fields"]
    blank = api.post("nga.tt", f"/tasks/{submitted}/return", {"reason": "  "})
    assert blank.status_code == 422 and "reason" in error_of(blank)["fields"]
    response = api.post("nga.tt", f"/tasks/{submitted}/return", {"reason": "Bổ sung số liệu"})
    assert response.status_code == 200 and response.get_json()["state"] == "open"


def test_cancel(api):
    assert api.post("hai.nv", "/tasks/6/cancel", {"reason": "x"}).status_code == 403
    assert api.post("binh.lv", "/tasks/6/cancel", {"reason": "x"}).status_code == 404
    response = api.post("nga.tt", "/tasks/6/cancel", {"reason": "Không còn phù hợp"})
    assert response.status_code == 200
    assert (response.get_json()["state"], response.get_json()["status"]) == ("cancelled", "cancelled")
    assert api.post("nga.tt", "/tasks/6/cancel", {"reason": "again"}).status_code == 409


def test_extensions(api):
    tid = task_id(IPV6)
    wanted = (today() + timedelta(days=20)).isoformat()
    assert api.post("binh.lv", f"/tasks/{tid}/extensions", {"deadline": wanted, "reason": "x"}).status_code == 404
    assert api.post("nga.tt", f"/tasks/{tid}/extensions", {"deadline": wanted, "reason": "x"}).status_code == 403
    bad = api.post("lan.nt", f"/tasks/{tid}/extensions", {"deadline": today().isoformat(), "reason": ""})
    assert bad.status_code == 422 and {"deadline", "reason"} <= set(error_of(bad)["fields"])
    response = api.post("lan.nt", f"/tasks/{tid}/extensions", {"deadline": wanted, "reason": "Chờ thiết bị"})
    assert response.status_code == 201, response.get_json()
    ext = response.get_json()
    assert {k: ext[k] for k in ("task", "deadline", "reason", "state")} == {
        "task": tid, "deadline": wanted, "reason": "Chờ thiết bị", "state": "pending"}
    again = api.post("lan.nt", f"/tasks/{tid}/extensions", {"deadline": wanted, "reason": "again"})
    assert again.status_code == 409
    assert api.post("hai.nv", f"/extensions/{ext['id']}/approve", {}).status_code == 403
    assert api.post("binh.lv", f"/extensions/{ext['id']}/approve", {}).status_code == 404
    response = api.post("nga.tt", f"/extensions/{ext['id']}/approve", {"note": "Đồng ý"})
    assert response.status_code == 200 and response.get_json()["state"] == "approved"
    task = api.get("lan.nt", f"/tasks/{tid}").get_json()
    assert task["deadline"] == wanted and task["extended"] is True
    assert api.post("nga.tt", f"/extensions/{ext['id']}/reject", {}).status_code == 409  # already decided
    pending = db.session.scalar(select(ExtensionRequest).where(ExtensionRequest.state == "pending"))
    response = api.post("nga.tt", f"/extensions/{pending.id}/reject", {"note": "Không đồng ý"})
    assert response.status_code == 200 and response.get_json()["state"] == "rejected"
    assert api.post("nga.tt", "/extensions/99999/approve", {}).status_code == 404


def test_a_completion_report_needs_its_results_and_carries_its_number_and_date(api):
    tid = task_id(IPV6)
    response = api.post("lan.nt", f"/tasks/{tid}/completion", {"note": ""})
    assert response.status_code == 422
    assert error_of(response)["fields"]["note"] == "Nêu kết quả thực hiện: người giao nhiệm vụ dựa vào đó để xem xét."
    assert api.post("lan.nt", f"/tasks/{tid}/completion", {"note": "Xong", "report_date": "2999-01-01"}
                    ).status_code == 422
    response = api.post("lan.nt", f"/tasks/{tid}/completion", {
        "note": "Đã hoàn thành", "report_number": "702/BC-STTTT", "report_date": today().isoformat()})
    assert response.status_code == 200 and response.get_json()["state"] == "submitted"
    report = db.session.get(Task, tid).pending_report
    assert (report.note, report.report_number, report.report_date) == ("Đã hoàn thành", "702/BC-STTTT", today())
