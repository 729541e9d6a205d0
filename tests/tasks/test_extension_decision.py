"""The deciding leader may approve another date than the one asked for, with a note; the history shows both."""
from __future__ import annotations

from datetime import date

import time_machine
from sqlalchemy import select

from tests.tasks.pages import at, flashes, main_text
from tests.tasks.test_workflow import DEADLINE, published  # noqa: F401 - the fixture
from tracker.models import AuditEvent, DeadlineChange


def post(client, url, data=None):
    return client.post(url, data=data or {}, follow_redirects=True)


def ask(task, login_as):
    with time_machine.travel(at(date(2025, 3, 25)), tick=False):
        post(login_as("hai.nv"), f"/tasks/{task.id}/extensions", {"deadline": "2025-04-30",
                                                                   "reason": "Chờ kinh phí thay thiết bị."})
    return task.pending_extension


def test_approving_another_date_needs_a_note_and_the_history_shows_both(published, login_as, db):  # noqa: F811
    task = published
    ext = ask(task, login_as)
    with time_machine.travel(at(date(2025, 3, 27)), tick=False):
        nga = login_as("nga.tt")
        url = f"/tasks/{task.id}/extensions/{ext.id}/decide"
        response = post(nga, url, {"approve": "1", "deadline": "2025-04-15"})
        assert "Say why another date than the one asked for is approved." in " ".join(flashes(response))
        assert ext.state == "pending" and task.deadline == DEADLINE
        response = post(nga, url, {"approve": "1", "deadline": "2025-03-20", "note": "Rút ngắn."})
        assert "The new deadline must be after the current one (31/03/2025)." in " ".join(flashes(response))
        response = post(nga, url, {"approve": "1", "deadline": "2025-04-15",
                                   "note": "Đồng ý gia hạn đến 15/4 để kịp báo cáo quý."})
        assert "The extension has been approved." in flashes(response)
        page = main_text(response)
    assert (ext.state, ext.new_deadline, ext.approved_deadline) == ("approved", date(2025, 4, 30), date(2025, 4, 15))
    assert task.deadline == date(2025, 4, 15)
    (change,) = db.session.scalars(select(DeadlineChange).where(DeadlineChange.task_id == task.id)).all()
    assert (change.old_deadline, change.new_deadline, change.extension_id) == (DEADLINE, date(2025, 4, 15), ext.id)
    assert "to 30/04/2025 — Approved until 15/04/2025" in page  # asked for, and granted
    assert "Đồng ý gia hạn đến 15/4 để kịp báo cáo quý." in page
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "task.extension_approved",
                                                        AuditEvent.object_id == task.id)).one()
    assert event.changes["asked"] == "2025-04-30"


def test_the_api_approves_another_date(published, login_as, db, app):  # noqa: F811
    from tracker.services.tokens import create_token

    task = published
    ext = ask(task, login_as)
    token = create_token(db.session.merge(ext.task.directive.on_behalf_of), "t")[1]
    db.session.commit()
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    with time_machine.travel(at(date(2025, 3, 27)), tick=False):
        refused = client.post(f"/api/v1/extensions/{ext.id}/approve", json={"deadline": "2025-04-15"},
                              headers=headers)
        assert refused.status_code == 422 and "note" in refused.get_json()["error"]["fields"]
        response = client.post(f"/api/v1/extensions/{ext.id}/approve",
                               json={"deadline": "2025-04-15", "note": "Đến 15/4."}, headers=headers)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert (body["state"], body["deadline"], body["approved_deadline"]) == ("approved", "2025-04-30", "2025-04-15")
    assert task.deadline == date(2025, 4, 15)
