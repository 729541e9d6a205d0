"""/units, /stats, /notifications and /extract as each role."""
from __future__ import annotations

import json
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.api.conftest import error_of, task_id
from tracker.database import db
from tracker.demo import SEED_FILE, seed_text
from tracker.models import Notification, Task, Unit, User, load_calendar
from tracker.rules import reach
from tracker.rules.status import STATUSES, facts_of, is_due_soon, part_facts_of, part_status_on, status_on
from tracker.timeutil import today

ROLES = ["admin", "nga.tt", "thu.lt", "hai.nv", "lan.nt"]
COUNT_KEYS = {"total", *STATUSES, "due_soon"}


# --- units ------------------------------------------------------------------------------------

@pytest.mark.parametrize("username", ROLES)
def test_units_tree(api, username):
    body = api.get(username, "/units?per_page=200").get_json()
    assert body["total"] == db.session.scalar(select(func.count()).select_from(Unit).where(Unit.ended_on.is_(None)))
    units = {u["code"]: u for u in body["items"]}
    assert units["UBND"]["parent"] is None and units["UBND"]["kind"] == "province"
    assert units["STTTT-CNTT"] == {"code": "STTTT-CNTT", "name": "Phòng Công nghệ thông tin",
                                   "short_name": "Phòng CNTT", "parent": "SKHCN", "kind": "division",
                                   "active": True, "ended_on": None, "successors": []}
    codes = [u["code"] for u in body["items"]]
    assert codes.index("SKHCN") < codes.index("STTTT-CNTT")  # parents before children
    assert "STTTT" not in codes  # a former unit, listed with include_former=1 only
    pages = [api.get(username, f"/units?per_page=5&page={p}").get_json()["items"] for p in (1, 2, 3)]
    assert [u["code"] for page in pages for u in page] == codes


# --- stats ------------------------------------------------------------------------------------

def expected_counts(tasks, day):
    cal = load_calendar()
    counts = Counter({key: 0 for key in COUNT_KEYS})
    for task in tasks:
        status = status_on(facts_of(task), day)
        if status is None:
            continue
        counts[status] += 1
        counts["total"] += 1
        if status == "in_progress" and task.deadline is not None and is_due_soon(task.deadline, day, cal):
            counts["due_soon"] += 1
    return dict(counts)


def led_in_reach(username):
    user = db.session.scalar(select(User).where(User.username == username))
    return [t for t in db.session.scalars(select(Task))
            if reach.can_view_task(user, t) and reach.in_reach(user, t.lead_unit)]


PART_KEYS = ("done_on_time", "done_late", "in_progress", "overdue")


@pytest.mark.parametrize("username", ["admin", "nga.tt", "thu.lt", "hai.nv", "tuan.la"])
def test_stats_cover_the_tasks_led_in_reach(api, username):
    response = api.get(username, "/stats")
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert set(body) == {"as_of", "totals", "completion_rate", "on_time_rate", "by_unit", "cooperating"}
    assert body["as_of"] == today().isoformat()
    tasks = led_in_reach(username)
    # The cooperating parts of those tasks, each under its own unit, by the rule of rules.status.
    parts = Counter()
    for task in tasks:
        for part in task.cooperating_parts:
            status = part_status_on(facts_of(task), part_facts_of(part), today())
            if status != "cancelled":
                parts[(part.unit.code, status)] += 1
    cooperating = body["cooperating"]
    assert cooperating["total"] == sum(parts.values())
    assert {(row["unit"], s): row[s] for row in cooperating["by_unit"] for s in PART_KEYS if row[s]} == parts
    expected = expected_counts(tasks, today())
    assert body["totals"] == expected
    done = expected["done_on_time"] + expected["done_late"]
    active = expected["total"] - expected["cancelled"]
    judged = done + expected["overdue"]
    assert body["completion_rate"] == pytest.approx(done / active)
    assert body["on_time_rate"] == (pytest.approx(expected["done_on_time"] / judged) if judged else None)
    by_unit = {row["unit"]: row for row in body["by_unit"]}
    assert set(by_unit) == {t.lead_unit.code for t in tasks}  # each task under its own lead unit
    for code, row in by_unit.items():
        assert set(row) == COUNT_KEYS | {"unit", "completion_rate", "on_time_rate", "taken_over_from"}
        assert row["taken_over_from"] == (["STTTT"] if code == "SKHCN" else [])  # the 2025 merger
        assert {k: row[k] for k in COUNT_KEYS} == expected_counts([t for t in tasks if t.lead_unit.code == code],
                                                                  today())
    for key in COUNT_KEYS:
        assert sum(row[key] for row in body["by_unit"]) == body["totals"][key]


def test_stats_as_of_and_filters(api):
    day = today() - timedelta(days=25)
    body = api.get("nga.tt", f"/stats?as_of={day.isoformat()}").get_json()
    assert body["as_of"] == day.isoformat()
    assert body["totals"] == expected_counts(led_in_reach("nga.tt"), day)
    empty = api.get("nga.tt", "/stats?unit=STTTT-BCVT").get_json()
    assert empty["totals"] == {key: 0 for key in COUNT_KEYS}
    assert empty["completion_rate"] is None and empty["on_time_rate"] is None and empty["by_unit"] == []
    district = api.get("nga.tt", "/stats?unit=X-PHULOC").get_json()  # took over the district's part, done late
    assert district["totals"]["total"] == 1 and district["totals"]["done_late"] == 1
    assert district["completion_rate"] == 1 and district["on_time_rate"] == 0
    assert api.get("nga.tt", "/stats?issuing_unit=UBND").get_json()["totals"]["total"] == 10  # not the sub-task
    assert api.get("nga.tt", "/stats?issuing_unit=SNV").get_json()["totals"]["total"] == 0
    assert api.get("nga.tt", "/stats?directive=1").get_json() == api.get("nga.tt", "/stats").get_json()
    assert api.get("nga.tt", "/stats?directive=2").get_json()["totals"]["total"] == 0
    before = api.get("nga.tt", "/stats?as_of=2020-05-28").get_json()  # the day before the notice
    assert before["totals"]["total"] == 0 and before["completion_rate"] is None
    last_year = api.get("nga.tt", f"/stats?as_of={(today() - timedelta(days=400)).isoformat()}").get_json()
    assert last_year["totals"]["total"] == 10  # the notice of 2020, not yet the sub-task


def test_cancelled_tasks_count_in_total_but_not_in_rates(api):
    before = api.get("nga.tt", "/stats").get_json()
    assert api.post("nga.tt", "/tasks/6/cancel", {"reason": "Không còn phù hợp"}).status_code == 200
    after = api.get("nga.tt", "/stats").get_json()
    assert after["totals"]["total"] == before["totals"]["total"]
    assert after["totals"]["cancelled"] == before["totals"]["cancelled"] + 1
    done = after["totals"]["done_on_time"] + after["totals"]["done_late"]
    assert after["completion_rate"] == pytest.approx(done / (after["totals"]["total"] - 1))


def test_stats_refusals(api):
    response = api.get("lan.nt", "/stats")
    assert response.status_code == 403 and error_of(response)["code"] == "forbidden"
    for query in ("unit=NOPE", "issuing_unit=NOPE", "as_of=2020-02-30", "directive=abc"):
        response = api.get("nga.tt", f"/stats?{query}")
        assert response.status_code == 422 and query.split("=")[0] in error_of(response)["fields"], query


# --- notifications ----------------------------------------------------------------------------

def test_notifications_are_the_callers_newest_first(api):
    tid = task_id("Triển khai kế hoạch ứng dụng IPv6")
    assert api.post("lan.nt", f"/tasks/{tid}/completion", {"note": "Xong"}).status_code == 200
    assert api.post("nga.tt", f"/tasks/{tid}/return", {"reason": "Bổ sung"}).status_code == 200
    body = api.get("lan.nt", "/notifications").get_json()
    lan = db.session.scalar(select(User).where(User.username == "lan.nt"))
    mine = db.session.scalar(select(func.count()).select_from(Notification).where(Notification.user_id == lan.id))
    assert body["total"] == mine >= 2
    first = body["items"][0]
    assert set(first) == {"id", "kind", "task", "directive", "title", "created_at", "read"}
    assert (first["kind"], first["task"], first["read"]) == ("returned", tid, False)
    assert first["directive"] == api.get("lan.nt", f"/tasks/{tid}").get_json()["directive"]
    keys = [(n["created_at"], n["id"]) for n in body["items"]]
    assert keys == sorted(keys, reverse=True)
    theirs = {n["id"] for n in api.get("nga.tt", "/notifications?per_page=200").get_json()["items"]}
    assert theirs.isdisjoint({n["id"] for n in body["items"]})
    note = db.session.get(Notification, first["id"])
    note.read_at = note.created_at
    db.session.commit()
    assert api.get("lan.nt", "/notifications").get_json()["items"][0]["read"] is True


# --- extract ----------------------------------------------------------------------------------

@pytest.mark.skipif(not seed_text(), reason=f"{SEED_FILE} is not available")
def test_extract_proposes_the_seed_tasks(api):
    text = seed_text()
    response = api.post("thu.lt", "/extract", {"text": text, "issued_on": "2020-05-29"})
    assert response.status_code == 200, response.get_json()
    tasks = response.get_json()["tasks"]
    assert len(tasks) >= 5
    for task in tasks:
        assert {"title", "lead_unit", "cooperating_units", "deadline", "ongoing", "start", "end"} <= set(task)
        assert 0 <= task["start"] < task["end"] <= len(text)
    assert any(t["lead_unit"] == "SKHCN" for t in tasks)  # Sở TT&TT's successor
    assert any("ipv6" in t["title"].lower() for t in tasks)


def test_extract_refusals(api):
    assert api.post("lan.nt", "/extract", {"text": "Giao Sở Nội vụ chủ trì"}).status_code == 403
    for body, field in (({"text": ""}, "text"), ({"text": "   \n"}, "text"), ({}, "text"), ({"text": 5}, "text"),
                        ({"text": "x", "issued_on": "2020-02-30"}, "issued_on"), ({"text": "x", "units": []}, "units")):
        response = api.post("thu.lt", "/extract", body)
        assert response.status_code == 422, body
        assert field in error_of(response)["fields"], body
    big = json.dumps({"text": "Giao Sở Nội vụ chủ trì. " * 50000})
    response = api.request("POST", "thu.lt", "/extract", data=big, headers={"Content-Type": "application/json"})
    assert response.status_code == 413
