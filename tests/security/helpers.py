"""Helpers of the security tests: the URL map, write counting, readable bodies, request payloads."""
from __future__ import annotations

import io
import re
import zipfile
from contextlib import contextmanager
from datetime import timedelta

from flask import Flask
from sqlalchemy import event

from tracker.security import PUBLIC_ENDPOINTS
from tracker.timeutil import today

# The API's own public endpoint: tracker/api/auth.py lets the OpenAPI description through without a token.
API_PUBLIC_ENDPOINTS = {"api.openapi"}
STATE_CHANGING = ("POST", "PUT", "PATCH", "DELETE")
SWEEP_TEXT = "SWEEP-WRITE"
# Writes a refused request may still cause: its own audit row, and an API token's "last used" time.
ALLOWED_WRITES = (re.compile(r"^INSERT INTO \"?audit_event\"?", re.I), re.compile(r"^UPDATE \"?api_token\"? SET", re.I))


def is_public(app: Flask, endpoint: str) -> bool:
    return (endpoint in PUBLIC_ENDPOINTS or endpoint in API_PUBLIC_ENDPOINTS
            or bool(getattr(app.view_functions.get(endpoint), "public", False)))


def rules(app: Flask):
    """(rule, endpoint, methods) of every route but static files, methods without HEAD and OPTIONS."""
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        found.append((rule, rule.endpoint, sorted(rule.methods - {"HEAD", "OPTIONS"})))
    return sorted(found, key=lambda r: (r[0].rule, r[1]))


@contextmanager
def count_writes(db, ignore_allowed: bool = True):
    """Collect the INSERT/UPDATE/DELETE statements sent to the database in the block."""
    writes: list[str] = []

    def listener(conn, cursor, statement, parameters, context, executemany):
        sql = statement.lstrip()
        if sql.split(" ", 1)[0].upper() not in ("INSERT", "UPDATE", "DELETE"):
            return
        if ignore_allowed and any(p.match(sql) for p in ALLOWED_WRITES):
            return
        writes.append(sql[:120])

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        yield writes
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)


def readable_text(response) -> str:
    """The text of a response, unzipping .xlsx and .docx files so their words can be searched."""
    data = response.get_data()
    if data[:4] == b"PK\x03\x04":
        parts = []
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for name in archive.namelist():
                if name.endswith(".xml"):
                    parts.append(archive.read(name).decode("utf-8", "replace"))
        return "\n".join(parts)
    return data.decode("utf-8", "replace")


def form_payload(foreign_unit_id: int, assignee_id: int, version: int = 1) -> dict:
    """Plausible values for every form field of the app, so a missing check would really write."""
    later = (today() + timedelta(days=90)).isoformat()
    return {
        "progress": "55", "results": SWEEP_TEXT, "difficulties": SWEEP_TEXT, "proposals": "", "report_number": "",
        "note": SWEEP_TEXT, "reason": SWEEP_TEXT, "response": SWEEP_TEXT, "deadline": later, "approve": "1",
        "direction": "up", "title": SWEEP_TEXT, "description": SWEEP_TEXT, "number": "SWEEP/1", "kind": "plan",
        "issued_on": today().isoformat(), "priority": "normal", "issuing_unit_id": str(foreign_unit_id),
        "lead_unit_id": str(foreign_unit_id), "assignee_id": str(assignee_id), "version": str(version),
        "text": SWEEP_TEXT, "signer": SWEEP_TEXT, "tags": "", "name": SWEEP_TEXT, "scope": "mine",
        "rows-0-title": SWEEP_TEXT, "rows-0-lead_unit_id": str(foreign_unit_id), "rows-0-deadline": later,
        "rows-0-priority": "normal", "save": "1",
    }


def json_payload(foreign_unit_code: str, assignee: str, version: int = 1) -> dict:
    later = (today() + timedelta(days=90)).isoformat()
    return {
        "progress": 55, "note": SWEEP_TEXT, "difficulties": SWEEP_TEXT, "proposals": "", "report_number": "",
        "reason": SWEEP_TEXT, "deadline": later, "title": SWEEP_TEXT, "description": SWEEP_TEXT,
        "number": "SWEEP/1", "kind": "plan", "issued_on": today().isoformat(), "priority": "normal",
        "issuing_unit": foreign_unit_code, "lead_unit": foreign_unit_code, "assignee": assignee,
        "version": version, "text": SWEEP_TEXT, "signer": SWEEP_TEXT,
    }


class ApiBodies:
    """Request bodies for the API built from its own OpenAPI description (only the fields it accepts)."""

    def __init__(self, app: Flask):
        client = app.test_client()
        self.spec = client.get("/api/v1/openapi.json").get_json() or {}

    def _schema(self, path: str, method: str) -> dict | None:
        op = self.spec.get("paths", {}).get(path, {}).get(method.lower())
        if not op:
            return None
        schema = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
        while schema and "$ref" in schema:
            schema = self.spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
        return schema

    def body(self, rule: str, method: str, values: dict) -> dict:
        path = re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule.removeprefix("/api/v1"))
        schema = self._schema(path, method)
        if schema is None:
            return dict(values)
        return {name: values[name] for name in schema.get("properties", {}) if name in values}
