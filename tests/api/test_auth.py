"""Bearer tokens: the only way into the API; revocable, hashed, used with their user's role and reach."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.api.conftest import error_of
from tracker.database import db
from tracker.models import ApiToken, AuditEvent, User
from tracker.models.user import hash_token
from tracker.timeutil import utcnow


def _user(username: str) -> User:
    return db.session.scalar(select(User).where(User.username == username))


@pytest.mark.parametrize("header", [None, "", "Bearer", "Bearer ", "Basic bGFuLm50OnRyYWNrZXItZGVtbw==",
                                    "Bearer not-a-token", "Token trk_abc"])
def test_no_or_bad_token_is_401(api, client, header):
    headers = {"Authorization": header} if header is not None else {}
    response = client.get("/api/v1/tasks", headers=headers)
    assert response.status_code == 401
    assert error_of(response)["code"] == "unauthorized"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert "125/TB-UBND" not in response.get_data(as_text=True)


def test_a_token_acts_as_its_user(api):
    response = api.get("lan.nt", "/tasks")
    assert response.status_code == 200
    titles = [t["title"] for t in response.get_json()["items"]]
    assert "Triển khai kế hoạch ứng dụng IPv6" in titles
    assert all("phát thanh" not in t for t in titles)  # a task lan.nt may not see


def test_tokens_are_stored_hashed_with_a_recognisable_prefix(api):
    token = api.token("lan.nt")
    row = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(token)))
    assert row is not None and row.user.username == "lan.nt"
    assert token.startswith("trk_") and len(token) > 40
    assert row.prefix == token[:12] and token not in (row.token_hash, row.prefix, row.name)
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "api_token.create",
                                                      AuditEvent.object_id == row.id)) is not None


def test_a_revoked_token_is_refused(api):
    token = api.token("lan.nt")
    assert api.get("lan.nt", "/tasks").status_code == 200
    row = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(token)))
    row.revoked_at = utcnow()
    db.session.commit()
    response = api.get("lan.nt", "/tasks")
    assert response.status_code == 401
    assert error_of(response)["code"] == "unauthorized"


def test_an_inactive_users_token_is_refused(api):
    api.token("lan.nt")
    _user("lan.nt").active = False
    db.session.commit()
    assert api.get("lan.nt", "/tasks").status_code == 401


def test_a_session_cookie_does_not_authenticate_the_api(api, login_as):
    browser = login_as("nga.tt")
    assert browser.get("/tasks").status_code == 200  # signed in for the pages
    for method, path in [("GET", "/tasks"), ("GET", "/units"), ("POST", "/tasks/1/cancel")]:
        response = browser.open("/api/v1" + path, method=method, json={"reason": "x"})
        assert response.status_code == 401, (method, path)
        assert "Set-Cookie" not in response.headers


def test_the_token_user_wins_over_a_session_cookie(api, login_as):
    browser = login_as("nga.tt")  # sees everything
    response = browser.get("/api/v1/tasks", headers=api.headers("lan.nt"))
    assert response.status_code == 200
    assert response.get_json()["total"] == 2  # lan.nt's reach: her task and her division's sub-task


def test_csrf_does_not_apply_to_token_requests(app, api):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = api.post("nga.tt", "/tasks/6/cancel", {"reason": "Không còn phù hợp"})
        assert response.status_code == 200, response.get_json()
        assert response.get_json()["state"] == "cancelled"
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_last_used_is_recorded_at_most_once_a_minute(api):
    token = api.token("lan.nt")
    row = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(token)))
    assert row.last_used_at is None
    assert api.get("lan.nt", "/units").status_code == 200
    db.session.refresh(row)
    first = row.last_used_at
    assert first is not None and utcnow() - first < timedelta(seconds=30)
    assert api.post("lan.nt", "/tasks/999999/cancel", {"reason": "x"}).status_code == 404
    db.session.refresh(row)
    assert row.last_used_at == first  # within the minute: no write
    row.last_used_at = first - timedelta(minutes=2)
    db.session.commit()
    assert api.get("lan.nt", "/units").status_code == 200
    db.session.refresh(row)
    assert row.last_used_at > first


def test_the_description_needs_no_token(client):
    assert client.get("/api/v1/openapi.json").status_code == 200


def test_unknown_api_urls_answer_json(api, client):
    for path in ("/api/v1/nothing", "/api/v1/tasks/-1", "/api/v2/tasks"):
        response = client.get(path, headers=api.headers("lan.nt"))
        assert response.status_code == 404, path
        assert error_of(response)["code"] == "not_found"
    response = api.request("DELETE", "lan.nt", "/tasks/1")
    assert response.status_code == 405
    assert error_of(response)["code"] == "method_not_allowed"


# --- the command line -------------------------------------------------------------------------

def test_cli_prints_a_working_token_once(app, demo, client):
    result = app.test_cli_runner().invoke(args=["users", "token", "lan.nt", "--name", "script"])
    assert result.exit_code == 0, result.output
    token = result.stdout.strip()
    assert re.fullmatch(r"trk_[A-Za-z0-9_-]{40,}", token)
    assert "shown once" in result.stderr
    row = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(token)))
    assert row.name == "script" and row.user.username == "lan.nt"
    response = client.get("/api/v1/tasks", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    again = app.test_cli_runner().invoke(args=["users", "token", "lan.nt"])
    assert again.stdout.strip() != token  # a new token each time; the old one is never printed again


@pytest.mark.parametrize("args", [["users", "token", "nobody"], ["users", "token", "lan.nt", "--name", " "]])
def test_cli_refuses_bad_input(app, demo, args):
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code != 0
    assert db.session.scalar(select(ApiToken)) is None


def test_cli_refuses_an_inactive_user(app, demo):
    _user("lan.nt").active = False
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["users", "token", "lan.nt"])
    assert result.exit_code != 0 and "inactive" in result.output
