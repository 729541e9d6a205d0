"""A task in GET /tasks (and in GET /directives/{id}) is the very task of GET /tasks/{id}.

The list builds its items from columns (tracker.services.queries.task_records); so does the one-task answer
(whose answer is the Task object's: tests/api/test_task_answer.py), with the status by the rule for its day
and, for a periodic task, from the Task object: both must say the same of every task, on every day, to every user: parts (duty, own deadline,
done, percent, assignee), tags, periodic tasks, deadline changes before a past `as_of`, drafts, sub-tasks.
"""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from tests.api.conftest import task_id
from tracker.database import db
from tracker.models import CooperatingPart, Task, Unit, User
from tracker.schemas import TaskPage
from tracker.services import workflow
from tracker.timeutil import today

DETAIL_ONLY = {"recurrence", "occurrences"}  # what the one-task answer adds to a list's item


def _user(username: str) -> User:
    return db.session.scalar(select(User).where(User.username == username))


def _everything(api, username: str, query: str) -> list[dict]:
    items, page = [], 1
    while True:
        response = api.get(username, f"/tasks?{query}&page={page}&per_page=3")  # several pages of a few
        assert response.status_code == 200, response.get_json()
        body = response.get_json()
        TaskPage.model_validate(body)  # the answer keeps to its declaration
        items += body["items"]
        if page * 3 >= body["total"]:
            assert len(items) == body["total"]
            return items
        page += 1


def _more_kinds_of_task(api) -> dict[str, int]:
    """Beside the demo's (tags, parts with duties, an extended task and its sub-task, every status): a periodic
    task, a draft's task with parts of their own deadline, a part marked done with its percent, a part with
    its own assignee."""
    now = today()
    directive = api.post("thu.lt", "/directives", {
        "number": "88/TB-UBND", "kind": "conclusion", "title": "Kết luận về báo cáo định kỳ",
        "issued_on": (now - timedelta(days=60)).isoformat(), "on_behalf_of": "nga.tt"}).get_json()["id"]
    periodic = api.post("thu.lt", f"/directives/{directive}/tasks", {
        "title": "Báo cáo chuyển đổi số hằng tháng", "lead_unit": "SKHCN", "assignee": "hai.nv", "deadline": None,
        "tags": ["báo cáo", "định kỳ"], "recurrence": {"every": "month", "day": 20}})
    assert periodic.status_code == 201, periodic.get_json()
    assert api.post("thu.lt", f"/directives/{directive}/publish").status_code == 200
    draft = api.post("thu.lt", "/directives", {
        "number": "89/TB-UBND", "kind": "conclusion", "title": "Dự thảo kết luận",
        "issued_on": now.isoformat(), "on_behalf_of": "nga.tt"}).get_json()["id"]
    deadline = now + timedelta(days=40)
    drafted = api.post("thu.lt", f"/directives/{draft}/tasks", {
        "title": "Rà soát thủ tục hành chính", "lead_unit": "SKHCN", "deadline": deadline.isoformat(),
        "tags": ["cải cách hành chính"],
        "cooperating_units": [{"unit": "SNV", "duty": "Thẩm định", "deadline": (now + timedelta(days=3)).isoformat()},
                              "STC"]})
    assert drafted.status_code == 201, drafted.get_json()
    broadcast = task_id("Hoàn thiện đề án phát thanh")  # STC and DPTTH cooperate
    done = api.post("an.pt", f"/tasks/{broadcast}/cooperation", {"note": "Đã thẩm định.", "done": True,
                                                                 "progress": 100})
    assert done.status_code == 201, done.get_json()
    task = db.session.get(Task, broadcast)
    part = next(p for p in task.cooperating_parts if p.unit.code == "DPTTH")
    member = db.session.scalar(select(User).join(Unit, Unit.id == User.unit_id)
                               .where(Unit.code == "DPTTH", User.active.is_(True)).order_by(User.id))
    workflow.assign_part(_user("admin"), task, part, member)
    db.session.commit()
    return {"periodic": periodic.get_json()["id"], "draft": drafted.get_json()["id"], "broadcast": broadcast}


def test_each_item_of_the_list_is_the_tasks_own_answer_on_every_day(api):
    made = _more_kinds_of_task(api)
    now = today()
    extended = db.session.scalar(select(Task).where(Task.original_deadline != Task.deadline,
                                                    Task.parent_id.is_(None)))
    moved_on = min(c.effective_on for c in extended.deadline_changes)
    assert db.session.scalar(select(CooperatingPart).where(CooperatingPart.assignee_id.is_not(None)))
    days = {"today": None, "before the extension": moved_on - timedelta(days=1), "the day it moved": moved_on,
            "before the parts' own deadlines": now - timedelta(days=30), "before most existed": now - timedelta(days=75),
            "later": now + timedelta(days=10)}
    seen = set()
    for username in ("nga.tt", "thu.lt", "hai.nv", "an.pt", "admin"):
        for label, day in days.items():
            query = f"as_of={day.isoformat()}" if day else ""
            items = _everything(api, username, query)
            assert items, (username, label)
            for item in items:
                one = api.get(username, f"/tasks/{item['id']}?{query}").get_json()
                assert set(one) - set(item) == DETAIL_ONLY
                assert {name: one[name] for name in item} == item, (username, label, item["id"])
                seen.add(item["id"])
            for directive in {item["directive"] for item in items}:  # a directive's tasks: the same rows
                tasks = api.get(username, f"/directives/{directive}?{query}").get_json()["tasks"]
                listed = {item["id"]: item for item in items if item["directive"] == directive}
                assert {task["id"]: task for task in tasks} == listed, (username, label, directive)
    assert set(made.values()) <= seen
    assert extended.id in seen
