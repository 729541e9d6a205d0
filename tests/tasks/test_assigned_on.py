"""A task counts from the day it was assigned, not the day it was typed in (issue 16, point 5).

The Office records today a notice issued 40 days ago: its tasks have a
status for every day from the issue date on (dashboard, /api/v1/stats, the
/tasks list as of a past day), and a task added to it after publication
counts from the day it was added.
"""
from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlencode

from tests.api.conftest import Api
from tests.tasks.pages import directive, form_values, task_rows, unit
from tracker.models import Task
from tracker.timeutil import today


def days(n: int) -> str:
    return (today() + timedelta(days=n)).isoformat()


def record_late_notice(thu, db) -> tuple:
    """thu.lt records and publishes today notice 40/TB-UBND of 40 days ago, with two tasks."""
    values = form_values(thu.get("/directives/new"), "/directives/new")
    values.update({"number": "40/TB-UBND", "issued_on": days(-40), "title": "Kết luận ghi nhận muộn"})
    assert thu.post("/directives/new", data=values).status_code == 302
    d = directive(db, "40/TB-UBND")
    base = {"description": "", "priority": "normal", "assignee_id": 0, "tags": "", "lead_unit_id": unit(db, "SNV").id}
    for title, deadline in (("Rà soát thủ tục hành chính", days(-10)), ("Báo cáo cải cách hành chính", days(20))):
        response = thu.post(f"/directives/{d.id}/tasks/new", data={**base, "title": title, "deadline": deadline})
        assert response.status_code == 302
    assert thu.post(f"/directives/{d.id}/publish").status_code == 302
    return d, {t.title: t for t in d.tasks}


def totals(api, on: str) -> dict:
    response = api.get("nga.tt", f"/stats?as_of={on}")
    assert response.status_code == 200, response.get_json()
    return response.get_json()["totals"]


def dashboard_cards(client, on: str) -> list[int]:
    page = client.get(f"/dashboard?as_of={on}").get_data(as_text=True)
    return [int(n) for n in re.findall(r'<span class="n">(\d+)</span>', page)]


def listed(client, on: str) -> dict[str, str]:
    return dict(task_rows(client.get("/tasks?" + urlencode({"view": "all", "per_page": 200, "as_of": on}))))


def test_a_notice_recorded_late_counts_from_its_issue_date(app, login_as, client, db):
    thu, nga = login_as("thu.lt"), login_as("nga.tt")
    api = Api(app, client)
    before = {n: totals(api, days(n)) for n in (-41, -20, -5)}
    cards_before = dashboard_cards(nga, days(-20))
    d, tasks = record_late_notice(thu, db)
    late, later = tasks["Rà soát thủ tục hành chính"], tasks["Báo cáo cải cách hành chính"]
    assert late.assigned_on == later.assigned_on == d.issued_on and late.created_on == today()

    # /api/v1/stats as of any day from the issue date counts them; before it, nothing changes.
    assert totals(api, days(-41)) == before[-41]
    then = totals(api, days(-20))
    assert then["total"] == before[-20]["total"] + 2
    assert then["in_progress"] == before[-20]["in_progress"] + 2
    five_ago = totals(api, days(-5))
    assert five_ago["overdue"] == before[-5]["overdue"] + 1  # late from the day after its deadline (-10)
    assert five_ago["in_progress"] == before[-5]["in_progress"] + 1
    # The task's own status as of those days.
    assert api.get("nga.tt", f"/tasks/{late.id}?as_of={days(-40)}").get_json()["status"] == "in_progress"
    assert api.get("nga.tt", f"/tasks/{late.id}?as_of={days(-10)}").get_json()["status"] == "in_progress"
    assert api.get("nga.tt", f"/tasks/{late.id}?as_of={days(-9)}").get_json()["status"] == "overdue"
    assert api.get("nga.tt", f"/tasks/{late.id}?as_of={days(-41)}").get_json()["status"] is None
    as_listed = {t["id"]: t["status"] for t in api.get("nga.tt", f"/tasks?as_of={days(-20)}&per_page=200")
                 .get_json()["items"]}
    assert as_listed[late.id] == as_listed[later.id] == "in_progress"

    # The leader dashboard as of a past day: two more tasks, both in progress then.
    cards = dashboard_cards(nga, days(-20))
    assert cards[0] == cards_before[0] + 2 and cards[3] == cards_before[3] + 2

    # The /tasks list as of a past day.
    assert listed(nga, days(-20))[late.title] == "In progress"
    assert listed(nga, days(-5))[late.title] == "Overdue"
    assert late.title not in listed(nga, days(-41))


def test_a_task_added_after_publication_counts_from_the_day_it_was_added(app, login_as, client, db):
    thu, nga = login_as("thu.lt"), login_as("nga.tt")
    d, _tasks = record_late_notice(thu, db)
    response = thu.post(f"/directives/{d.id}/tasks/new", data={
        "title": "Tổng kết năm", "description": "", "priority": "normal", "assignee_id": 0, "tags": "",
        "lead_unit_id": unit(db, "SNV").id, "deadline": days(30)})
    assert response.status_code == 302
    added = db.session.scalar(db.select(Task).where(Task.title == "Tổng kết năm"))
    assert added.assigned_on == today()
    assert "Tổng kết năm" not in listed(nga, days(-1))
    assert listed(nga, days(0))["Tổng kết năm"] == "In progress"
    assert "Rà soát thủ tục hành chính" in listed(nga, days(-1))


def test_correcting_the_issue_date_moves_the_day_its_tasks_count_from(login_as, db):
    thu = login_as("thu.lt")
    d, tasks = record_late_notice(thu, db)
    response = thu.post(f"/directives/{d.id}/tasks/new", data={
        "title": "Tổng kết năm", "description": "", "priority": "normal", "assignee_id": 0, "tags": "",
        "lead_unit_id": unit(db, "SNV").id, "deadline": days(30)})
    assert response.status_code == 302
    values = form_values(thu.get(f"/directives/{d.id}/edit"), f"/directives/{d.id}/edit")
    values["issued_on"] = [days(-45)]
    assert thu.post(f"/directives/{d.id}/edit", data=values).status_code == 302
    db.session.expire_all()
    by_title = {t.title: t.assigned_on.isoformat() for t in directive(db, "40/TB-UBND").tasks}
    assert by_title == {"Rà soát thủ tục hành chính": days(-45), "Báo cáo cải cách hành chính": days(-45),
                        "Tổng kết năm": days(0)}
