"""Assigning a task carries the leader's instruction (ý kiến giao việc): history, bell and e-mail."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from tracker.dispatch import dispatch
from tracker.models import Notification

DEADLINE = date(2025, 3, 31)
INSTRUCTION = "Đồng chí Lan chủ trì, phối hợp Trung tâm CNTT; báo cáo kết quả trước ngày 25/3."


def test_the_instruction_reaches_the_assignee_and_the_history(db, world, smtp, login_as):
    task = world.task(deadline=DEADLINE, lead="STTTT-CNTT", assignee=None)
    dispatch()
    smtp.clear()
    tuan = login_as("tuan.la")
    response = tuan.post(f"/tasks/{task.id}/assign", data={"assignee_id": world.user("lan.nt").id,
                                                            "note": INSTRUCTION, "version": task.version},
                         follow_redirects=True)
    assert "Đã lưu người thực hiện." in response.get_data(as_text=True)
    page = tuan.get(f"/tasks/{task.id}").get_data(as_text=True)
    assert f"Ý kiến giao việc: {INSTRUCTION}" in page  # the history
    (note,) = db.session.scalars(select(Notification).where(Notification.user_id == world.user("lan.nt").id))
    assert note.kind == "assigned" and note.title == f"{task.title} — {INSTRUCTION}"
    dispatch()
    (mail,) = smtp.to(world.user("lan.nt").email)
    text = mail.message.get_body(("plain",)).get_content()
    assert f"Ý kiến giao việc: {INSTRUCTION}" in text


def test_the_api_assigns_with_an_instruction(db, world, smtp, client):
    from tracker.services.tokens import create_token

    task = world.task(deadline=DEADLINE, lead="STTTT-CNTT", assignee=None)
    token = create_token(world.user("tuan.la"), "test")[1]
    db.session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    url = f"/api/v1/tasks/{task.id}/assign"
    assert client.post(url, json={"assignee": "nobody.here", "note": "x"}, headers=headers).status_code == 422
    assert client.post(url, json={"assignee": "lan.nt", "version": task.version + 5},
                       headers=headers).status_code == 409
    response = client.post(url, json={"assignee": "lan.nt", "note": INSTRUCTION}, headers=headers)
    assert response.status_code == 200 and response.get_json()["assignee"] == "lan.nt"
    (note,) = db.session.scalars(select(Notification).where(Notification.user_id == world.user("lan.nt").id))
    assert INSTRUCTION in note.title
    staff = create_token(world.user("quang.dv"), "test")[1]
    db.session.commit()
    assert client.post(url, json={"assignee": "quang.dv"}, headers={"Authorization": f"Bearer {staff}"}
                       ).status_code == 403


def test_the_api_gives_the_task_to_a_sub_unit_with_the_instruction(db, world, smtp, client):
    """api.md: `unit` (a sub-unit's code) instead of a person: the division gets a sub-task, and is told."""
    from tracker.models import Task
    from tracker.services.tokens import create_token

    task = world.task(deadline=DEADLINE, lead="STTTT", assignee=None)
    token = create_token(world.user("hai.nv"), "test")[1]
    db.session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    url = f"/api/v1/tasks/{task.id}/assign"
    for body, field in [({"unit": "SNV", "note": "x"}, "unit"), ({"unit": "STTTT", "note": "x"}, "unit"),
                        ({"unit": "STTTT-CNTT", "assignee": "lan.nt"}, "unit"), ({"note": "x"}, "assignee")]:
        response = client.post(url, json=body, headers=headers)
        assert response.status_code == 422 and field in response.get_json()["error"]["fields"], body
    assert db.session.scalar(select(Task).where(Task.parent_id == task.id)) is None  # nothing half-written
    response = client.post(url, json={"unit": "STTTT-CNTT", "note": INSTRUCTION}, headers=headers)
    assert response.status_code == 200
    (sub,) = db.session.scalars(select(Task).where(Task.parent_id == task.id))
    assert (sub.lead_unit.code, sub.title, sub.deadline, sub.description) == (
        "STTTT-CNTT", task.title, DEADLINE, INSTRUCTION)
    (note,) = db.session.scalars(select(Notification).where(Notification.user_id == world.user("tuan.la").id))
    assert note.kind == "assigned" and note.task_id == sub.id
