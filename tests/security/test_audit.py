"""The audit log (reliability.md row 39, issue 9 item 6): every data change, denials, export, append-only.

tests/test_auth.py covers the sign-in events and the ORM guard on changing
an event; tests/test_admin.py the admin actions. Here:

- a directive's whole life through the pages: every request that changes
  data writes its own audit event (actor, object, aware UTC time, address);
- a refused request (403) writes `auth.denied` with its path;
- /admin/audit.csv gives the rows /admin/audit shows for the same filters,
  as UTF-8 with a BOM, admins only;
- no route of the app updates or deletes an audit row, whatever it is sent.
"""
from __future__ import annotations

import csv
import io
import re
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone

from sqlalchemy import event, func, select

from tests.security.helpers import form_payload, rules
from tracker.models import AuditEvent, Directive, Task, Unit, User
from tracker.timeutil import today

# Tables whose rows are the tracker's data (not its bookkeeping of sessions, logins, mail and notifications).
BOOKKEEPING = {"audit_event", "notification", "outbox_message", "login_attempt", "user_session", "api_token"}
STATEMENT_TABLE = re.compile(r'^(?:INSERT INTO|UPDATE|DELETE FROM)\s+"?(\w+)"?', re.I)


@contextmanager
def changed_tables(db):
    tables: list[str] = []

    def listener(conn, cursor, statement, parameters, context, executemany):
        match = STATEMENT_TABLE.match(statement.lstrip())
        if match:
            tables.append(match.group(1).lower())

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        yield tables
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)


def _id_from(response, pattern: str) -> int:
    return int(re.search(pattern, response.headers["Location"]).group(1))


def test_every_data_change_through_the_pages_is_audited(app, db, demo, login_as):
    users = {u.username: u for u in db.session.scalars(select(User))}
    ubnd = db.session.scalar(select(Unit).where(Unit.code == "UBND"))
    stttt = db.session.scalar(select(Unit).where(Unit.code == "SKHCN"))
    demo_task = db.session.scalar(select(Task).where(Task.title.startswith("Triển khai các giải pháp Chính phủ")))
    ids = {u: users[u].id for u in users}
    ubnd_id, stttt_id, demo_task_id = ubnd.id, stttt.id, demo_task.id
    clients = {name: login_as(name) for name in ("nga.tt", "thu.lt", "hai.nv", "lan.nt")}
    start = datetime.now(timezone.utc) - timedelta(seconds=1)
    later = (today() + timedelta(days=40)).isoformat()

    def do(who: str, url: str, data: dict, action: str, object_type: str = "task", object_id=None,
           changes_data: bool = True):
        last = db.session.scalar(select(AuditEvent.id).order_by(AuditEvent.id.desc()).limit(1)) or 0
        with changed_tables(db) as tables:
            response = clients[who].post(url, data=data)
        assert response.status_code == 302, (who, url, response.status_code,
                                             re.findall(r'flash-error[^>]*>([^<]*)', response.get_data(as_text=True)))
        data_tables = set(tables) - BOOKKEEPING
        assert data_tables or not changes_data, f"{url} changed nothing"
        assert "audit_event" in tables, f"{who} {url} changed {sorted(data_tables)} without an audit event"
        events = db.session.scalars(select(AuditEvent).where(AuditEvent.id > last).order_by(AuditEvent.id)).all()
        assert action in [e.action for e in events], (url, [e.action for e in events])
        mine = next(e for e in events if e.action == action)
        assert mine.actor_id == ids[who] and mine.object_type == object_type and mine.ip == "127.0.0.1"
        if object_id is not None:
            assert mine.object_id == object_id
        return response, mine

    response, created = do("nga.tt", "/directives/new", {
        "number": "50/TB-UBND", "kind": "conclusion", "issued_on": today().isoformat(), "issuing_unit_id": ubnd_id,
        "on_behalf_of_id": ids["nga.tt"], "title": "Kết luận giao ban tháng", "text": "Nội dung"},
        "directive.create", "directive")
    directive_id = created.object_id
    do("nga.tt", f"/directives/{directive_id}/edit", {
        "number": "50/TB-UBND", "kind": "conclusion", "issued_on": today().isoformat(), "issuing_unit_id": ubnd_id,
        "on_behalf_of_id": ids["nga.tt"], "title": "Kết luận giao ban tháng (sửa)", "text": "Nội dung"},
        "directive.update", "directive", directive_id)
    task_form = {"title": "Nhiệm vụ A", "lead_unit_id": stttt_id, "assignee_id": 0, "deadline": later,
                 "priority": "normal"}
    _r, event_a = do("nga.tt", f"/directives/{directive_id}/tasks/new", task_form, "task.create")
    a = event_a.object_id
    batch = {"rows-0-title": "Nhiệm vụ B", "rows-0-lead_unit_id": stttt_id, "rows-0-deadline": later,
             "rows-0-priority": "normal", "rows-1-title": "Nhiệm vụ C", "rows-1-lead_unit_id": stttt_id,
             "rows-1-deadline": later, "rows-1-priority": "normal", "submit": "1",
             # the page always sends its five rows; empty ones are skipped
             **{f"rows-{i}-priority": "normal" for i in range(2, 5)}}
    do("nga.tt", f"/directives/{directive_id}/tasks", batch, "task.create")
    b, c = db.session.scalars(select(Task.id).where(Task.directive_id == directive_id, Task.id != a)
                              .order_by(Task.id)).all()
    version = db.session.get(Task, b).version
    do("nga.tt", f"/tasks/{b}/edit", {**task_form, "title": "Nhiệm vụ B", "version": version,
                                       "deadline": (today() + timedelta(days=50)).isoformat()}, "task.update", "task", b)
    do("nga.tt", f"/tasks/{c}/move", {"direction": "up"}, "task.move", "task", c)
    do("nga.tt", f"/tasks/{c}/delete", {}, "task.delete", "task", c)
    do("nga.tt", f"/directives/{directive_id}/publish", {}, "directive.publish", "directive", directive_id)
    do("hai.nv", f"/tasks/{a}/assign", {"assignee_id": ids["lan.nt"], "version": db.session.get(Task, a).version},
       "task.assign", "task", a)
    do("lan.nt", f"/tasks/{a}/updates", {"progress": "40", "results": "Đã làm", "difficulties": "Thiếu kinh phí"},
       "task.progress", "task", a)
    update_id = db.session.get(Task, a).updates[0].id
    do("nga.tt", f"/tasks/{a}/updates/{update_id}/respond", {"response": "Đã chỉ đạo Sở Tài chính"},
       "task.respond", "task", a)
    do("lan.nt", f"/tasks/{a}/extensions", {"deadline": (today() + timedelta(days=45)).isoformat(),
                                             "reason": "Chờ kinh phí"}, "task.extension_request", "task", a)
    extension_id = db.session.get(Task, a).extensions[0].id
    do("nga.tt", f"/tasks/{a}/extensions/{extension_id}/decide", {"approve": "1", "note": "Đồng ý"},
       "task.extension_approved", "task", a)
    do("lan.nt", f"/tasks/{a}/complete", {"note": "Xong"}, "task.submit", "task", a)
    do("nga.tt", f"/tasks/{a}/return", {"reason": "Thiếu biên bản"}, "task.return", "task", a)
    do("lan.nt", f"/tasks/{a}/complete", {"note": "Đã bổ sung"}, "task.submit", "task", a)
    do("nga.tt", f"/tasks/{a}/confirm", {"note": ""}, "task.confirm", "task", a)
    do("nga.tt", f"/tasks/{b}/cancel", {"reason": "Không còn cần thiết"}, "task.cancel", "task", b)
    do("thu.lt", f"/tasks/{demo_task_id}/remind", {}, "task.remind", "task", demo_task_id, changes_data=False)
    do("hai.nv", f"/tasks/{demo_task_id}/subtasks/new", {
        "title": "Nhiệm vụ con", "lead_unit_id": db.session.scalar(select(Unit.id).where(Unit.code == "STTTT-CNTT")),
        "assignee_id": 0, "deadline": db.session.get(Task, demo_task_id).deadline.isoformat(), "priority": "normal"},
        "task.create")
    do("lan.nt", "/profile", {"language": "en", "email_notifications": "y"}, "user.profile", "user", ids["lan.nt"])

    events = db.session.scalars(select(AuditEvent).where(AuditEvent.at >= start)).all()
    assert events
    for event_row in events:
        assert event_row.at.tzinfo is not None and event_row.at.utcoffset() == timedelta(0)
        assert start <= event_row.at <= datetime.now(timezone.utc) + timedelta(seconds=1)
    # The task page shows the history it was given.
    page = clients["nga.tt"].get(f"/tasks/{a}").get_data(as_text=True)
    assert "Thiếu biên bản" in page


def test_a_refused_request_is_audited_with_its_path(app, db, demo, login_as):
    client = login_as("lan.nt")
    for method, url in (("GET", "/admin/users"), ("POST", "/admin/units/new"), ("GET", "/dashboard")):
        last = db.session.scalar(select(AuditEvent.id).order_by(AuditEvent.id.desc()).limit(1))
        response = client.open(url, method=method, data={"code": "X"})
        assert response.status_code == 403
        events = db.session.scalars(select(AuditEvent).where(AuditEvent.id > last)).all()
        assert [(e.action, e.summary, e.changes["path"], e.changes["method"]) for e in events] == [
            ("auth.denied", f"{method} {url}", url, method)]
        assert events[0].actor.username == "lan.nt" and events[0].at.utcoffset() == timedelta(0)
    assert db.session.scalar(select(Unit).where(Unit.code == "X")) is None
    # The admin can find them.
    admin = login_as("admin")
    page = admin.get("/admin/audit?action=auth.denied&actor=lan.nt").get_data(as_text=True)
    assert page.count("<code class=\"small muted\">auth.denied</code>") == 3


def _page_actions(admin, query: dict) -> list[str]:
    page = admin.get("/admin/audit", query_string={**query, "per_page": 200}).get_data(as_text=True)
    return re.findall(r'<code class="small muted">([^<]+)</code>', page)


def _csv_rows(admin, query: dict) -> list[dict]:
    response = admin.get("/admin/audit.csv", query_string=query)
    assert response.status_code == 200
    assert response.mimetype == "text/csv" and response.headers["Content-Disposition"].startswith("attachment")
    raw = response.get_data()
    assert raw.startswith("\ufeff".encode())
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


def test_the_csv_export_has_the_rows_of_the_page_for_the_same_filters(app, db, demo, login_as):
    client = login_as("lan.nt")
    client.get("/admin/audit")  # one denial to find
    admin = login_as("admin")
    lan = db.session.scalar(select(User).where(User.username == "lan.nt"))
    task_id = db.session.scalar(select(AuditEvent.object_id).where(AuditEvent.action == "task.progress").limit(1))
    for query in ({}, {"action": "task."}, {"action": "auth.denied"}, {"actor": "lan.nt"}, {"actor": "LAN.NT"},
                  {"object_type": "task", "object_id": task_id}, {"action": "task.progress", "actor": "lan.nt"},
                  {"action": "nothing-like-this"}):
        rows = _csv_rows(admin, query)
        assert [r["action"] for r in rows] == _page_actions(admin, query), query
    everything = _csv_rows(admin, {})
    assert len(everything) == db.session.scalar(select(func.count()).select_from(AuditEvent))
    mine = [r for r in everything if r["username"] == "lan.nt"]
    assert mine and all(r["full_name"] == "Nguyễn Thị Lan" for r in mine)
    for row in everything:
        assert row["time_utc"].endswith("+00:00") and row["time_local"].endswith("+07:00")
        datetime.fromisoformat(row["time_utc"])
    assert any(r["action"] == "auth.denied" and r["username"] == lan.username for r in everything)


def test_only_admins_export_the_audit_log(app, db, demo, login_as):
    for username in ("nga.tt", "thu.lt", "lan.nt"):
        assert login_as(username).get("/admin/audit.csv").status_code == 403
    assert app.test_client().get("/admin/audit.csv").status_code == 302


def test_no_route_changes_or_deletes_an_audit_row(make_app, app, db, demo):
    """Every method of every route, as an admin (pages) and with an admin token (API), with data in every field.

    Served by an app that answers 500 instead of raising, so one failing route does not end the walk.
    """
    from tracker.services.tokens import create_token

    app = make_app(PROPAGATE_TEST_ERRORS=False)

    from tracker.demo import add_unit

    admin_user = db.session.scalar(select(User).where(User.username == "admin"))
    _row, token = create_token(admin_user, "audit sweep")
    db.session.commit()
    first = {"task_id": db.session.scalar(select(Task.id).order_by(Task.id)),
             "directive_id": db.session.scalar(select(Directive.id).order_by(Directive.id)),
             "unit_id": add_unit("EMPTY", "Đơn vị trống").id,  # one the admin may delete
             "user_id": db.session.scalar(select(User.id).where(User.username == "phuc.nd")),
             "audit_id": 1}
    task = db.session.get(Task, first["task_id"])
    first.update(update_id=task.updates[0].id if task.updates else 1,
                 extension_id=task.extensions[0].id if task.extensions else 1)
    before = [(e.id, e.action, e.summary, e.at) for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))]
    client = app.test_client()
    assert client.post("/login", data={"username": "admin", "password": "tracker-demo"}).status_code == 302
    statements: list[str] = []

    def listener(conn, cursor, statement, parameters, context, executemany):
        if re.match(r'^\s*(UPDATE|DELETE FROM)\s+"?audit_event', statement, re.I):
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        ordered = sorted(rules(app), key=lambda r: r[1] == "auth.logout")  # sign out last
        for rule, endpoint, methods in ordered:
            values = {a: first.get(a, 1) for a in rule.arguments}
            values.update({a: "2030-01-02" for a in rule.arguments if a == "day"})
            values.update({a: "x" for a in rule.arguments if a in ("secret", "filename")})
            url = rule.build(values, append_unknown=False)[1]
            for method in methods:
                data = form_payload(first["unit_id"], first["user_id"])
                if url.startswith("/api/"):
                    response = client.open(url, method=method, headers={"Authorization": f"Bearer {token}"},
                                           json=None if method == "GET" else {"note": "x", "reason": "x"})
                else:
                    response = client.open(url, method=method, data=None if method == "GET" else data)
                response.close()
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert statements == []
    db.session.expire_all()
    after = {e.id: (e.id, e.action, e.summary, e.at) for e in db.session.scalars(select(AuditEvent))}
    assert all(after.get(row[0]) == row for row in before), "an audit row was changed or removed"
    assert len(after) > len(before)  # the sweep itself was recorded
