"""The pages of reminders: the bell, the notifications list, "remind now", the admin's calendar, rules and outbox."""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

import time_machine
from flask_babel import force_locale, gettext
from markupsafe import escape
from sqlalchemy import func, select

from tracker.dispatch import dispatch
from tracker.mail import AppMailer
from tracker.models import AuditEvent, CalendarDay, Notification, OutboxMessage, ReminderSettings
from tracker.services.outbox import enqueue_email
from tracker.services.planner import plan_reminders
from tracker.timeutil import utcnow

DEADLINE = date(2025, 3, 19)


def vi(message: str, **values) -> str:
    """`message` as a Vietnamese user sees it in a page (translated and HTML-escaped)."""
    with force_locale("vi"):
        return str(escape(gettext(message, **values)))


def bell(html: str) -> int:
    found = re.findall(r'<span class="bell-count">(\d+)</span>', html)
    assert len(found) <= 1
    return int(found[0]) if found else 0


def notify(db, user, count: int, task=None, start: datetime | None = None) -> list[Notification]:
    start = start or datetime(2025, 3, 10, 1, tzinfo=timezone.utc)
    made = [Notification(user_id=user.id, kind="reminder", task_id=task.id if task else None,
                         title=f"Thông báo {n}", created_at=start + timedelta(minutes=n)) for n in range(count)]
    db.session.add_all(made)
    db.session.commit()
    return made


# --- the bell and the notifications page -----------------------------------------------------------------

PAGES = ["/", "/tasks", "/directives", "/notifications", "/notifications?unread=1", "/password"]


def test_the_bell_shows_the_unread_count_on_every_page(db, world, login_as):
    lan = world.user("lan.nt")
    task = world.task(deadline=DEADLINE)  # its publication notified lan.nt: 1 unread
    notify(db, lan, 2, task)
    client = login_as("lan.nt")
    for path in PAGES + [f"/tasks/{task.id}"]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert bell(response.get_data(as_text=True)) == 3, path
    other = login_as("quang.dv")
    assert bell(other.get("/").get_data(as_text=True)) == 0
    plan_reminders(date(2025, 3, 10), mailer=AppMailer())  # the due_in_7d reminder is one more
    db.session.commit()
    assert bell(client.get("/tasks").get_data(as_text=True)) == 4


def test_the_notifications_page_lists_newest_first_and_filters_unread(db, world, login_as):
    lan = world.user("lan.nt")
    made = notify(db, lan, 3)
    made[1].read_at = utcnow()
    db.session.commit()
    notify(db, world.user("quang.dv"), 1, start=datetime(2025, 3, 11, tzinfo=timezone.utc))  # not lan's
    client = login_as("lan.nt")
    html = client.get("/notifications").get_data(as_text=True)
    assert [int(n) for n in re.findall(r"Thông báo (\d+)", html)] == [2, 1, 0]
    unread = client.get("/notifications?unread=1").get_data(as_text=True)
    assert [int(n) for n in re.findall(r"Thông báo (\d+)", unread)] == [2, 0]


def test_opening_a_notification_marks_it_read_and_goes_to_its_task(db, world, login_as):
    task = world.task(deadline=DEADLINE)
    lan = world.user("lan.nt")
    [note] = notify(db, lan, 1, task)
    client = login_as("lan.nt")
    before = bell(client.get("/").get_data(as_text=True))
    response = client.post(f"/notifications/{note.id}/open")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/tasks/{task.id}")
    db.session.refresh(note)
    assert note.read_at is not None
    assert bell(client.get("/").get_data(as_text=True)) == before - 1
    assert login_as("quang.dv").post(f"/notifications/{note.id}/open").status_code == 404  # not theirs


def test_mark_all_read(db, world, login_as):
    lan, quang = world.user("lan.nt"), world.user("quang.dv")
    notify(db, lan, 3)
    notify(db, quang, 2)
    client = login_as("lan.nt")
    assert vi("Mark all as read") in client.get("/notifications").get_data(as_text=True)
    response = client.post("/notifications/read-all")
    assert response.status_code == 302
    html = client.get("/notifications").get_data(as_text=True)
    assert bell(html) == 0 and vi("Mark all as read") not in html
    unread = select(func.count(Notification.id)).where(Notification.read_at.is_(None))
    assert db.session.scalar(unread.where(Notification.user_id == lan.id)) == 0
    assert db.session.scalar(unread.where(Notification.user_id == quang.id)) == 2  # only one's own


def test_the_notifications_page_needs_a_sign_in(client, demo):
    response = client.get("/notifications")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


# --- "remind now" ----------------------------------------------------------------------------------------

def manual_reminders(db, task) -> list[OutboxMessage]:
    return db.session.scalars(select(OutboxMessage).where(OutboxMessage.task_id == task.id,
                                                          OutboxMessage.kind == "manual")).all()


def test_remind_now_as_the_issuer_then_refused_within_the_hour(db, world, login_as, smtp):
    task = world.task(deadline=DEADLINE, assignee="lan.nt")
    with time_machine.travel(utcnow(), tick=False) as clock:
        issuer = login_as("nga.tt")
        response = issuer.post(f"/tasks/{task.id}/remind", follow_redirects=True)
        assert response.status_code == 200
        assert vi("A reminder has been sent to %(n)d people.", n=1) in response.get_data(as_text=True)
        [row] = manual_reminders(db, task)
        assert (row.user.username, row.state) == ("lan.nt", "pending")
        assert "Trần Thị Nga" in row.body_text  # says who reminds
        assert db.session.scalar(select(func.count(Notification.id)).where(
            Notification.task_id == task.id, Notification.kind == "reminder")) == 1

        clock.shift(timedelta(minutes=59))
        response = issuer.post(f"/tasks/{task.id}/remind", follow_redirects=True)
        assert vi("A reminder was already sent for this task less than an hour ago.") in \
            response.get_data(as_text=True)
        secretary = login_as("thu.lt")  # the limit is per task, whoever presses
        secretary.post(f"/tasks/{task.id}/remind")
        assert len(manual_reminders(db, task)) == 1

        clock.shift(timedelta(minutes=2))
        response = secretary.post(f"/tasks/{task.id}/remind", follow_redirects=True)
        assert vi("A reminder has been sent to %(n)d people.", n=1) in response.get_data(as_text=True)
        assert len(manual_reminders(db, task)) == 2
        assert db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "task.remind")) == 2
        dispatch()
    assert sorted(m.rcpt_tos[0] for m in smtp.messages if "Trần Thị Nga" in m.message.get_body(
        preferencelist=("plain",)).get_content() or "Lê Thị Thu" in m.message.get_body(
        preferencelist=("plain",)).get_content()) == ["lan.nt@example.gov.vn", "lan.nt@example.gov.vn"]


def test_remind_now_without_an_assignee_goes_to_the_lead_units_leaders(db, world, login_as):
    task = world.task(deadline=DEADLINE, lead="STTTT", assignee=None)
    login_as("thu.lt").post(f"/tasks/{task.id}/remind")
    assert sorted(r.user.username for r in manual_reminders(db, task)) == ["hai.nv", "minh.pq"]


def test_who_may_press_remind_now(db, world, login_as):
    task = world.task(deadline=DEADLINE, assignee="lan.nt")
    expected = {"lan.nt": 403, "tuan.la": 403, "hai.nv": 403, "binh.lv": 404, "thu.lt": 302}
    for username, status in expected.items():
        assert login_as(username).post(f"/tasks/{task.id}/remind").status_code == status, username
    assert [r.user.username for r in manual_reminders(db, task)] == ["lan.nt"]  # the secretary's press only


def test_the_remind_now_button_shows_only_to_those_who_may_press_it(db, world, login_as):
    task = world.task(deadline=DEADLINE, assignee="lan.nt")
    action = f'action="/tasks/{task.id}/remind"'
    assert action in login_as("nga.tt").get(f"/tasks/{task.id}").get_data(as_text=True)
    assert action not in login_as("lan.nt").get(f"/tasks/{task.id}").get_data(as_text=True)


def test_remind_now_on_a_closed_task_is_refused(db, world, login_as):
    from tracker.services import workflow

    task = world.task(deadline=DEADLINE, assignee="lan.nt")
    workflow.cancel_task(world.user("nga.tt"), task, "Không còn phù hợp.", date(2025, 3, 10))
    db.session.commit()
    response = login_as("nga.tt").post(f"/tasks/{task.id}/remind", follow_redirects=True)
    assert vi("This task is closed.") in response.get_data(as_text=True)
    assert manual_reminders(db, task) == []


# --- the admin's working-day calendar ---------------------------------------------------------------------

def test_admin_calendar_add_and_remove_days(db, login_as):
    admin = login_as("admin")
    page = admin.get("/admin/calendar?year=2025").get_data(as_text=True)
    assert "29/01/2025" in page  # Tết, from the holidays package
    response = admin.post("/admin/calendar", data={"day": "2025-09-01", "kind": "off", "name": "Nghỉ bù 2/9"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/admin/calendar?year=2025")
    response = admin.post("/admin/calendar", data={"day": "26/04/2025", "kind": "work", "name": "Làm bù"})
    assert response.status_code == 302
    assert {(d.day, d.kind) for d in db.session.scalars(select(CalendarDay))} == {
        (date(2025, 9, 1), "off"), (date(2025, 4, 26), "work")}
    page = admin.get("/admin/calendar?year=2025").get_data(as_text=True)
    assert "Nghỉ bù 2/9" in page and "26/04/2025" in page
    response = admin.post("/admin/calendar/2025-09-01/delete")
    assert response.status_code == 302
    assert [d.day for d in db.session.scalars(select(CalendarDay))] == [date(2025, 4, 26)]
    assert "Nghỉ bù 2/9" not in admin.get("/admin/calendar?year=2025").get_data(as_text=True)
    assert admin.post("/admin/calendar/not-a-date/delete").status_code == 302  # nothing to remove
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.action.like("calendar.%"))).all()
    assert sorted(actions) == ["calendar.add", "calendar.add", "calendar.remove"]


def test_admin_calendar_form_errors(db, login_as):
    db.session.add(CalendarDay(day=date(2025, 4, 26), kind="work", name=""))
    db.session.commit()
    admin = login_as("admin")
    for data, error in [
        ({"day": "2025-02-30", "kind": "off"}, "Enter a valid date."),
        ({"day": "", "kind": "off"}, "Enter a valid date."),
        ({"day": "2025-04-26", "kind": "work"}, "This date is already in the list."),
        ({"day": "2025-03-12", "kind": "work"}, "This date is already a working day."),
    ]:
        response = admin.post("/admin/calendar", data=data)
        assert response.status_code == 200
        assert vi(error) in response.get_data(as_text=True), data
    assert db.session.scalar(select(func.count()).select_from(CalendarDay)) == 1


def test_a_day_off_entered_on_the_calendar_page_moves_the_reminders(db, world, login_as):
    world.task(deadline=DEADLINE)
    login_as("admin").post("/admin/calendar", data={"day": "2025-03-17", "kind": "off", "name": "Nghỉ"})
    assert [p.rule for p in plan_reminders(date(2025, 3, 14), mailer=AppMailer())] == []
    assert [p.rule for p in plan_reminders(date(2025, 3, 13), mailer=AppMailer())] == ["due_in_3d"]


def test_the_reminder_admin_pages_are_for_admins_only(login_as):
    leader, staff, admin = login_as("nga.tt"), login_as("lan.nt"), login_as("admin")
    for path in ("/admin/calendar", "/admin/reminders", "/admin/outbox"):
        assert leader.get(path).status_code == 403
        assert staff.get(path).status_code == 403
        assert admin.get(path).status_code == 200


def test_the_calendar_post_routes_are_for_admins_only(db, login_as):
    db.session.add(CalendarDay(day=date(2025, 4, 26), kind="work", name=""))
    db.session.commit()
    thu = login_as("thu.lt")
    assert thu.post("/admin/calendar", data={"day": "2025-09-01", "kind": "off"}).status_code == 403
    assert thu.post("/admin/calendar/2025-04-26/delete").status_code == 403
    assert thu.post("/admin/outbox/retry").status_code == 403
    assert db.session.scalar(select(func.count()).select_from(CalendarDay)) == 1


# --- the rules form --------------------------------------------------------------------------------------

GOOD_RULES = {"before_days": "10, 5, 2", "on_day": "y", "overdue_first": "1", "overdue_every": "2",
              "escalate_after": "8", "send_hour": "8", "digest_weekday": "4", "digest_hour": "16",
              "digest_minute": "0", "email_enabled": "y", "inapp_enabled": "y"}


def test_the_rules_form_shows_the_defaults_and_saves(db, login_as):
    admin = login_as("admin")
    page = admin.get("/admin/reminders").get_data(as_text=True)
    assert 'value="7, 3, 1"' in page
    response = admin.post("/admin/reminders", data=GOOD_RULES)
    assert response.status_code == 302
    saved = db.session.get(ReminderSettings, 1)
    assert saved.before_days == [10, 5, 2]
    assert (saved.overdue_every, saved.escalate_after, saved.send_hour, saved.digest_weekday) == (2, 8, 8, 4)
    assert saved.on_day and saved.email_enabled and saved.inapp_enabled
    assert 'value="10, 5, 2"' in admin.get("/admin/reminders").get_data(as_text=True)
    [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "reminders.settings")).all()
    assert event.changes["before_days"] == [[7, 3, 1], [10, 5, 2]]


def test_the_rules_form_refuses_bad_values(db, login_as):
    admin = login_as("admin")
    before_days_error = vi("Give whole numbers of working days from 1 to 60, e.g. 7, 3, 1.")
    for field, value in [("before_days", "7, x"), ("before_days", "7, 0"), ("before_days", "90"),
                         ("overdue_every", "0"), ("send_hour", "24"), ("digest_minute", "x")]:
        response = admin.post("/admin/reminders", data={**GOOD_RULES, field: value})
        assert response.status_code == 200, (field, value)
        html = response.get_data(as_text=True)
        if field == "before_days":
            assert before_days_error in html
        else:
            assert before_days_error not in html
        assert f'id="{field}-error"' in html, (field, value)
    assert db.session.get(ReminderSettings, 1) is None  # nothing saved


def test_rules_saved_on_the_page_drive_the_planner(db, world, login_as):
    world.task(deadline=DEADLINE)
    login_as("admin").post("/admin/reminders", data={**GOOD_RULES, "before_days": "5"})
    assert [p.rule for p in plan_reminders(date(2025, 3, 10), mailer=AppMailer())] == []  # no due_in_7d any more
    assert [p.rule for p in plan_reminders(date(2025, 3, 12), mailer=AppMailer())] == ["due_in_5d"]


# --- the outbox page -------------------------------------------------------------------------------------

def test_the_outbox_page_lists_every_state_with_counts_and_filters(db, world, login_as):
    lan = world.user("lan.nt")
    for n, state in enumerate(["pending", "sending", "sent", "sent", "failed", "cancelled"]):
        enqueue_email(key=f"k{n}", kind="due_in_7d", user=lan, subject=f"Thư số {n}", text=".", html="",
                      message_id=f"<{n}@x>", planned_for=date(2025, 3, 10))
        db.session.flush()
        row = db.session.scalar(select(OutboxMessage).where(OutboxMessage.dedupe_key == f"k{n}"))
        row.state = state
        row.last_error = "550 5.1.1 Mailbox unavailable" if state == "failed" else ""
    db.session.commit()
    admin = login_as("admin")
    html = admin.get("/admin/outbox").get_data(as_text=True)
    for n in range(6):
        assert f"Thư số {n}" in html
    for label, count in (("Pending", 1), ("Sending", 1), ("Sent", 2), ("Failed", 1), ("Cancelled", 1)):
        assert f"{vi(label)} ({count})" in html, label
    assert "Mailbox unavailable" in html
    failed = admin.get("/admin/outbox?state=failed").get_data(as_text=True)
    assert "Thư số 4" in failed and "Thư số 2" not in failed
    sent = admin.get("/admin/outbox?state=sent").get_data(as_text=True)
    assert "Thư số 2" in sent and "Thư số 3" in sent and "Thư số 0" not in sent


# --- the user's own switch -----------------------------------------------------------------------------------

def test_turning_email_off_on_the_profile_keeps_in_app_reminders(db, world, login_as):
    world.task(deadline=DEADLINE)
    response = login_as("lan.nt").post("/profile", data={"language": "vi"})  # the box left unticked
    assert response.status_code == 302
    planned = plan_reminders(date(2025, 3, 10), mailer=AppMailer())
    assert [(p.user, p.email) for p in planned] == [("lan.nt", False)]
    assert db.session.scalars(select(OutboxMessage.kind).where(OutboxMessage.kind == "due_in_7d")).all() == []
    assert db.session.scalar(select(func.count(Notification.id)).where(Notification.dedupe_key.like("r:%"))) == 1
