"""API lookups of people by name do not tell an unknown name from one outside reach (issue #18, point 1).

Otherwise any token holder could list the usernames of the province (and lock
them out at sign-in, before the limits of tests/security/test_signin_limits.py).
"""
from __future__ import annotations

from sqlalchemy import select

from tests.api.conftest import error_of, task_id
from tracker.database import db
from tracker.models import Task, User
from tracker.rules import reach
from tracker.services.reach_sql import task_visible_clause

UNKNOWN = "ghost.user"


def _user(username: str) -> User:
    return db.session.scalar(select(User).where(User.username == username))


def _unseen(viewer: str) -> list[str]:
    """The demo people `viewer` may not know of: outside their reach and assigned to no task they see."""
    actor = _user(viewer)
    seen = set(db.session.scalars(select(Task.assignee_id).where(task_visible_clause(actor))))
    return [u.username for u in db.session.scalars(select(User))
            if not reach.in_reach(actor, u.unit) and u.id not in seen and u.id != actor.id]


def _answer(response, name: str):
    """What a caller learns: the status and the error, with the name they sent taken out."""
    body = response.get_data(as_text=True).replace(name, "NAME")
    return response.status_code, body


def test_the_task_filter_answers_alike_for_unknown_and_unseen_people(api):
    unseen = _unseen("lan.nt")
    assert {"binh.lv", "nga.tt", "khoa.dm"} <= set(unseen)
    expected = _answer(api.get("lan.nt", f"/tasks?assignee={UNKNOWN}"), UNKNOWN)
    assert expected[0] == 422
    for name in unseen:
        assert _answer(api.get("lan.nt", f"/tasks?assignee={name}"), name) == expected, name
    # People the caller may know of still filter: their own unit's, and anyone for a leader above.
    assert api.get("lan.nt", "/tasks?assignee=quang.dv").status_code == 200
    assert api.get("nga.tt", "/tasks?assignee=lan.nt").status_code == 200


def test_an_assignee_of_a_task_one_sees_is_known_though_outside_reach(api):
    # quang.dv (STTTT-CNTT) is outside the reach of dung.tv (STTTT-BCXB)...
    dung, quang = _user("dung.tv"), _user("quang.dv")
    assert not reach.in_reach(dung, quang.unit)
    visible = db.session.scalar(select(Task.id).where(Task.assignee_id == quang.id, task_visible_clause(dung)))
    response = api.get("dung.tv", "/tasks?assignee=quang.dv")
    if visible is None:  # ... and, in the demo data, sees none of his tasks: unknown to him
        assert _answer(response, "quang.dv") == _answer(api.get("dung.tv", f"/tasks?assignee={UNKNOWN}"), UNKNOWN)
    else:
        assert response.status_code == 200 and visible in {t["id"] for t in response.get_json()["items"]}


def test_choosing_an_assignee_answers_alike_for_unknown_and_unseen_people(api):
    tid = task_id("Triển khai kế hoạch ứng dụng IPv6")
    version = db.session.get(Task, tid).version
    answers = set()
    for name in (UNKNOWN, "binh.lv", "an.pt"):
        response = api.patch("hai.nv", f"/tasks/{tid}", {"assignee": name, "version": version})
        assert response.status_code == 422, name
        answers.add(str(error_of(response)["fields"]).replace(name, "NAME"))
    assert len(answers) == 1, answers
    # A person of the lead unit is chosen as before.
    assert api.patch("hai.nv", f"/tasks/{tid}", {"assignee": "quang.dv", "version": version}).status_code == 200


def test_on_behalf_of_answers_alike_for_unknown_and_unseen_people(api):
    answers = set()
    for name in (UNKNOWN, "binh.lv", "son.hx"):
        response = api.post("hai.nv", "/directives", {"number": "1/TB-STTTT", "kind": "notice", "title": "Thông báo",
                                                      "issued_on": "2026-03-02", "on_behalf_of": name})
        assert response.status_code == 422, (name, response.get_json())
        answers.add(str(error_of(response)["fields"]).replace(name, "NAME"))
    assert len(answers) == 1, answers
