"""The planner end to end: who gets which reminder on which day, once, by e-mail and in the app.

E-mails are counted as the aiosmtpd server received them, and matched to
their outbox row by Message-ID; in-app reminders are the Notification rows
with a reminder key. Reliability rows 4 and 9-17 and 19 are here.
"""
from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
import time_machine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from tests.reminders.conftest import BASE_URL
from tracker import jobs
from tracker.dispatch import dispatch
from tracker.mail import AppMailer
from tracker.models import CalendarDay, Notification, OutboxMessage, ReminderSettings
from tracker.services import workflow
from tracker.services.planner import get_settings, plan_digest, plan_reminders

VN = ZoneInfo("Asia/Ho_Chi_Minh")
DEADLINE = date(2025, 3, 19)  # a Wednesday in a month without holidays


# --- helpers ---------------------------------------------------------------------------------

def is_reminder(kind: str) -> bool:
    return kind.startswith("due_in_") or kind in ("due_today", "overdue", "escalation")


def outbox_by_message_id(db) -> dict[str, OutboxMessage]:
    return {row.message_id: row for row in db.session.scalars(select(OutboxMessage))}


def mailed(db, smtp, start: int = 0, reminders_only: bool = True, task_id: int | None = None
           ) -> list[tuple[str, str, int]]:
    """(recipient, rule, occurrence) of the e-mails the server received from message `start` on."""
    rows = outbox_by_message_id(db)
    found = []
    for message in smtp.messages[start:]:
        row = rows[message.message_id]
        assert message.rcpt_tos == [row.to_addr]
        if task_id is not None and row.task_id != task_id:
            continue
        if not reminders_only or is_reminder(row.kind):
            found.append((row.user.username, row.kind, row.occurrence))
    return sorted(found)


def in_app(db, since_id: int = 0, task_id: int | None = None) -> list[tuple[str, str, int]]:
    """(recipient, rule, occurrence) of the in-app reminders, from their dedupe key r:task:user:rule:n:deadline."""
    found = []
    stmt = select(Notification).where(Notification.id > since_id, Notification.dedupe_key.like("r:%"))
    if task_id is not None:
        stmt = stmt.where(Notification.task_id == task_id)
    for n in db.session.scalars(stmt):
        _r, _task, _user, rule, occurrence, _deadline = n.dedupe_key.split(":")
        assert n.kind == "reminder"
        found.append((n.user.username, rule, int(occurrence)))
    return sorted(found)


def max_notification_id(db) -> int:
    return db.session.scalar(select(func.max(Notification.id))) or 0


def reminder_rows(db, **where) -> list[OutboxMessage]:
    rows = db.session.scalars(select(OutboxMessage).filter_by(**where).order_by(OutboxMessage.id)).all()
    return [r for r in rows if is_reminder(r.kind)]


def set_rules(db, **values) -> ReminderSettings:
    settings_row = get_settings()
    for key, value in values.items():
        setattr(settings_row, key, value)
    db.session.add(settings_row)
    db.session.commit()
    return settings_row


def plan_and_send(db, day: date) -> None:
    plan_reminders(day, mailer=AppMailer())
    db.session.commit()
    dispatch()


def local(day: date, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute, second), VN)


def days(first: date, last: date):
    return [first + timedelta(n) for n in range((last - first).days + 1)]


@pytest.fixture
def sent_events(db, smtp):
    """Deliver the assignment e-mails of the setup, so tests see only what follows."""

    def flush():
        db.session.commit()
        dispatch()
        smtp.clear()

    return flush


# --- a task's whole life -----------------------------------------------------------------------

LIFE = {
    date(2025, 3, 10): [("lan.nt", "due_in_7d", 1)],
    date(2025, 3, 14): [("lan.nt", "due_in_3d", 1)],
    date(2025, 3, 18): [("lan.nt", "due_in_1d", 1)],
    date(2025, 3, 19): [("lan.nt", "due_today", 1)],
    date(2025, 3, 20): [("lan.nt", "overdue", 1), ("tuan.la", "overdue", 1)],
    date(2025, 3, 25): [("lan.nt", "overdue", 2), ("tuan.la", "overdue", 2)],
    date(2025, 3, 28): [("lan.nt", "overdue", 3), ("tuan.la", "overdue", 3)],
    # The 10th working day late: the 4th overdue reminder, and the escalation to the leader who issued
    # the directive (nga.tt, not every leader of the province) and the Office's secretary.
    date(2025, 4, 2): [("lan.nt", "overdue", 4), ("nga.tt", "escalation", 1), ("thu.lt", "escalation", 1),
                       ("tuan.la", "overdue", 4)],
    # Monday 7 April 2025 is the Hùng Kings' day: the 13th working day late is Tuesday the 8th.
    date(2025, 4, 8): [("lan.nt", "overdue", 5), ("tuan.la", "overdue", 5)],
}


def test_a_task_whole_life_day_by_day_with_the_cli(db, world, runner, smtp, sent_events):
    task = world.task(deadline=DEADLINE, assignee="lan.nt", lead="STTTT-CNTT")
    sent_events()
    by_day, inapp_by_day, digests = {}, {}, defaultdict(list)
    for day in days(date(2025, 3, 3), date(2025, 4, 9)):
        start, last_note = len(smtp.messages), max_notification_id(db)
        result = runner.invoke(args=["reminders", "run", "--today", day.isoformat()])
        assert result.exit_code == 0, result.output
        got = mailed(db, smtp, start)
        if got:
            by_day[day] = got
            assert f"task {task.id} -> " in result.output
        if notes := in_app(db, last_note):
            inapp_by_day[day] = notes
        digests[day] = sorted(r[0] for r in mailed(db, smtp, start, reminders_only=False) if r[1] == "digest")
    assert by_day == LIFE
    assert inapp_by_day == LIFE
    # The weekly digest goes out on Mondays (the Hùng Kings' day too) to the leaders who can see the task.
    leaders = ["hai.nv", "hung.nv", "minh.pq", "nga.tt", "tuan.la"]
    assert {d: names for d, names in digests.items() if names} == {
        date(2025, 3, 10): leaders, date(2025, 3, 17): leaders, date(2025, 3, 24): leaders,
        date(2025, 3, 31): leaders, date(2025, 4, 7): leaders}

    # Running every day again sends nothing more, by e-mail or in the app.
    total, rows, notes = len(smtp.messages), db.session.scalar(select(func.count(OutboxMessage.id))), \
        db.session.scalar(select(func.count(Notification.id)))
    for day in days(date(2025, 3, 3), date(2025, 4, 9)):
        result = runner.invoke(args=["reminders", "run", "--today", day.isoformat()])
        assert result.exit_code == 0 and "0 queued" in result.output, result.output
    assert len(smtp.messages) == total
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == rows
    assert db.session.scalar(select(func.count(Notification.id))) == notes
    assert all(n == 1 for n in smtp.by_message_id().values())


def test_dry_run_lists_and_queues_nothing(db, world, runner, smtp, sent_events):
    world.task(deadline=DEADLINE)
    sent_events()
    result = runner.invoke(args=["reminders", "run", "--today", "2025-03-10", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "lan.nt: due_in_7d #1 (deadline 2025-03-19) [e-mail + in-app]" in result.output
    assert "1 reminders would be queued" in result.output
    assert reminder_rows(db) == [] and in_app(db) == [] and smtp.messages == []


def test_a_bad_date_on_the_command_line_is_refused(runner, demo):
    result = runner.invoke(args=["reminders", "run", "--today", "19/03/2025"])
    assert result.exit_code != 0
    assert "YYYY-MM-DD" in result.output


# --- holidays shift the reminder days ------------------------------------------------------------

def reminder_days(db, smtp, first: date, last: date) -> dict[date, list[str]]:
    found = {}
    for day in days(first, last):
        start = len(smtp.messages)
        plan_and_send(db, day)
        got = [rule for _user, rule, _n in mailed(db, smtp, start)]
        if got:
            found[day] = got
    return found


def test_a_deadline_after_tet_counts_back_over_the_holiday(db, world, smtp, sent_events):
    # Tết 2025: Monday 27 to Friday 31 January are days off.
    world.task(deadline=date(2025, 2, 4))
    sent_events()
    assert reminder_days(db, smtp, date(2025, 1, 13), date(2025, 2, 4)) == {
        date(2025, 1, 17): ["due_in_7d"], date(2025, 1, 23): ["due_in_3d"], date(2025, 2, 3): ["due_in_1d"],
        date(2025, 2, 4): ["due_today"]}


def test_an_extra_day_off_entered_by_the_admin_moves_the_reminders(db, world, smtp, sent_events):
    db.session.add(CalendarDay(day=date(2025, 3, 17), kind="off", name="Nghỉ bù"))
    world.task(deadline=DEADLINE)
    sent_events()
    assert reminder_days(db, smtp, date(2025, 3, 3), DEADLINE) == {
        date(2025, 3, 7): ["due_in_7d"], date(2025, 3, 13): ["due_in_3d"], date(2025, 3, 18): ["due_in_1d"],
        DEADLINE: ["due_today"]}


@pytest.mark.parametrize("makeup, expected", [
    (True, {date(2025, 4, 18): ["due_in_7d"], date(2025, 4, 24): ["due_in_3d"], date(2025, 4, 26): ["due_in_1d"],
            date(2025, 4, 28): ["due_today"]}),
    (False, {date(2025, 4, 17): ["due_in_7d"], date(2025, 4, 23): ["due_in_3d"], date(2025, 4, 25): ["due_in_1d"],
             date(2025, 4, 28): ["due_today"]}),
])
def test_a_make_up_saturday_is_a_reminder_day(db, world, smtp, sent_events, makeup, expected):
    if makeup:  # Saturday 26 April 2025 was worked to make Friday 2 May a day off
        db.session.add(CalendarDay(day=date(2025, 4, 26), kind="work", name="Làm bù"))
    world.task(deadline=date(2025, 4, 28))
    sent_events()
    assert reminder_days(db, smtp, date(2025, 4, 14), date(2025, 4, 28)) == expected


# --- row 4: enqueue is idempotent ------------------------------------------------------------------

def test_row4_planning_three_times_at_one_instant_then_a_minute_later_adds_nothing(db, world):
    world.task("Sắp đến hạn", deadline=DEADLINE, assignee="lan.nt")
    world.task("Quá hạn", deadline=date(2025, 2, 24), assignee=None, lead="STTTT")
    today = date(2025, 3, 10)  # Monday: due_in_7d for the first; 10 working days late for the second
    now = local(today, 8)
    first = plan_reminders(today, now, mailer=AppMailer())
    db.session.commit()
    assert sorted((p.user, p.rule, p.occurrence) for p in first) == [
        ("hai.nv", "overdue", 4), ("lan.nt", "due_in_7d", 1), ("minh.pq", "overdue", 4),
        ("nga.tt", "escalation", 1), ("thu.lt", "escalation", 1)]
    counts = (db.session.scalar(select(func.count(OutboxMessage.id))),
              db.session.scalar(select(func.count(Notification.id))))
    for moment in (now, now, now, now + timedelta(minutes=1)):
        assert plan_reminders(today, moment, mailer=AppMailer()) == []
        db.session.commit()
        assert (db.session.scalar(select(func.count(OutboxMessage.id))),
                db.session.scalar(select(func.count(Notification.id)))) == counts
    # The whole job too, with the Monday digest: three runs at one instant, then a minute later.
    for moment in (now, now, now, now + timedelta(minutes=1)):
        jobs.run_reminders(now=moment)
    digests = db.session.scalar(select(func.count(OutboxMessage.id)).where(OutboxMessage.kind == "digest"))
    assert digests == 5  # nga.tt, hung.nv, hai.nv, minh.pq, tuan.la
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == counts[0] + digests


def test_tasks_added_during_the_day_are_queued_at_the_next_run_and_the_others_not_twice(
        db, world, smtp, sent_events, monkeypatch):
    """Many reminders at once go in bulk (the keys looked up a few at a time here) and each row keeps what
    its e-mail says: its recipient, deadline, days left; a second run queues only the new tasks'."""
    monkeypatch.setattr("tracker.services.outbox.KEYS_PER_QUERY", 3)
    today = date(2025, 3, 10)  # Monday
    morning = world.tasks([dict(title=f"Buổi sáng {n}", deadline=deadline, lead="STTTT-CNTT", assignee=assignee)
                           for n, (deadline, assignee) in enumerate([
                               (DEADLINE, "lan.nt"), (date(2025, 3, 13), "lan.nt"), (date(2025, 3, 13), None),
                               (date(2025, 3, 4), "lan.nt"), (date(2025, 3, 4), None)])])
    sent_events()
    first = plan_reminders(today, local(today, 8), mailer=AppMailer())
    db.session.commit()
    assert sorted((p.task_id, p.user, p.rule) for p in first) == sorted([
        (morning[0].id, "lan.nt", "due_in_7d"), (morning[1].id, "lan.nt", "due_in_3d"),
        (morning[2].id, "tuan.la", "due_in_3d"),  # no assignee: the lead unit's leader
        (morning[3].id, "lan.nt", "overdue"), (morning[3].id, "tuan.la", "overdue"),
        (morning[4].id, "tuan.la", "overdue")])
    afternoon = world.tasks([dict(title=f"Buổi chiều {n}", deadline=date(2025, 3, 13), lead="STTTT-CNTT",
                                  assignee="lan.nt") for n in range(4)])
    second = plan_reminders(today, local(today, 15), mailer=AppMailer())
    db.session.commit()
    assert sorted((p.task_id, p.user, p.rule) for p in second) == [
        (task.id, "lan.nt", "due_in_3d") for task in afternoon]
    assert plan_reminders(today, local(today, 16), mailer=AppMailer()) == []
    rows = reminder_rows(db)
    assert len(rows) == len({r.dedupe_key for r in rows}) == len({r.message_id for r in rows}) == 10
    assert in_app(db) == sorted((p.user, p.rule, p.occurrence) for p in first + second)
    by_task = {r.task_id: r for r in rows if r.user.username == "lan.nt"}
    assert [(by_task[t.id].deadline, by_task[t.id].data["days_left"]) for t in morning[:2] + afternoon[:1]] == [
        (DEADLINE, 7), (date(2025, 3, 13), 3), (date(2025, 3, 13), 3)]
    assert by_task[morning[3].id].data["days_left"] == -4  # the 4th working day late
    with time_machine.travel(local(today, 16), tick=False):
        dispatch()
    db.session.expire_all()
    received = {m.message_id: m for m in smtp.messages}  # and the afternoon's assignment e-mails
    for row in reminder_rows(db):
        assert received[row.message_id].rcpt_tos == [row.to_addr] and row.state == "sent"
        assert row.task.title in received[row.message_id].message.get_body(("plain",)).get_content()


# --- row 9: missed ticks catch up ------------------------------------------------------------------

def test_row9_the_first_tick_after_downtime_sends_todays_reminder_once_and_cancels_stale_ones(
        db, world, smtp, sent_events):
    today = DEADLINE
    due_today = world.task("Hạn hôm nay", deadline=today)
    past = world.task("Hạn hôm qua", deadline=date(2025, 3, 18))
    sent_events()
    # Three working days before yesterday's deadline its due_in_3d was planned, but never sent
    # (the mail server was down, then the scheduler too).
    plan_reminders(date(2025, 3, 13), mailer=AppMailer())
    db.session.commit()
    [stale] = reminder_rows(db, task_id=past.id)
    assert (stale.kind, stale.state) == ("due_in_3d", "pending")
    # Before send_hour (07:00) nothing is planned; then no tick from 06:00 to 09:30.
    jobs.run_reminders(now=local(today, 5, 59))
    assert reminder_rows(db, task_id=due_today.id) == []
    assert mailed(db, smtp) == []  # the stale row is not sent by the early tick either

    jobs.run_reminders(now=local(today, 9, 30))
    db.session.refresh(stale)
    assert stale.state == "cancelled"
    assert mailed(db, smtp) == [("lan.nt", "due_today", 1), ("lan.nt", "overdue", 1), ("tuan.la", "overdue", 1)]
    [today_row] = reminder_rows(db, task_id=due_today.id)
    assert (today_row.kind, today_row.state) == ("due_today", "sent")
    for minutes in (0, 1, 30, 600):
        jobs.run_reminders(now=local(today, 9, 30) + timedelta(minutes=minutes))
    assert len(mailed(db, smtp)) == 3
    assert all(n == 1 for n in smtp.by_message_id().values())


def test_a_pending_reminder_of_a_task_closed_at_night_is_not_sent_by_an_early_tick(db, world, smtp, sent_events):
    task = world.task(deadline=DEADLINE)
    sent_events()
    plan_reminders(date(2025, 3, 18), mailer=AppMailer())  # due_in_1d queued; the mail server is down all evening
    db.session.commit()
    workflow.submit_completion(world.user("tuan.la"), task, "Đã xong.", date(2025, 3, 18))
    db.session.commit()
    jobs.run_reminders(now=local(date(2025, 3, 19), 6, 0))  # the server is back; before send_hour
    assert mailed(db, smtp) == []
    assert [r.state for r in reminder_rows(db, task_id=task.id)] == ["cancelled"]


# --- row 10: a deadline moved by an extension starts afresh ----------------------------------------

def test_row10_an_approved_extension_cancels_the_old_reminders_and_plans_on_the_new_deadline(
        db, world, smtp, sent_events):
    task = world.task(deadline=DEADLINE, assignee="lan.nt")
    sent_events()
    plan_reminders(date(2025, 3, 18), mailer=AppMailer())
    db.session.commit()
    [old] = reminder_rows(db, task_id=task.id)
    assert (old.kind, old.deadline, old.state) == ("due_in_1d", DEADLINE, "pending")

    new_deadline = DEADLINE + timedelta(days=5)  # Monday 24 March
    ext = workflow.request_extension(world.user("tuan.la"), task, new_deadline, "Chờ ý kiến của Sở Tài chính.",
                               date(2025, 3, 18))
    workflow.decide_extension(world.user("nga.tt"), ext, True, "Đồng ý.", date(2025, 3, 18))
    plan_and_send(db, date(2025, 3, 18))  # the next run, which also sends the extension's own e-mails
    db.session.refresh(old)
    assert old.state == "cancelled"
    assert mailed(db, smtp) == []

    sent = {}
    for day in days(date(2025, 3, 19), new_deadline):
        start = len(smtp.messages)
        plan_and_send(db, day)
        if got := mailed(db, smtp, start):
            sent[day] = got
    assert sent == {date(2025, 3, 19): [("lan.nt", "due_in_3d", 1)], date(2025, 3, 21): [("lan.nt", "due_in_1d", 1)],
                    new_deadline: [("lan.nt", "due_today", 1)]}
    fresh = [r for r in reminder_rows(db, task_id=task.id) if r.state == "sent"]
    assert {r.deadline for r in fresh} == {new_deadline}
    assert all(r.dedupe_key.endswith(":2025-03-24") for r in fresh)
    # The new due_in_1d is a new row beside the cancelled one, not the old one revived.
    assert [r.state for r in reminder_rows(db, task_id=task.id, kind="due_in_1d")] == ["cancelled", "sent"]


# --- row 11: closed tasks get none -------------------------------------------------------------------

@pytest.mark.parametrize("close", ["submitted", "done", "cancelled"])
def test_row11_closing_a_task_cancels_its_pending_reminders(db, world, smtp, sent_events, close):
    task = world.task(deadline=DEADLINE)
    other = world.task("Nhiệm vụ khác", deadline=DEADLINE, assignee="quang.dv")
    sent_events()
    day = date(2025, 3, 10)
    plan_reminders(day, mailer=AppMailer())  # due_in_7d queued for both; the mail server has not taken them yet
    db.session.commit()
    assert [r.state for r in reminder_rows(db, task_id=task.id)] == ["pending"]
    if close == "cancelled":
        workflow.cancel_task(world.user("nga.tt"), task, "Không còn phù hợp.", day)
    else:
        workflow.submit_completion(world.user("tuan.la"), task, "Đã xong.", day)
        if close == "done":
            workflow.confirm_completion(world.user("nga.tt"), task, "Đồng ý.", day)
    for d in days(day, date(2025, 3, 20)):
        plan_and_send(db, d)
    assert [r.state for r in reminder_rows(db, task_id=task.id)] == ["cancelled"]
    assert mailed(db, smtp, task_id=task.id) == []
    assert in_app(db, task_id=task.id) == [("lan.nt", "due_in_7d", 1)]  # shown in the app before it closed
    assert mailed(db, smtp, task_id=other.id) == [  # the open one goes on
        ("quang.dv", "due_in_1d", 1), ("quang.dv", "due_in_3d", 1), ("quang.dv", "due_in_7d", 1),
        ("quang.dv", "due_today", 1), ("quang.dv", "overdue", 1), ("tuan.la", "overdue", 1)]


# --- row 12: inactive users get none ---------------------------------------------------------------------

def test_row12_a_deactivated_assignee_gets_no_reminder(db, world, smtp, sent_events):
    task = world.task(deadline=DEADLINE, assignee="lan.nt")
    sent_events()
    plan_reminders(date(2025, 3, 10), mailer=AppMailer())
    db.session.commit()
    lan = world.user("lan.nt")
    lan.active = False
    db.session.commit()
    for day in days(date(2025, 3, 10), date(2025, 3, 20)):
        plan_and_send(db, day)
    assert [r.state for r in reminder_rows(db, user_id=lan.id)] == ["cancelled"]
    assert smtp.to(lan.email) == []
    assert [r for r in in_app(db) if r[0] == "lan.nt"] == [("lan.nt", "due_in_7d", 1)]  # shown while active
    # Nobody assigned any more in effect: the lead unit's leader answers for the task.
    assert Counter(rule for who, rule, _n in mailed(db, smtp) if who == "tuan.la") == {
        "due_in_7d": 1, "due_in_3d": 1, "due_in_1d": 1, "due_today": 1, "overdue": 1}
    assert task.assignee_id == lan.id


# --- row 13: a digest lists only what the reader may see ------------------------------------------

MONDAY = date(2025, 3, 10)


def digest_of(db, smtp, username: str):
    rows = outbox_by_message_id(db)
    found = [m for m in smtp.messages if rows[m.message_id].kind == "digest"
             and rows[m.message_id].user.username == username]
    return found


def text_part(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def html_part(message) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


def test_row13_the_digest_lists_only_tasks_the_leader_may_see(db, world, smtp, sent_events):
    mine = world.task("Nhiệm vụ của Phòng CNTT", deadline=date(2025, 3, 12), lead="STTTT-CNTT")
    theirs = world.task("Nhiệm vụ của Sở Nội vụ", deadline=date(2025, 3, 12), lead="SNV", assignee=None)
    sent_events()
    jobs.run_reminders(now=local(MONDAY, 7, 30))
    [tuan] = digest_of(db, smtp, "tuan.la")
    [binh] = digest_of(db, smtp, "binh.lv")
    [nga] = digest_of(db, smtp, "nga.tt")
    for message, visible, hidden in ((tuan.message, mine, theirs), (binh.message, theirs, mine)):
        for body in (text_part(message), html_part(message)):
            assert visible.title in body and f"/tasks/{visible.id}" in body
            assert hidden.title not in body and f"/tasks/{hidden.id}" not in body
    assert mine.title in text_part(nga.message) and theirs.title in text_part(nga.message)
    assert digest_of(db, smtp, "lan.nt") == []  # staff get no digest


def test_the_digest_waits_for_monday_730_and_goes_once_a_week(db, world, smtp, sent_events):
    world.task(deadline=date(2025, 3, 12))
    sent_events()
    jobs.run_reminders(now=local(MONDAY, 7, 29))
    assert digest_of(db, smtp, "tuan.la") == []
    for moment in (local(MONDAY, 7, 30), local(MONDAY, 16), local(MONDAY + timedelta(2), 9)):
        jobs.run_reminders(now=moment)
    assert len(digest_of(db, smtp, "tuan.la")) == 1
    jobs.run_reminders(now=local(MONDAY + timedelta(7), 7, 30))
    assert len(digest_of(db, smtp, "tuan.la")) == 2


# --- row 14: no assignee: every leader of the lead unit --------------------------------------------

def test_row14_an_unassigned_task_reminds_each_leader_of_the_lead_unit(db, world, smtp, sent_events):
    task = world.task(deadline=DEADLINE, lead="STTTT", assignee=None)
    sent_events()
    plan_and_send(db, date(2025, 3, 10))
    assert mailed(db, smtp) == [("hai.nv", "due_in_7d", 1), ("minh.pq", "due_in_7d", 1)]
    assert sorted(r for m in smtp.messages for r in m.rcpt_tos) == ["hai.nv@example.gov.vn",
                                                                    "minh.pq@example.gov.vn"]
    assert in_app(db) == [("hai.nv", "due_in_7d", 1), ("minh.pq", "due_in_7d", 1)]
    assert task.assignee is None


# --- row 15: the digest is one e-mail, sorted by deadline then id ---------------------------------

def test_row15_one_digest_per_leader_sorted_by_deadline_then_id(db, world, smtp, sent_events):
    specs = [("A", date(2025, 3, 12)), ("B", date(2025, 3, 19)), ("C", date(2025, 3, 5)), ("D", date(2025, 3, 12)),
             ("E", date(2025, 3, 7)), ("F", date(2025, 3, 20))]  # F is 8 working days away: not yet due soon
    made = world.tasks([dict(title=f"Nhiệm vụ {name}", deadline=d) for name, d in specs])
    sent_events()
    jobs.run_reminders(now=local(MONDAY, 7, 30))
    jobs.run_reminders(now=local(MONDAY, 7, 31))
    for leader in ("tuan.la", "hai.nv", "minh.pq", "nga.tt", "hung.nv"):
        assert len(digest_of(db, smtp, leader)) == 1, leader
    [received] = digest_of(db, smtp, "tuan.la")
    message = received.message
    assert re.findall(r"\d+", message["Subject"])[:2] == ["2", "3"]  # 2 overdue, 3 due soon
    ids = {t.title: t.id for t in made}
    expected = [ids[f"Nhiệm vụ {name}"] for name in "CEADB"]  # by deadline, then id (A before D)
    for body in (text_part(message), html_part(message)):
        assert [int(n) for n in re.findall(r"/tasks/(\d+)\b", body)] == expected, body
    assert ids["Nhiệm vụ A"] < ids["Nhiệm vụ D"]


# --- row 16: "today" is the date in Vietnam -----------------------------------------------------------

def test_row16_due_today_flips_at_17_utc(db, world, smtp, sent_events):
    task = world.task(deadline=DEADLINE)
    set_rules(db, send_hour=0)
    sent_events()
    with time_machine.travel(datetime(2025, 3, 18, 16, 59, 59, tzinfo=timezone.utc), tick=False):
        jobs.run_reminders()
    assert [r.kind for r in reminder_rows(db, task_id=task.id)] == ["due_in_1d"]
    with time_machine.travel(datetime(2025, 3, 18, 17, 0, 0, tzinfo=timezone.utc), tick=False):
        jobs.run_reminders()
    assert [r.kind for r in reminder_rows(db, task_id=task.id)] == ["due_in_1d", "due_today"]
    assert mailed(db, smtp) == [("lan.nt", "due_in_1d", 1), ("lan.nt", "due_today", 1)]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(moment=st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1),
                           timezones=st.sampled_from([timezone.utc, VN, ZoneInfo("America/New_York"),
                                                      ZoneInfo("Pacific/Kiritimati"), timezone(timedelta(hours=-12))])))
def test_row16_the_run_plans_for_the_date_in_vietnam_whatever_the_zone_of_now(app, monkeypatch, moment):
    seen = []
    monkeypatch.setattr("tracker.services.planner.plan_reminders", lambda today, now, mailer: seen.append(today) or [])
    monkeypatch.setattr("tracker.services.planner.plan_digest", lambda today, mailer, now: 0)
    monkeypatch.setattr("tracker.dispatch.dispatch", lambda now: {})
    monkeypatch.setattr("tracker.services.planner.get_settings",
                        lambda: ReminderSettings(send_hour=0, digest_weekday=0, digest_hour=0, digest_minute=0))
    jobs.run_reminders(now=moment)
    utc = moment.astimezone(timezone.utc)
    assert seen == [(utc + timedelta(hours=7)).date()]  # Vietnam has been UTC+7 all along


# --- row 17: an overdue reminder repeats once per period ------------------------------------------------

@pytest.mark.parametrize("every", [1, 3])
def test_row17_overdue_repeats_once_per_period_over_ten_working_days(db, world, every):
    set_rules(db, overdue_every=every)
    task = world.task(deadline=DEADLINE)
    tenth = date(2025, 4, 2)  # the 10th working day after the deadline
    for day in days(DEADLINE + timedelta(1), tenth):  # daily ticks, weekends included
        plan_reminders(day, mailer=AppMailer())
        db.session.commit()
    rows = reminder_rows(db, task_id=task.id, kind="overdue", user_id=world.user("lan.nt").id)
    assert [r.occurrence for r in rows] == list(range(1, math.ceil(10 / every) + 1))
    assert len(rows) == math.ceil(10 / every)
    leader_rows = reminder_rows(db, task_id=task.id, kind="overdue", user_id=world.user("tuan.la").id)
    assert len(leader_rows) == len(rows)


# --- row 19: header injection ------------------------------------------------------------------------

def test_row19_a_title_with_a_header_injection_is_sanitised_and_the_batch_still_goes(db, world, smtp, sent_events):
    evil = "Báo cáo tiến độ\r\nBcc: x@evil.example\r\nX-Evil: 1"
    made = world.tasks([dict(title="Nhiệm vụ trước", deadline=DEADLINE), dict(title=evil, deadline=DEADLINE),
                        dict(title="Nhiệm vụ sau", deadline=DEADLINE, assignee="quang.dv")])
    sent_events()
    plan_and_send(db, date(2025, 3, 10))
    assert len(smtp.messages) == 3
    assert all(m.rcpt_tos in (["lan.nt@example.gov.vn"], ["quang.dv@example.gov.vn"]) for m in smtp.messages)
    rows = outbox_by_message_id(db)
    [bad] = [m for m in smtp.messages if rows[m.message_id].task_id == made[1].id]
    assert bad.message["Bcc"] is None and bad.message["X-Evil"] is None
    header_lines = bad.raw.split(b"\r\n\r\n", 1)[0].split(b"\r\n")
    assert not [line for line in header_lines if line.lower().startswith((b"bcc", b"x-evil"))]
    subject = bad.subject
    assert "\r" not in subject and "\n" not in subject
    assert "Báo cáo tiến độ Bcc: x@evil.example X-Evil: 1" in subject
    assert "19/03/2025" in subject  # the subject still names the deadline
    assert {r.state for r in db.session.scalars(select(OutboxMessage))} == {"sent"}


# --- channels and language ---------------------------------------------------------------------------

def test_a_user_who_turned_email_off_gets_in_app_reminders_only(db, world, runner, smtp, sent_events):
    lan = world.user("lan.nt")
    lan.email_notifications = False
    world.task(deadline=DEADLINE)
    sent_events()
    result = runner.invoke(args=["reminders", "run", "--today", "2025-03-10"])
    assert "lan.nt: due_in_7d #1 (deadline 2025-03-19) [in-app]" in result.output
    assert in_app(db) == [("lan.nt", "due_in_7d", 1)]
    assert reminder_rows(db) == [] and mailed(db, smtp) == []
    assert smtp.to("lan.nt@example.gov.vn") == []


def test_the_admin_can_turn_a_channel_off_for_everyone(db, world, smtp, sent_events):
    world.task(deadline=DEADLINE)
    set_rules(db, inapp_enabled=False)
    sent_events()
    plan_and_send(db, date(2025, 3, 10))
    assert in_app(db) == [] and mailed(db, smtp) == [("lan.nt", "due_in_7d", 1)]
    set_rules(db, inapp_enabled=True, email_enabled=False)
    plan_and_send(db, date(2025, 3, 14))
    assert in_app(db) == [("lan.nt", "due_in_3d", 1)] and len(smtp.messages) == 1
    assert plan_digest(MONDAY, AppMailer()) == 0


def reminder_email(db, smtp, world, username="lan.nt", language="vi"):
    user = world.user(username)
    user.language = language
    task = world.task("Triển khai kế hoạch ứng dụng IPv6", deadline=DEADLINE, assignee=username)
    db.session.commit()
    dispatch()
    smtp.clear()
    plan_and_send(db, date(2025, 3, 14))
    [message] = smtp.messages
    return task, message.message


def test_the_reminder_email_names_the_task_and_the_deadline_with_a_link_in_text_and_html(db, world, smtp):
    task, message = reminder_email(db, smtp, world)
    assert "Triển khai kế hoạch ứng dụng IPv6" in message["Subject"]
    assert "19/03/2025" in message["Subject"]
    assert message.get_content_type() == "multipart/alternative"
    assert message["From"] == "tracker@ubnd.example.gov.vn" and message["To"] == "Nguyễn Thị Lan <lan.nt@example.gov.vn>"
    assert message["Message-ID"].endswith("@ubnd.example.gov.vn>")
    link = f"{BASE_URL}/tasks/{task.id}"
    text, html = text_part(message), html_part(message)
    assert link in text and f'href="{link}"' in html
    for body in (text, html):
        assert "Nguyễn Thị Lan" in body and "1/TB-UBND" in body and "Phòng Công nghệ thông tin" in body


def test_the_reminder_email_is_in_vietnamese_for_a_vietnamese_user(db, world, smtp):
    _task, message = reminder_email(db, smtp, world, language="vi")
    text = text_part(message)
    for english in ("Dear", "This task is due in", "Open the task", "Reminder", "deadline", "Lead unit"):
        assert english not in text and english not in message["Subject"]


def test_the_reminder_email_is_in_english_for_an_english_user(db, world, smtp):
    _task, message = reminder_email(db, smtp, world, language="en")
    assert message["Subject"].startswith("[Reminder] ")
    assert "This task is due in 3 working days" in text_part(message)



# --- events also notify: assignment, return, extension decisions ----------------------------------------

def test_assignment_return_and_extension_decisions_notify_in_the_app_and_by_email(db, world, smtp):
    day = date(2025, 3, 10)

    def events() -> list[tuple[str, str]]:
        db.session.commit()
        dispatch()
        rows = outbox_by_message_id(db)
        found = sorted((rows[m.message_id].user.username, rows[m.message_id].kind) for m in smtp.messages)
        smtp.clear()
        return found

    def in_app_events() -> list[tuple[str, str]]:
        found = sorted((n.user.username, n.kind) for n in db.session.scalars(
            select(Notification).where(Notification.kind != "reminder", Notification.read_at.is_(None))))
        for n in db.session.scalars(select(Notification)):
            n.read_at = n.read_at or n.created_at
        return found

    task = world.task(deadline=DEADLINE, assignee=None, lead="STTTT-CNTT")
    assert events() == [("tuan.la", "assigned")]  # nobody assigned: the lead unit's leader
    assert in_app_events() == [("tuan.la", "assigned")]
    workflow.assign(world.user("tuan.la"), task, world.user("lan.nt"))
    assert events() == [("lan.nt", "assigned")]
    assert in_app_events() == [("lan.nt", "assigned")]

    workflow.submit_completion(world.user("tuan.la"), task, "Đã xong.", day)
    db.session.commit()
    workflow.return_completion(world.user("nga.tt"), task, "Chưa đủ hồ sơ.", day)
    returned = [e for e in events() if e[1] == "returned"]
    assert returned == [("lan.nt", "returned"), ("tuan.la", "returned")]  # the assignee and who reported

    ext = workflow.request_extension(world.user("tuan.la"), task, date(2025, 3, 31), "Chờ ý kiến Sở Tài chính.", day)
    db.session.commit()
    in_app_events()
    events()
    workflow.decide_extension(world.user("nga.tt"), ext, True, "Đồng ý.", day)
    assert events() == [("lan.nt", "extension_approved"), ("tuan.la", "extension_approved")]
    assert in_app_events() == [("lan.nt", "extension_approved"), ("tuan.la", "extension_approved")]
    [message] = [m for m in outbox_by_message_id(db).values() if m.kind == "extension_approved"
                 and m.user.username == "lan.nt"]
    assert "31/03/2025" in message.body_text  # the new deadline


# --- who "the issuer" is ----------------------------------------------------------------------------------

ESCALATION_DAY = date(2025, 4, 2)  # the 10th working day after DEADLINE


def escalated_to(db) -> list[str]:
    plan_reminders(ESCALATION_DAY, mailer=AppMailer())
    db.session.commit()
    return sorted(r.user.username for r in reminder_rows(db, kind="escalation"))


def test_escalation_goes_to_the_leader_the_directive_was_recorded_for_and_the_secretaries(db, world):
    world.task(deadline=DEADLINE, recorder="thu.lt", on_behalf_of="hung.nv")
    assert escalated_to(db) == ["hung.nv", "thu.lt"]


def test_escalation_goes_to_the_leader_who_recorded_the_directive_himself(db, world):
    world.task(deadline=DEADLINE, recorder="nga.tt", on_behalf_of=None)
    assert escalated_to(db) == ["nga.tt", "thu.lt"]


def test_escalation_goes_to_every_leader_when_the_issuer_is_unknown_or_gone(db, world):
    world.task(deadline=DEADLINE, recorder="thu.lt", on_behalf_of="nga.tt")
    world.user("nga.tt").active = False
    db.session.commit()
    assert escalated_to(db) == ["hung.nv", "thu.lt"]


def test_escalation_of_a_sub_task_goes_to_the_leader_who_split_it(db, world):
    parent = world.task(deadline=DEADLINE, lead="STTTT", assignee=None)
    workflow.add_task(world.user("minh.pq"), parent.directive, workflow.TaskData(
        title="Nhiệm vụ con", lead_unit=world.unit("STTTT-CNTT"), assignee=world.user("lan.nt"), deadline=DEADLINE),
        date(2025, 3, 1), parent=parent)
    db.session.commit()
    # the parent escalates to the province's side, the sub-task to the department's
    assert escalated_to(db) == ["hoa.nt", "minh.pq", "nga.tt", "thu.lt"]
