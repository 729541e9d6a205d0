"""No state change via GET (reliability.md row 28) and CSRF accepted with a valid token (row 27).

tests/test_reach.py walks the GET pages as each role with a statement
counter, and tests/test_auth.py checks that every state-changing route
refuses a request without a CSRF token. This file adds:

- the GET walk through the ORM (a `before_flush` counter): pages and the API
  (with bearer tokens), with filters and paging in the query string, as each
  kind of user: nothing is ever flushed (a refusal's `auth.denied` aside);
- the other half of row 27: with CSRF on, every state-changing page route
  accepts a request carrying a valid `X-CSRFToken` header (never the 400 of
  a missing or bad token), and rejects one carrying another session's token.
"""
from __future__ import annotations

import re
from contextlib import contextmanager
from datetime import timedelta

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from tests.security.helpers import form_payload, rules
from tracker.models import AuditEvent, Directive, Notification, Task, Unit, User
from tracker.services.tokens import create_token
from tracker.timeutil import today

CSRF_MESSAGES = ("Your form has expired or was sent from another site",
                 "Biểu mẫu đã hết hạn hoặc được gửi từ trang khác")
QUERY = {"page": 1, "per_page": 5, "view": "all", "status": "overdue", "q": "IPv6", "unread": "1",
         "as_of": (today() - timedelta(days=30)).isoformat(), "period": "quarter", "sort": "progress"}


@contextmanager
def flushes():
    """Record every object the ORM is about to write (new, changed or deleted), in any session."""
    seen: list[str] = []

    def before_flush(session, flush_context, instances):
        for obj in list(session.new) + list(session.dirty) + list(session.deleted):
            if isinstance(obj, AuditEvent) and obj.action == "auth.denied":
                continue
            if obj in session.dirty and not session.is_modified(obj):
                continue
            seen.append(f"{type(obj).__name__} {getattr(obj, 'id', '')}")

    event.listen(Session, "before_flush", before_flush)
    try:
        yield seen
    finally:
        event.remove(Session, "before_flush", before_flush)


def _values(db) -> dict:
    task = db.session.scalar(select(Task).where(Task.updates.any(), Task.extensions.any()).order_by(Task.id))
    return {"task_id": task.id, "directive_id": task.directive_id, "update_id": task.updates[0].id,
            "extension_id": task.extensions[0].id, "attachment_id": 1,
            "notification_id": db.session.scalar(select(Notification.id).order_by(Notification.id)),
            "unit_id": db.session.scalar(select(Unit.id).order_by(Unit.id)),
            "user_id": db.session.scalar(select(User.id).order_by(User.id)), "token_id": 1, "feed_id": 1,
            "day": "2030-01-02", "secret": "x", "filename": "css/app.css"}


def test_get_requests_never_flush_anything(app, db, demo, login_as):
    values = _values(db)
    callers = ("admin", "lan.nt")  # everything in reach; staff (tests/test_reach.py walks every role)
    tokens = {name: create_token(db.session.scalar(select(User).where(User.username == name)), "state")[1]
              for name in callers}
    db.session.commit()
    clients = {name: login_as(name) for name in callers}
    api = app.test_client()
    checked = 0
    with flushes() as written:
        for name in callers:
            for rule, endpoint, methods in rules(app):
                if "GET" not in methods:
                    continue
                url = rule.build({a: values[a] for a in rule.arguments}, append_unknown=False)[1]
                if url.startswith("/api/"):
                    response = api.get(url, query_string=QUERY, headers={"Authorization": f"Bearer {tokens[name]}"})
                else:
                    response = clients[name].get(url, query_string=QUERY)
                response.close()
                assert response.status_code < 500, (name, url)
                checked += 1
    assert written == [], written[:10]
    assert checked > 80
    # Reading the notifications did not mark them read; opening one (a POST) does.
    lan = db.session.scalar(select(User).where(User.username == "lan.nt"))
    assert db.session.scalar(select(Notification.id).where(Notification.user_id == lan.id,
                                                           Notification.read_at.is_(None)).limit(1))


def _token(page_html: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"',
                     page_html).group(0).rsplit('"', 2)[-2]


def test_a_valid_csrf_header_is_accepted_on_every_state_changing_route(make_app, app, db, demo):
    secure = make_app(WTF_CSRF_ENABLED=True)
    values = _values(db)
    from tracker.demo import add_unit

    values["unit_id"] = add_unit("EMPTY", "Đơn vị trống").id  # one the admin may delete
    db.session.commit()
    values["user_id"] = db.session.scalar(select(User.id).where(User.username == "phuc.nd"))
    draft_unit = db.session.scalar(select(Directive.issuing_unit_id).order_by(Directive.id))
    client = secure.test_client()
    token = _token(client.get("/login").get_data(as_text=True))
    assert client.post("/login", data={"username": "admin", "password": "tracker-demo", "csrf_token": token},
                       headers={"X-CSRFToken": token}).status_code == 302
    token = _token(client.get("/profile").get_data(as_text=True))
    # Another browser's token is refused here.
    other = secure.test_client()
    foreign_token = _token(other.get("/login").get_data(as_text=True))
    refused = client.post("/profile", data={"language": "vi"}, headers={"X-CSRFToken": foreign_token})
    assert refused.status_code == 400 and any(m in refused.get_data(as_text=True) for m in CSRF_MESSAGES)

    checked = []
    ordered = sorted(rules(secure), key=lambda r: r[1] in ("auth.logout", "auth.login"))  # sign out last
    for rule, endpoint, methods in ordered:
        if rule.rule.startswith("/api/"):
            continue  # bearer tokens only, no cookie: exempt from CSRF (tests/test_auth.py)
        for method in sorted(set(methods) & {"POST", "PUT", "PATCH", "DELETE"}):
            url = rule.build({a: values[a] for a in rule.arguments}, append_unknown=False)[1]
            data = form_payload(draft_unit, values["user_id"])
            response = secure_request(client, method, url, data, token)
            body = response.get_data(as_text=True)
            response.close()
            assert not any(m in body for m in CSRF_MESSAGES), (method, url, response.status_code)
            assert response.status_code != 400 or endpoint == "auth.login", (method, url)
            checked.append(endpoint)
    assert {"auth.logout", "main.profile", "tasks.post_update", "directives.new", "admin.unit_new",
            "notifications.read_all"} <= set(checked)


def secure_request(client, method, url, data, token):
    return client.open(url, method=method, data=data, headers={"X-CSRFToken": token})
