"""Every error of the contract, in its shape, and none of them changes anything."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from tests.api.conftest import error_of, task_id
from tracker.database import db
from tracker.models import AuditEvent, CompletionReport, Directive, ExtensionRequest, Notification, ProgressUpdate, Task

IPV6 = "Triển khai kế hoạch ứng dụng IPv6"
ONE_MB = 1024 * 1024


def snapshot():
    """Everything a bad request could have changed."""
    db.session.expire_all()
    counts = tuple(db.session.scalar(select(func.count()).select_from(model)) for model in (
        ProgressUpdate, CompletionReport, ExtensionRequest, Notification, Directive, Task))
    changes = db.session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action != "auth.denied"))
    tasks = tuple(db.session.execute(select(Task.id, Task.version, Task.progress, Task.state, Task.deadline,
                                            Task.title).order_by(Task.id)).all())
    return counts, changes, tasks


@pytest.fixture
def unchanged(api):
    for username in ("lan.nt", "nga.tt", "thu.lt", "hai.nv", "binh.lv"):
        api.token(username)
    before = snapshot()
    yield
    assert snapshot() == before


def post_raw(api, username, path, data: bytes | str, content_type="application/json", method="POST"):
    return api.request(method, username, path, data=data, headers={"Content-Type": content_type})


@pytest.mark.parametrize("data", ["{", '{"progress": 50,}', "{'progress': 50}", "[1, 2", "\xff\xfe{",
                                  '{"progress": NaN', "[" * 100000])
def test_malformed_json_is_400(api, unchanged, data):
    response = post_raw(api, "lan.nt", f"/tasks/{task_id(IPV6)}/updates", data)
    assert response.status_code == 400
    assert error_of(response)["code"] == "bad_request"


@pytest.mark.parametrize("data", ["[]", "42", '"text"', "null"])
def test_a_body_that_is_not_an_object_is_400(api, unchanged, data):
    response = post_raw(api, "lan.nt", f"/tasks/{task_id(IPV6)}/updates", data)
    assert response.status_code == 400


def test_form_data_is_not_json(api, unchanged):
    response = post_raw(api, "lan.nt", f"/tasks/{task_id(IPV6)}/updates", "progress=50&note=x",
                        "application/x-www-form-urlencoded")
    assert response.status_code == 400


@pytest.mark.parametrize("path", ["/tasks/{tid}/updates", "/extract", "/directives", "/tasks/{tid}"])
def test_a_body_over_one_megabyte_is_413(api, unchanged, path):
    body = json.dumps({"note": "x" * ONE_MB, "progress": 50, "text": "x" * ONE_MB})
    method = "PATCH" if path == "/tasks/{tid}" else "POST"
    response = post_raw(api, "nga.tt", path.format(tid=task_id(IPV6)), body, method=method)
    assert response.status_code == 413
    assert error_of(response)["code"] == "request_entity_too_large"


def test_the_limit_is_one_megabyte_exactly(api):
    from tracker.timeutil import today

    fields = {"number": "7/TB-UBND", "kind": "conclusion", "title": "Dài", "issued_on": today().isoformat()}
    text = "x" * (ONE_MB - len(json.dumps({**fields, "text": ""})))
    body = json.dumps({**fields, "text": text})
    assert len(body) == ONE_MB
    assert post_raw(api, "thu.lt", "/directives", body + " ").status_code == 413
    response = post_raw(api, "thu.lt", "/directives", body)
    assert response.status_code == 201, response.get_json()


def test_a_lying_content_length_is_413_before_reading(api, unchanged):
    response = api.request("POST", "lan.nt", f"/tasks/{task_id(IPV6)}/updates", data=b"{}",
                           headers={"Content-Type": "application/json"},
                           environ_overrides={"CONTENT_LENGTH": str(2 * ONE_MB)})
    assert response.status_code == 413


def test_422_names_each_field(api, unchanged):
    response = api.post("thu.lt", "/directives/1/tasks", {
        "title": 7, "lead_unit": "NOPE", "deadline": "2020-02-30", "colour": "blue", "priority": ["high"]})
    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == "invalid" and error["message"]
    assert set(error["fields"]) == {"title", "deadline", "colour", "priority"}  # types first, then lookups
    assert all(isinstance(reason, str) and reason for reason in error["fields"].values())
    lookups = api.post("thu.lt", "/directives/1/tasks", {"title": "X", "lead_unit": "NOPE", "deadline": None,
                                                         "cooperating_units": ["SNV", "ZZZ"], "assignee": "nobody"})
    assert set(error_of(lookups)["fields"]) == {"lead_unit", "cooperating_units", "assignee"}


def test_workflow_messages_are_the_pages_messages(api, unchanged):
    """The API says what the pages say (in the token user's language)."""
    from flask_babel import force_locale
    from flask_babel import gettext as _

    response = api.post("lan.nt", f"/tasks/{task_id(IPV6)}/updates", {"progress": 150, "note": "x"})
    with force_locale("vi"):
        assert error_of(response)["fields"]["progress"] == _("Progress is a percentage from 0 to 100.")


def test_stale_version_is_409(api, unchanged):
    tid = task_id(IPV6)
    version = db.session.get(Task, tid).version
    response = api.patch("thu.lt", f"/tasks/{tid}", {"title": "Mới", "version": version - 1})
    assert response.status_code == 409
    assert error_of(response)["code"] == "conflict"


def test_illegal_state_changes_are_409(api, unchanged):
    done = db.session.scalar(select(Task.id).where(Task.state == "done"))
    assert api.post("nga.tt", f"/tasks/{done}/confirm", {}).status_code == 409
    assert api.post("nga.tt", f"/tasks/{task_id(IPV6)}/return", {"reason": "x"}).status_code == 409
    waiting = db.session.scalar(select(ExtensionRequest.task_id).where(ExtensionRequest.state == "pending"))
    assert api.post("hai.nv", f"/tasks/{waiting}/extensions",
                    {"deadline": "2999-01-01", "reason": "x"}).status_code == 409  # one request at a time
    ongoing = db.session.scalar(select(Task.id).where(Task.deadline.is_(None), Task.assignee_id.is_(None)))
    assert api.post("hai.nv", f"/tasks/{ongoing}/extensions",
                    {"deadline": "2999-01-01", "reason": "x"}).status_code == 409  # nothing to extend


def test_403_and_404_carry_no_data(api, unchanged):
    tid = task_id(IPV6)
    forbidden = api.post("nga.tt", f"/tasks/{tid}/updates", {"progress": 1, "note": "x"})
    assert forbidden.status_code == 403 and error_of(forbidden)["code"] == "forbidden"
    hidden = api.post("binh.lv", f"/tasks/{tid}/updates", {"progress": 1, "note": "x"})
    missing = api.post("binh.lv", "/tasks/999999/updates", {"progress": 1, "note": "x"})
    assert hidden.status_code == missing.status_code == 404
    assert error_of(hidden) == error_of(missing)  # existence does not leak
    huge = api.get("nga.tt", "/tasks/99999999999999999999")
    assert huge.status_code == 404


def test_a_refusal_is_logged_as_on_the_pages(api):
    from tracker.errors import record_denied  # noqa: F401  (the pages' denial log)

    tid = task_id(IPV6)
    assert api.post("nga.tt", f"/tasks/{tid}/updates", {"progress": 1, "note": "x"}).status_code == 403
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "auth.denied"))
    assert event is not None and event.summary == f"POST /api/v1/tasks/{tid}/updates"
    assert event.actor.username == "nga.tt"
