"""Stored and reflected XSS are inert (reliability.md row 35), formula injection is neutralised.

Script payloads go into every kind of user text (a directive's number,
summary and text; a task title; a progress note; an extension reason; a
unit's name; a user's full name; an attachment's file name). Then every GET
route of the URL map is rendered, with the ids of those objects, for an
admin, a province leader and the staff member concerned: no HTML page holds
the payload unescaped. The same holds for the e-mails, the exports (where
`=`, `+`, `-`, `@` at a cell's start are neutralised) and the calendar feed.
A real browser (Playwright + chromium) opens the pages and no dialog fires,
even with the CSP bypassed.
"""
from __future__ import annotations

import csv
import io
import re
import socket
import threading
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.factories import Factory
from tests.security.helpers import is_public, readable_text, rules
from tracker.database import db as _db
from tracker.mail import AppMailer
from tracker.models import Notification, OutboxMessage, Task, Unit, User
from tracker.timeutil import today

IMG = "<img src=x onerror=alert(1)>"
SCRIPT = "<script>alert(1)</script>"
QUOTE = "\"'><svg onload=alert(1)>"
# What must never appear in an HTML page: the tags themselves, unescaped.
RAW = ("<img src=x", "<script>alert", "<svg onload")
ESCAPED_IMG = "&lt;img src=x onerror=alert(1)&gt;"
FORMULAS = ("=1+1", "+cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)")
ICS_INJECTION = "Lịch\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:injected"


def build_xss_data() -> dict:
    """Payloads in every kind of user text, on top of the demo data (committed)."""
    from tracker.demo import add_unit, add_user

    ubnd = _db.session.scalar(select(Unit).where(Unit.code == "UBND"))
    unit = add_unit("XSS", f"Phòng {IMG}", short_name=f"P {SCRIPT}", parent=ubnd, kind="department")
    person = add_user("xss.user", f"Người {SCRIPT} {QUOTE}", unit, "staff", password="tracker-demo",
                      position_title=IMG)
    _db.session.flush()
    make = Factory()
    day = today()
    directive = make.directive("nga.tt", f"{SCRIPT}/TB", title=f"Văn bản {IMG} {QUOTE}", issued_on=day - timedelta(days=3),
                               signer=IMG, text=f"Nội dung {SCRIPT}\n{IMG}")
    tasks = [make.add_task(directive, title, description=f"Mô tả {IMG}", lead=unit, assignee=person, deadline=deadline,
                           tags=[IMG], on=day - timedelta(days=3))
             for title, deadline in [(f"Nhiệm vụ {IMG} {SCRIPT} {QUOTE}", day + timedelta(days=1))]
             + [(f, day + timedelta(days=2 + i)) for i, f in enumerate(FORMULAS)]
             + [(ICS_INJECTION, day + timedelta(days=9))]]
    make.publish(directive, on=day - timedelta(days=3))
    main = tasks[0]
    update = make.report(main, person, on=day, progress=30, results=f"Kết quả {SCRIPT}", difficulties=f"Vướng {IMG}",
                         proposals=QUOTE, report_number=SCRIPT)
    attachment = make.attach(f"{QUOTE}{IMG}.png", person, update=update)
    make.extend(main, person, to=day + timedelta(days=30), asked=day, reason=f"Lý do {IMG}")
    _db.session.commit()
    return {"unit": unit, "user": person, "directive": directive, "task": main, "tasks": tasks, "update": update,
            "attachment": attachment}


@pytest.fixture
def xss(app, demo):
    return build_xss_data()


def assert_inert(text: str, where: str) -> None:
    for raw in RAW:
        assert raw not in text, f"{where}: unescaped {raw!r}"


def _values(data) -> dict:
    task = data["task"]
    return {"task_id": task.id, "directive_id": data["directive"].id, "attachment_id": data["attachment"].id,
            "update_id": data["update"].id, "extension_id": task.extensions[0].id,
            "notification_id": _db.session.scalar(select(Notification.id).where(
                Notification.user_id == data["user"].id).limit(1)),
            "unit_id": data["unit"].id, "user_id": data["user"].id, "day": "2030-01-02", "token_id": 1, "feed_id": 1,
            "secret": "x"}


def test_every_html_page_escapes_the_payloads(app, db, xss, login_as):
    values = _values(xss)
    # Reflected input too: every page gets the payloads in its query string.
    reflected = {"q": SCRIPT, "view": IMG, "status": IMG, "due_after": SCRIPT, "tag": IMG, "action": IMG,
                 "actor": SCRIPT, "object_type": QUOTE, "period": IMG, "sort": SCRIPT, "next": IMG, "as_of": IMG}
    shown_on = set()
    for username in ("admin", "nga.tt", "xss.user"):
        client = login_as(username)
        for rule, endpoint, methods in rules(app):
            if "GET" not in methods or rule.rule.startswith("/api/") or "secret" in rule.arguments:
                continue
            url = rule.build({a: values[a] for a in rule.arguments}, append_unknown=False)[1]
            for args in ({}, reflected) if username == "admin" else ({},):
                response = client.get(url, query_string=args)
                where = f"{username} GET {url} {'with payloads in the query' if args else ''}"
                assert response.status_code < 500, where
                body = readable_text(response)
                response.close()
                if response.mimetype in ("text/html", "application/xml", "image/svg+xml") or url.endswith(".docx"):
                    assert_inert(body, where)
                if ESCAPED_IMG in body and not args:
                    shown_on.add(endpoint)
    # The payloads were really shown (escaped) where they belong.
    assert {"tasks.show", "tasks.index", "directives.show", "directives.index", "admin.units", "admin.users",
            "admin.audit_log", "notifications.index"} <= shown_on, shown_on


def test_form_pages_keep_payloads_inside_attributes(app, db, xss, login_as):
    """Edit forms put the stored text back into value="" and <textarea>: still escaped, quotes included."""
    client = login_as("nga.tt")
    for url in (f"/tasks/{xss['task'].id}/edit", f"/directives/{xss['directive'].id}/edit"):
        body = client.get(url).get_data(as_text=True)
        assert_inert(body, url)
        assert "&#34;&#39;&gt;&lt;svg onload=alert(1)&gt;" in body or "&quot;&#39;&gt;&lt;svg" in body, url
    admin = login_as("admin")
    body = admin.get(f"/admin/users/{xss['user'].id}/edit").get_data(as_text=True)
    assert_inert(body, "user form")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_attachment_names_are_cleaned_and_escaped(app, db, xss, login_as):
    attachment = xss["attachment"]
    assert not set('<>"/\\') & set(attachment.original_name)
    client = login_as("xss.user")
    page = client.get(f"/tasks/{xss['task'].id}").get_data(as_text=True)
    assert_inert(page, "task page")
    download = client.get(f"/attachments/{attachment.id}")
    disposition = download.headers["Content-Disposition"]
    download.close()
    assert disposition.startswith("attachment;") and "<" not in disposition and "\n" not in disposition


def test_json_errors_and_api_keep_payloads_as_data(app, db, xss):
    """The API returns the text as JSON strings, typed application/json (nosniff), never as HTML."""
    from tracker.services.tokens import create_token

    _row, token = create_token(xss["user"], "xss")
    db.session.commit()
    client = app.test_client()
    response = client.get(f"/api/v1/tasks/{xss['task'].id}", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.get_json()["title"].startswith("Nhiệm vụ <img src=x")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    missing = client.get(f"/api/v1/tasks/{SCRIPT}", headers={"Authorization": f"Bearer {token}"})
    assert missing.mimetype == "application/json"


# --- e-mails ----------------------------------------------------------------------------------

def test_emails_escape_the_payloads_and_keep_headers_clean(app, db, xss):
    """What the app really queues: the publication's events, a manual reminder, deadline reminders, the digest."""
    from email import message_from_bytes

    from tracker.mail import build_message
    from tracker.services import planner
    from tracker.services.planner import plan_digest, plan_reminders, remind_now

    task = xss["task"]
    sender = db.session.scalar(select(User).where(User.username == "thu.lt"))
    sender.full_name = f"Thư ký {IMG}"
    remind_now(sender, task, today(), AppMailer())
    for offset in range(12):  # the deadline reminders of the coming days (whatever today's weekday)
        plan_reminders(today() + timedelta(days=offset), mailer=AppMailer())
    plan_digest(today(), AppMailer())
    db.session.commit()
    rows = db.session.scalars(select(OutboxMessage).where(OutboxMessage.task_id.in_([t.id for t in xss["tasks"]])
                                                          | OutboxMessage.kind.in_(("digest", "assigned")))).all()
    for row in rows:  # deadline reminders are written as the dispatcher sends them: written here the same way
        if row.data is not None and not row.body_text:
            row.subject, row.body_text, row.body_html = planner.render_reminder(row, AppMailer())
    kinds = {row.kind for row in rows}
    assert {"assigned", "manual", "digest"} <= kinds and any(k.startswith("due_") for k in kinds), kinds
    for row in rows:
        where = f"outbox {row.kind} {row.dedupe_key}"
        assert_inert(row.body_html, where)
        assert "\r" not in row.subject and "\n" not in row.subject, where
        message = message_from_bytes(bytes(build_message(to_addr=row.to_addr, subject=row.subject,
                                                         text=row.body_text, html=row.body_html,
                                                         message_id=row.message_id)))
        assert message.get_all("Bcc") is None and len(message.get_all("Subject")) == 1, where
    mine = [row for row in rows if row.user_id == xss["user"].id]
    assert mine and all(ESCAPED_IMG in row.body_html or "&lt;script&gt;" in row.body_html for row in mine)
    manual = next(row for row in rows if row.kind == "manual")
    assert "Thư ký &lt;img src=x onerror=alert(1)&gt;" in manual.body_html
    assert SCRIPT in manual.body_text or IMG in manual.body_text  # the plain-text part shows the text as typed


# --- exports ----------------------------------------------------------------------------------

def _cells_neutralised(values, where):
    for value in values:
        if isinstance(value, str) and value.lstrip("'") in FORMULAS:
            assert value.startswith("'"), f"{where}: {value!r} would be evaluated"


def test_spreadsheet_exports_neutralise_formulas(app, db, xss, login_as):
    from openpyxl import load_workbook

    client = login_as("nga.tt")
    response = client.get("/dashboard/export.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.get_data()))
    titles = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula: {cell.value!r}"
                titles.append(cell.value)
    _cells_neutralised(titles, "xlsx")
    assert {"'" + f for f in FORMULAS} <= set(titles), "the formula-like titles are exported (neutralised)"
    assert any(isinstance(v, str) and IMG in v for v in titles)  # text, as typed: a spreadsheet runs no HTML

    for url in ("/dashboard/export.csv", "/dashboard/export.csv?table=units"):
        response = client.get(url)
        assert response.status_code == 200
        text = response.get_data().decode("utf-8-sig")
        cells = [c for row in csv.reader(io.StringIO(text)) for c in row]
        _cells_neutralised(cells, url)
    cells = [c for row in csv.reader(io.StringIO(client.get("/dashboard/export.csv").get_data().decode("utf-8-sig")))
             for c in row]
    assert {"'" + f for f in FORMULAS} <= set(cells)

    docx = client.get("/dashboard/report.docx")
    assert docx.status_code == 200
    assert_inert(readable_text(docx), "report.docx")


def test_audit_export_neutralises_formulas(app, db, xss, login_as):
    response = login_as("admin").get("/admin/audit.csv?action=task.create")
    assert response.status_code == 200
    raw = response.get_data()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    summaries = [row[rows[0].index("summary")] for row in rows[1:]]
    assert {"'" + f for f in FORMULAS} <= set(summaries)
    _cells_neutralised([c for row in rows for c in row], "audit.csv")


# --- calendar feed --------------------------------------------------------------------------

def test_calendar_feed_keeps_titles_as_text(app, db, xss):
    from icalendar import Calendar

    from tracker.services.feeds import create_feed

    _feed, secret = create_feed(xss["user"], "mine")
    db.session.commit()
    response = app.test_client().get(f"/calendar/{secret}.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    body = response.get_data()
    events = Calendar.from_ical(body).walk("VEVENT")
    mine = db.session.scalars(select(Task).where(Task.assignee_id == xss["user"].id, Task.state == "open")).all()
    assert len(events) == len(mine) == len(xss["tasks"])
    assert len(re.findall(rb"^BEGIN:VEVENT\r?$", body, re.M)) == len(mine), "a title broke out of its event"
    assert b"\\nEND:VEVENT\\nBEGIN:VEVENT" in body.replace(b"\r\n ", b"")  # escaped inside its SUMMARY
    assert not re.search(rb"^SUMMARY:injected", body, re.M)
    summaries = {str(e["summary"]) for e in events}
    assert any(IMG in s for s in summaries) and any("END:VEVENT" in s for s in summaries)


# --- a real browser ---------------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.browser
def test_no_script_runs_in_a_real_browser(tmp_path):
    from playwright.sync_api import sync_playwright
    from werkzeug.serving import make_server

    from tracker import create_app
    from tracker.demo import load_demo

    app = create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'browser.db'}",
                     UPLOAD_FOLDER=str(tmp_path / "uploads"), OUTBOX_FOLDER=str(tmp_path / "outbox"),
                     WTF_CSRF_ENABLED=True)
    with app.app_context():
        _db.create_all()
        load_demo()
        _db.session.commit()
        data = build_xss_data()
        paths = [f"/tasks/{data['task'].id}", f"/directives/{data['directive'].id}", "/tasks?view=all",
                 "/directives", "/dashboard", f"/tasks/{data['task'].id}/edit", "/notifications",
                 f"/tasks?q={SCRIPT}"]
        _db.session.remove()
    port = _free_port()
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    dialogs, violations, failures = [], [], []

    def drive() -> None:
        # In a thread of its own: the browser suite may already run Playwright's loop in this one.
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=[
                    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                    "--disable-component-update"])
                try:
                    for bypass_csp in (False, True):  # with the CSP bypassed, escaping alone must hold
                        context = browser.new_context(bypass_csp=bypass_csp)
                        page = context.new_page()
                        page.on("dialog", lambda d: (dialogs.append((page.url, d.message)), d.dismiss()))
                        page.on("console", lambda m: violations.append(m.text)
                                if "Content Security Policy" in m.text else None)
                        base = f"http://127.0.0.1:{port}"
                        page.goto(f"{base}/login")
                        page.fill("input[name=username]", "nga.tt")
                        page.fill("input[name=password]", "tracker-demo")
                        page.click("button[type=submit]")
                        page.wait_for_url(f"{base}/")
                        for path in paths:
                            page.goto(base + path)
                            page.wait_for_load_state("load")
                            assert page.evaluate(
                                "document.querySelectorAll('img[src=x], svg[onload]').length") == 0, path
                        page.goto(f"{base}/tasks/{data['task'].id}")
                        assert IMG in page.inner_text("main")  # shown as text, not as an element
                        context.close()
                finally:
                    browser.close()
        except BaseException as error:  # noqa: BLE001 - re-raised in the test's thread
            failures.append(error)

    try:
        driver = threading.Thread(target=drive)
        driver.start()
        driver.join(180)
    finally:
        server.shutdown()
        thread.join(5)
    if failures:
        raise failures[0]
    assert dialogs == []
    assert violations == [], "something inline tried to run and the CSP stopped it"


def test_public_pages_escape_reflected_input(app, client, db, demo):
    """Signed out: the sign-in page keeps `next` and the username it was given escaped."""
    response = client.get("/login", query_string={"next": f"/{SCRIPT}", "lang": IMG})
    assert_inert(response.get_data(as_text=True), "login")
    response = client.post(f"/login?next=/{IMG}", data={"username": SCRIPT, "password": "x"})
    assert response.status_code == 200
    assert_inert(response.get_data(as_text=True), "failed login")
    for rule, endpoint, methods in rules(app):
        if is_public(app, endpoint) and "GET" in methods and not rule.arguments:
            assert_inert(client.get(rule.rule, query_string={"q": SCRIPT}).get_data(as_text=True), rule.rule)
