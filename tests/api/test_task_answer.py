"""GET /tasks/{id} reads the task as plain rows (tracker.services.queries.task_records) and checks its reach on
them: its answer must be, byte for byte, the answer built from the Task object (tracker.api.common.task_response,
the answer of every edit), with the same ETag, and 404 exactly where the Task's loader answers 404 (outside reach,
a draft's task to the addressees): for every task, to every user, on every day (a past `as_of` reads the
deadline changes)."""
from __future__ import annotations

import json
from datetime import timedelta

from flask import g
from sqlalchemy import select
from werkzeug.exceptions import NotFound

from tests.api.test_list_items import _more_kinds_of_task
from tracker import views_util
from tracker.api.common import load_task, task_response
from tracker.database import db
from tracker.models import Task, User
from tracker.timeutil import today


def _object_answer(app, username: str, task_id: int, day, now):
    """(status, body, ETag) of the task as the Task object gives it, to `username`."""
    with app.test_request_context():
        g.api_user = db.session.scalar(select(User).where(User.username == username))
        try:
            response = task_response(load_task(task_id, options=(views_util.PARTS_OPTION,)), day, now)
        except NotFound:
            return 404, None, None
        return response.status_code, response.get_data(), response.headers["ETag"]


def test_one_task_read_as_rows_is_the_task_objects_answer(app, api):
    made = _more_kinds_of_task(api)
    now = today()
    ids = list(db.session.scalars(select(Task.id).order_by(Task.id)))
    assert made["periodic"] in ids and made["draft"] in ids
    assert db.session.scalar(select(Task.id).where(Task.parent_id.is_not(None)))  # sub-tasks among them
    extended = db.session.scalar(select(Task).where(Task.original_deadline != Task.deadline))
    moved_on = min(c.effective_on for c in extended.deadline_changes)
    days = [None, moved_on - timedelta(days=1), moved_on, now - timedelta(days=30), now + timedelta(days=10)]
    hidden = shown = 0
    for username in ("nga.tt", "thu.lt", "hai.nv", "an.pt", "admin"):
        for day in days:
            query = f"?as_of={day.isoformat()}" if day else ""
            for task_id in ids + [max(ids) + 1]:
                db.session.expire_all()  # each answer from the database, as a request's
                response = api.get(username, f"/tasks/{task_id}{query}")
                status, body, etag = _object_answer(app, username, task_id, day or now, now)
                assert response.status_code == status, (username, day, task_id)
                if status == 404:
                    hidden += 1
                    continue
                shown += 1
                assert response.get_json() == json.loads(body), (username, day, task_id)
                assert response.get_data() == body, (username, day, task_id)
                assert response.headers["ETag"] == etag
    assert hidden and shown
    # The draft's task: hidden from the lead unit's people, shown to the issuing side.
    assert api.get("hai.nv", f"/tasks/{made['draft']}").status_code == 404
    assert api.get("thu.lt", f"/tasks/{made['draft']}").status_code == 200
    assert api.get("thu.lt", "/tasks/0").status_code == 404
    assert api.get("thu.lt", f"/tasks/{2**31}").status_code == 404
