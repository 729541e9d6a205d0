"""The API's answers and its OpenAPI paths, held against a snapshot taken before a refactoring.

A change of structure (how the API declares, validates and serialises) must
not change what clients receive. The snapshot in `snapshots/api.json` was
written from the app as it stood; this test rebuilds the same answers, on a
fixed day, and compares them field by field. Timestamps (written by the
clock of the run) are replaced by a marker; in schemas, the prose
(descriptions, titles, examples) is not compared, only what they require. A documented addition to the
API updates the snapshot in the same commit, with the reason in its message.

Regenerate (only for a documented addition): `python -m tests.api.test_snapshot`.
"""
from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import time_machine

SNAPSHOT = Path(__file__).parent / "snapshots" / "api.json"
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(\+00:00|Z|[+-]\d\d:\d\d)$")

# (user, path): a few resources of each kind, as each kind of reader sees them.
READS = [
    ("hai.nv", "/units"),
    ("nga.tt", "/directives"),
    ("nga.tt", "/directives/1"),
    ("nga.tt", "/tasks?per_page=200"),
    ("hai.nv", "/tasks?status=overdue"),
    ("lan.nt", "/tasks"),
    ("nga.tt", "/tasks/2"),
    ("nga.tt", "/tasks/5"),
    ("nga.tt", "/tasks/5/updates"),
    ("nga.tt", "/tasks/4/updates"),
    ("nga.tt", "/tasks/4"),
    ("nga.tt", "/stats"),
    ("hai.nv", "/stats?unit=SKHCN"),
    ("hai.nv", "/notifications"),
    ("nga.tt", "/tasks/999999"),
    ("lan.nt", "/tasks?assignee=nobody.here"),
]


def _scrub(value):
    if isinstance(value, dict):
        return {k: _scrub(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub(v) for v in value]
    if isinstance(value, str) and TIMESTAMP.match(value):
        return "<timestamp>"
    return value


def _openapi_surface(spec: dict) -> dict:
    """Paths, methods, parameters (name, place, required, schema) and the status codes of each operation."""
    surface = {}
    for path, item in sorted(spec["paths"].items()):
        for method, op in sorted(item.items()):
            params = sorted((p["in"], p["name"], bool(p.get("required")),
                             json.dumps(_resolve(spec, p.get("schema", {})), sort_keys=True))
                            for p in op.get("parameters", []))
            body = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
            surface[f"{method.upper()} {path}"] = {
                "parameters": [list(p) for p in params],
                "body": _resolve(spec, body),
                "responses": sorted(op["responses"]),
            }
    return surface


def _resolve(spec: dict, schema):
    """The schema with its $refs replaced by what they name (so a move between components is not a change)."""
    if isinstance(schema, dict):
        if "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[-1]
            return _resolve(spec, spec["components"]["schemas"][name])
        return {k: ({name: _resolve(spec, sub) for name, sub in v.items()} if k == "properties" else _resolve(spec, v))
                for k, v in schema.items() if k not in ("description", "title", "example")}
    if isinstance(schema, list):
        return [_resolve(spec, v) for v in schema]
    return schema


def take(app, client) -> dict:
    """The answers of READS and the OpenAPI surface, as a JSON-ready dict."""
    from tests.api.conftest import Api
    from tracker.database import db
    from tracker.demo import load_demo

    with time_machine.travel(NOW, tick=False):
        load_demo()
        db.session.commit()
        api = Api(app, client)
        answers = {}
        for user, path in READS:
            response = api.get(user, path)
            answers[f"{user} GET {path}"] = {"status": response.status_code, "body": _scrub(response.get_json())}
        spec = client.get("/api/v1/openapi.json").get_json()
    return {"answers": answers, "openapi": _openapi_surface(spec)}


def test_api_answers_as_before(app, client):
    expected = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    actual = json.loads(json.dumps(take(app, client)))
    for key, answer in expected["answers"].items():
        assert actual["answers"][key] == answer, key
    assert actual["answers"].keys() == expected["answers"].keys()


def test_openapi_paths_and_parameters_as_before(app, client):
    expected = json.loads(SNAPSHOT.read_text(encoding="utf-8"))["openapi"]
    actual = json.loads(json.dumps(take(app, client)))["openapi"]
    assert sorted(actual) == sorted(expected)
    for operation, surface in expected.items():
        assert actual[operation]["parameters"] == surface["parameters"], operation
        assert actual[operation]["responses"] == surface["responses"], operation
        assert actual[operation]["body"] == surface["body"], operation


if __name__ == "__main__":  # regenerate the snapshot
    import tempfile

    from tests.conftest import RequestScopedClient
    from tracker import create_app
    from tracker.database import db as _db

    with tempfile.TemporaryDirectory() as folder:
        application = create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{folder}/snap.db",
                                 UPLOAD_FOLDER=f"{folder}/uploads", OUTBOX_FOLDER=f"{folder}/outbox")
        application.test_client_class = RequestScopedClient
        with application.app_context():
            _db.create_all()
            snapshot = take(application, application.test_client())
    SNAPSHOT.parent.mkdir(exist_ok=True)
    SNAPSHOT.write_text(json.dumps(snapshot, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {SNAPSHOT}")
