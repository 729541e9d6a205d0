"""Fixtures of the API tests: a bearer token per demo user and a client that sends it."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from tracker.database import db as _db
from tracker.models import User
from tracker.services.tokens import create_token


class Api:
    """Send API requests as a demo user: api.get("lan.nt", "/tasks")."""

    def __init__(self, app, client):
        self.app, self.client, self.tokens = app, client, {}

    def token(self, username: str) -> str:
        if username not in self.tokens:
            user = _db.session.scalar(select(User).where(User.username == username))
            _row, self.tokens[username] = create_token(user, "tests")
            _db.session.commit()
        return self.tokens[username]

    def headers(self, username: str | None, extra: dict | None = None) -> dict:
        headers = {"Authorization": f"Bearer {self.token(username)}"} if username else {}
        headers.update(extra or {})
        return headers

    def request(self, method: str, username: str | None, path: str, json_body=None, data=None, headers=None,
                **kwargs):
        if json_body is not None:
            data = json.dumps(json_body)
            headers = {"Content-Type": "application/json", **(headers or {})}
        return self.client.open("/api/v1" + path, method=method, data=data,
                                headers=self.headers(username, headers), **kwargs)

    def get(self, username, path, **kwargs):
        return self.request("GET", username, path, **kwargs)

    def post(self, username, path, json_body=None, **kwargs):
        return self.request("POST", username, path, json_body=json_body if json_body is not None else {}, **kwargs)

    def patch(self, username, path, json_body=None, **kwargs):
        return self.request("PATCH", username, path, json_body=json_body, **kwargs)


@pytest.fixture
def api(app, demo, client):
    return Api(app, client)


def task_id(title_start: str) -> int:
    """The id of the demo task whose title starts with `title_start`."""
    from tracker.models import Task

    return _db.session.scalar(select(Task.id).where(Task.title.startswith(title_start)))


def error_of(response) -> dict:
    body = response.get_json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message", "fields"}, body
    return body["error"]
