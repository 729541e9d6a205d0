"""Security headers on every response (reliability.md row 36) and a production config that fails safe (row 40).

Every GET route of the URL map, as a visitor and as an admin (who reaches
every object), plus redirects, 404, 405, 500, the 503 of a lost database,
JSON, downloads and exports: each answer carries a strict CSP, nosniff,
frame denial, a Referrer-Policy and HSTS. HTML pages hold no inline script,
event handler or style attribute, so the CSP never breaks them silently.
"""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tests.security.helpers import is_public, rules
from tracker import create_app
from tracker.database import db as _db
from tracker.models import ApiToken, Attachment, CalendarFeed, Notification, Unit, User

HSTS_MIN = 31536000


def parse_csp(value: str) -> dict[str, list[str]]:
    directives = {}
    for part in value.split(";"):
        words = part.split()
        if words:
            directives[words[0].lower()] = words[1:]
    return directives


def check_headers(response, where) -> None:
    headers = response.headers
    csp = parse_csp(headers.get("Content-Security-Policy", ""))
    assert csp, f"{where}: no CSP"
    assert "frame-ancestors" in csp, where
    assert csp["frame-ancestors"] in (["'none'"], ["'self'"]), where
    if "sandbox" not in csp:  # downloads carry "sandbox; default-src 'none'"
        script = csp.get("script-src", csp.get("default-src"))
        assert script is not None, where
        assert not {"'unsafe-inline'", "'unsafe-eval'", "*", "data:", "http:", "https:"} & set(script), where
        assert csp.get("object-src") == ["'none'"], where
        assert csp.get("base-uri") in (["'self'"], ["'none'"]), where
    else:
        assert csp.get("default-src") == ["'none'"], where
    assert headers.get("X-Content-Type-Options") == "nosniff", where
    assert headers.get("X-Frame-Options") == "DENY", where
    assert headers.get("Referrer-Policy") in ("same-origin", "no-referrer", "strict-origin-when-cross-origin",
                                              "strict-origin"), where
    hsts = headers.get("Strict-Transport-Security", "")
    match = re.search(r"max-age=(\d+)", hsts)
    assert match and int(match.group(1)) >= HSTS_MIN, f"{where}: {hsts!r}"
    assert "includesubdomains" in hsts.lower(), where


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
INLINE_STYLE = re.compile(r"<[^>]+\sstyle\s*=", re.I)


def check_html(response, where) -> None:
    if not response.mimetype == "text/html":
        return
    body = response.get_data(as_text=True)
    assert not INLINE_SCRIPT.search(body), f"{where}: inline <script> (blocked by the CSP)"
    assert not INLINE_HANDLER.search(body), f"{where}: inline event handler (blocked by the CSP)"
    assert not INLINE_STYLE.search(body), f"{where}: style attribute (blocked by the CSP's style-src)"


def _first(db, model, column=None):
    return db.session.scalar(select(column if column is not None else model.id).order_by(model.id).limit(1))


def _values(db, world) -> dict:
    task = world.tasks["SNV"]
    return {"task_id": task.id, "directive_id": task.directive_id, "attachment_id": _first(db, Attachment),
            "update_id": task.updates[0].id, "extension_id": task.extensions[0].id,
            "notification_id": _first(db, Notification), "token_id": _first(db, ApiToken),
            "feed_id": _first(db, CalendarFeed), "unit_id": _first(db, Unit), "user_id": _first(db, User),
            "day": "2030-01-02", "secret": "not-a-secret", "filename": "css/app.css"}


def test_every_get_route_has_the_headers_for_visitors_and_signed_in_users(app, db, world, login_as):
    values = _values(db, world)
    admin = login_as("admin")
    visitor = app.test_client()
    from tracker.services.tokens import create_token

    _row, token = create_token(world.user("admin"), "headers")
    db.session.commit()
    api = app.test_client()
    seen_status = set()
    for rule, endpoint, methods in rules(app) + [(next(r for r in app.url_map.iter_rules() if r.endpoint == "static"),
                                                  "static", ["GET"])]:
        if "GET" not in methods:
            continue
        url = rule.build({a: values[a] for a in rule.arguments}, append_unknown=False)[1]
        for who, client, headers in (("visitor", visitor, {}), ("admin", admin, {}),
                                     ("token", api, {"Authorization": f"Bearer {token}"})):
            if who == "token" and not url.startswith("/api/"):
                continue
            response = client.get(url, headers=headers)
            response.get_data()
            response.close()  # downloads hold their file open until closed
            where = f"{who} GET {url} -> {response.status_code}"
            assert response.status_code < 500, where
            seen_status.add(response.status_code)
            check_headers(response, where)
            check_html(response, where)
            if who != "visitor" and response.status_code == 200 and not is_public(app, endpoint):
                assert "no-store" in response.headers.get("Cache-Control", ""), f"{where}: cacheable private page"
    assert {200, 302, 401} <= seen_status


def test_error_answers_have_the_headers(make_app, app, db, world, login_as):
    """404, 405, 400 (CSRF), 413, 403 and a forced 500, for pages and the API."""
    from tracker.services.tokens import create_token

    crashing = make_app(PROPAGATE_TEST_ERRORS=False, WTF_CSRF_ENABLED=True, MAX_CONTENT_LENGTH=1024)

    def boom():
        raise RuntimeError("secret detail of the crash")

    boom.public = True
    crashing.add_url_rule("/test-only/boom", "test_boom", boom)
    crashing.add_url_rule("/api/v1/test-only/boom", "test_api_boom", boom)
    client = crashing.test_client()
    _row, token = create_token(world.user("lan.nt"), "headers")
    db.session.commit()
    cases = [
        ("GET", "/no-such-page", {}, 302),  # signed out: to sign in first
        ("GET", "/test-only/boom", {}, 500),
        ("GET", "/api/v1/test-only/boom", {}, 500),
        ("GET", "/api/v1/no-such-thing", {"Authorization": f"Bearer {token}"}, 404),
        ("GET", "/api/v1/tasks/999999", {"Authorization": f"Bearer {token}"}, 404),
        ("DELETE", "/api/v1/tasks", {"Authorization": f"Bearer {token}"}, 405),
        ("POST", "/login", {}, 400),  # no CSRF token
        ("POST", "/login", {"Content-Length": "4096"}, 413),
    ]
    for method, url, headers, expected in cases:
        data = "x" * 4096 if expected == 413 else None
        response = client.open(url, method=method, headers=headers, data=data)
        where = f"{method} {url} -> {response.status_code}"
        assert response.status_code == expected, where
        check_headers(response, where)
        body = response.get_data(as_text=True)
        assert "secret detail" not in body and "Traceback" not in body, where
    signed_in = login_as("lan.nt")
    for url, expected in (("/no-such-page", 404), ("/admin/units", 403), ("/tasks/999999", 404)):
        response = signed_in.get(url)
        assert response.status_code == expected, url
        check_headers(response, url)
        check_html(response, url)
    response = signed_in.open("/tasks", method="DELETE")
    assert response.status_code == 405
    check_headers(response, "DELETE /tasks")


@pytest.fixture
def production(tmp_path):
    from tracker.demo import add_unit, add_user

    app = create_app("production", SECRET_KEY="p" * 64, BASE_URL="https://tracker.example.gov.vn",
                     SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'prod.db'}",
                     UPLOAD_FOLDER=str(tmp_path / "uploads"), OUTBOX_FOLDER=str(tmp_path / "outbox"))

    def boom():
        raise KeyError("secret detail of the crash")

    boom.public = True
    app.add_url_rule("/test-only/boom", "test_boom", boom)
    app.add_url_rule("/api/v1/test-only/boom", "test_api_boom", boom)
    with app.app_context():
        _db.create_all()
        add_user("lan.nt", "Nguyễn Thị Lan", add_unit("UBND", "Ủy ban nhân dân tỉnh", kind="province"), "staff",
                 password="tracker-demo")
        _db.session.commit()
    yield app
    with app.app_context():
        _db.session.remove()
        _db.engine.dispose()


def test_production_fails_safe_for_pages_and_json(production):
    """tests/test_auth.py checks the 500 page; here: its headers, the JSON 500, and nothing debug-like is on."""
    assert production.debug is False and production.testing is False
    assert production.config["PROPAGATE_EXCEPTIONS"] in (None, False)
    assert production.config["SESSION_COOKIE_SECURE"] is True
    client = production.test_client()
    base = "https://tracker.example"
    page = client.get("/test-only/boom", base_url=base)
    assert page.status_code == 500
    check_headers(page, "production 500 page")
    check_html(page, "production 500 page")
    api = client.get("/api/v1/test-only/boom", base_url=base)
    assert api.status_code == 500
    assert api.get_json() == {"error": {"code": "internal_error", "message": "Internal error", "fields": {}}}
    check_headers(api, "production 500 JSON")
    for response in (page, api):
        body = response.get_data(as_text=True)
        for leak in ("Traceback", "KeyError", "secret detail", "test_headers.py", "werkzeug"):
            assert leak not in body
    missing = client.get("/login/../../etc/passwd", base_url=base)
    assert missing.status_code in (302, 404)
    check_headers(missing, "production 404")
    # The Werkzeug debugger is not reachable.
    assert client.get("/console", base_url=base).status_code in (302, 404)
    resource = client.get("/?__debugger__=yes&cmd=resource&f=style.css", base_url=base)
    assert resource.status_code == 302 and resource.mimetype != "text/css"


def test_downloads_are_attachments_with_a_sandbox_csp(app, db, world, login_as):
    """A stored file is never rendered by the browser: attachment, nosniff, sandbox, its sniffed type."""
    client = login_as("binh.lv")
    attachment = world.directives["SNV"].attachments[0]
    response = client.get(f"/attachments/{attachment.id}")
    assert response.status_code == 200
    check_headers(response, "download")
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert parse_csp(response.headers["Content-Security-Policy"]).keys() >= {"sandbox", "default-src"}
    assert response.mimetype == attachment.content_type == "image/png"
    assert response.get_data()[:8] == b"\x89PNG\r\n\x1a\n"
    response.close()
    assert response.headers["Cache-Control"] == "no-store"

