"""Periodic tasks through the API: `recurrence` on creation (validated), `occurrences` on GET /tasks/{id},
one period reported done through POST /tasks/{id}/completion."""
from __future__ import annotations

from datetime import timedelta

from tests.api.conftest import error_of
from tracker.rules.recurrence import Recurrence, periods
from tracker.services.recurrence import horizon
from tracker.timeutil import today


def _directive(api, issued_on):
    response = api.post("thu.lt", "/directives", {
        "number": "77/TB-UBND", "kind": "conclusion", "title": "Kết luận về báo cáo định kỳ",
        "issued_on": issued_on.isoformat(), "on_behalf_of": "nga.tt"})
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def test_a_monthly_task_created_reported_and_read(api):
    now = today()
    issued_on = now - timedelta(days=75)
    directive = _directive(api, issued_on)
    response = api.post("thu.lt", f"/directives/{directive}/tasks", {
        "title": "Báo cáo tình hình chuyển đổi số trước ngày 20 hằng tháng", "lead_unit": "SKHCN",
        "assignee": "hai.nv", "deadline": None, "recurrence": {"every": "month", "day": 20}})
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["recurrence"] == {"every": "month", "day": 20, "until": None}
    assert body["ongoing"] is True and body["deadline"] is None and body["status"] == "in_progress"
    expected = periods(Recurrence("month", 20), issued_on, horizon(now))
    assert [(o["period"], o["deadline"]) for o in body["occurrences"]] == [
        (p.label, p.deadline.isoformat()) for p in expected]
    first = body["occurrences"][0]
    assert (first["state"], first["status"], first["completed_on"]) == ("open", "overdue", None)
    assert api.post("thu.lt", f"/directives/{directive}/publish").status_code == 200

    # The lead unit reports the first period (late): it alone is done; the task stays open.
    done = api.post("hai.nv", f"/tasks/{body['id']}/completion", {"note": "Đã gửi báo cáo."})
    assert done.status_code == 200, done.get_json()
    after = done.get_json()
    assert after["state"] == "open"
    assert after["occurrences"][0] == {"period": first["period"], "deadline": first["deadline"], "state": "done",
                                       "status": "done_late", "completed_on": now.isoformat()}
    assert [o["state"] for o in after["occurrences"][1:]] == ["open"] * (len(expected) - 1)
    again = api.post("hai.nv", f"/tasks/{body['id']}/completion", {"note": "Lại.", "period": first["period"]})
    assert again.status_code == 409
    unknown = api.post("hai.nv", f"/tasks/{body['id']}/completion", {"note": "Lại.", "period": "1999-01"})
    assert unknown.status_code == 422 and "period" in error_of(unknown)["fields"]
    # The task's GET shows the same periods; as of a past day, their statuses then.
    got = api.get("hai.nv", f"/tasks/{body['id']}").get_json()
    assert got["occurrences"] == after["occurrences"]
    past = api.get("hai.nv", f"/tasks/{body['id']}?as_of={issued_on.isoformat()}").get_json()
    assert past["occurrences"][0]["status"] == "in_progress"


def test_recurrence_is_validated(api):
    now = today()
    directive = _directive(api, now)
    path = f"/directives/{directive}/tasks"
    base = {"title": "Báo cáo hằng quý", "lead_unit": "SKHCN", "deadline": None}
    for bad in ({"every": "week"}, {"every": "month", "day": 32}, {"every": "month", "day": 0},
                {"every": "month", "day": "20"}, {"every": "quarter", "until": (now - timedelta(days=1)).isoformat()}):
        response = api.post("thu.lt", path, {**base, "recurrence": bad})
        assert response.status_code == 422, bad
        assert list(error_of(response)["fields"]) == ["recurrence"], bad
    ok = api.post("thu.lt", path, {**base, "recurrence": {"every": "half_year", "day": 31,
                                                          "until": (now + timedelta(days=400)).isoformat()}})
    assert ok.status_code == 201, ok.get_json()
    assert ok.get_json()["occurrences"][0]["period"].startswith("6T")
    one_off = api.post("thu.lt", path, {**base, "recurrence": None}).get_json()
    assert (one_off["recurrence"], one_off["occurrences"]) == (None, [])
