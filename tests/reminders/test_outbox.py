"""The e-mail outbox against a real SMTP server: leases, crashes, outages, refusals.

Reliability rows 5 to 8, the mail server stopped in the middle of a run,
and the .eml folder used when no mail server is configured.
"""
from __future__ import annotations

import email
import email.policy
import smtplib
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
import time_machine
from sqlalchemy import func, select

from tracker.dispatch import claim, dispatch, send_claimed
from tracker.mail import Transport, new_message_id
from tracker.models import AuditEvent, OutboxMessage
from tracker.services.outbox import BACKOFF, LEASE, MAX_ATTEMPTS, enqueue_email

T0 = datetime(2025, 3, 10, 0, 30, tzinfo=timezone.utc)  # 07:30 in Hà Nội


class Crash(BaseException):
    """The process dying: nothing in the dispatcher catches it."""


def queue(db, world, count: int = 1, username: str = "lan.nt", now: datetime = T0, prefix: str = "t") -> list[int]:
    """Queue `count` e-mails to `username`; return their row ids."""
    user = world.user(username)
    for n in range(count):
        enqueue_email(key=f"{prefix}:{n}", kind="due_in_7d", user=user, subject=f"[Nhắc việc] Nhiệm vụ {n}",
                      text=f"Nhiệm vụ {n}", html=f"<p>Nhiệm vụ {n}</p>", message_id=new_message_id(),
                      planned_for=date(2025, 3, 10), now=now)
    db.session.commit()
    return list(db.session.scalars(select(OutboxMessage.id).where(OutboxMessage.dedupe_key.like(f"{prefix}:%"))
                                   .order_by(OutboxMessage.id)))


def rows(db) -> list[OutboxMessage]:
    db.session.expire_all()
    return db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()


def states(db) -> list[str]:
    return [r.state for r in rows(db)]


def deliveries_per_row(db, smtp) -> list[int]:
    counts = smtp.by_message_id()
    return [counts.get(r.message_id, 0) for r in rows(db)]


# --- row 5: a dispatcher dying between claim and send loses nothing --------------------------------

def test_row5_a_dispatcher_killed_after_claiming_leaves_the_rows_to_be_sent_after_the_lease(db, world, smtp):
    queue(db, world, 3)
    claimed = claim(T0)  # ... and the process dies before sending anything
    assert len(claimed) == 3 and states(db) == ["sending"] * 3
    db.session.rollback()
    assert dispatch(now=T0 + LEASE - timedelta(seconds=1)) == {"sent": 0, "retry": 0, "failed": 0}
    assert smtp.messages == []
    assert dispatch(now=T0 + LEASE + timedelta(seconds=1))["sent"] == 3
    assert deliveries_per_row(db, smtp) == [1, 1, 1] and states(db) == ["sent"] * 3
    assert dispatch(now=T0 + timedelta(days=1))["sent"] == 0
    assert len(smtp.messages) == 3


def test_row5_a_dispatcher_killed_half_way_through_a_batch(db, world, smtp):
    queue(db, world, 4)
    ids = claim(T0)
    transport = Transport()
    send_claimed(ids[:2], transport, now_fn=lambda: T0)  # two sent and committed, then the process dies
    transport.close()
    db.session.rollback()
    assert states(db) == ["sent", "sent", "sending", "sending"]
    dispatch(now=T0 + LEASE + timedelta(seconds=1))
    assert deliveries_per_row(db, smtp) == [1, 1, 1, 1] and states(db) == ["sent"] * 4


def test_a_slow_dispatcher_does_not_send_rows_whose_lease_ran_out_and_were_claimed_again(db, world, smtp):
    queue(db, world, 3)
    ids = claim(T0)  # dispatcher A takes all three
    a_now = iter([T0, T0, T0 + LEASE + timedelta(minutes=1), T0 + LEASE + timedelta(minutes=1)])
    a, b = Transport(), Transport()
    try:
        send_claimed(ids[:1], a, now_fn=lambda: next(a_now), lease_until=T0 + LEASE)
        # The first send took over five minutes: dispatcher B claims the two others, whose lease ran out...
        b_now = T0 + LEASE + timedelta(seconds=30)
        assert claim(b_now) == ids[1:]
        # ... and A, back to its batch, must leave them to B (B holds them under a new lease).
        assert send_claimed(ids[1:], a, now_fn=lambda: next(a_now), lease_until=T0 + LEASE) == \
            {"sent": 0, "retry": 0, "failed": 0}
        assert len(smtp.messages) == 1
        assert send_claimed(ids[1:], b, now_fn=lambda: b_now, lease_until=b_now + LEASE)["sent"] == 2
    finally:
        a.close()
        b.close()
    assert deliveries_per_row(db, smtp) == [1, 1, 1] and states(db) == ["sent"] * 3


def test_a_row_whose_lease_ran_out_unclaimed_waits_for_the_next_claim(db, world, smtp):
    queue(db, world, 2)
    ids = claim(T0)
    late = T0 + LEASE + timedelta(seconds=1)
    transport = Transport()
    try:
        assert send_claimed(ids, transport, now_fn=lambda: late, lease_until=T0 + LEASE)["sent"] == 0
    finally:
        transport.close()
    assert smtp.messages == [] and states(db) == ["sending"] * 2
    dispatch(now=late)
    assert deliveries_per_row(db, smtp) == [1, 1]


# --- row 6: a crash after the server accepted, before the commit -------------------------------------

def test_row6_a_crash_after_smtp_250_causes_one_repeat_with_the_same_message_id(db, world, smtp, monkeypatch):
    [row_id] = queue(db, world, 1)
    real_send = Transport.send

    def send_then_die(self, msg):
        real_send(self, msg)
        raise Crash("killed after the server said 250")

    monkeypatch.setattr(Transport, "send", send_then_die)
    with pytest.raises(Crash):
        dispatch(now=T0)
    db.session.rollback()
    monkeypatch.setattr(Transport, "send", real_send)
    assert states(db) == ["sending"] and len(smtp.messages) == 1

    dispatch(now=T0 + timedelta(minutes=1))  # still leased to the dead process
    assert len(smtp.messages) == 1
    dispatch(now=T0 + LEASE + timedelta(seconds=1))
    assert len(smtp.messages) == 2
    first, second = smtp.messages
    assert first.message_id == second.message_id == db.session.get(OutboxMessage, row_id).message_id
    [row] = rows(db)
    assert (row.state, row.attempts) == ("sent", 1)
    for later in (timedelta(hours=1), timedelta(days=2)):
        dispatch(now=T0 + later)
    assert len(smtp.messages) == 2


# --- row 7: an outage is retried on the backoff table ---------------------------------------------------

def test_row7_451_three_times_then_delivered_on_the_fourth_attempt_at_the_backoff_times(db, world, smtp):
    smtp.temporary_failures = 3
    with time_machine.travel(T0, tick=False) as clock:
        queue(db, world, 1, now=T0)
        dispatch()
        expected_times = [T0]
        for step in BACKOFF[:3]:
            [row] = rows(db)
            assert row.state == "pending"
            due = row.next_attempt_at
            assert due == expected_times[-1] + step
            clock.move_to(due - timedelta(seconds=1))
            attempts = smtp.attempts
            dispatch()
            assert smtp.attempts == attempts  # not yet due: not tried
            clock.move_to(due)
            dispatch()
            expected_times.append(due)
    [row] = rows(db)
    assert (row.state, row.attempts, row.last_error) == ("sent", 4, "")
    assert smtp.attempts == 4 and len(smtp.messages) == 1
    assert [datetime.fromisoformat(entry["at"]) for entry in row.attempt_log] == expected_times
    assert expected_times == [T0, T0 + timedelta(minutes=1), T0 + timedelta(minutes=6), T0 + timedelta(minutes=21)]
    assert [entry["outcome"][:3] for entry in row.attempt_log] == ["451", "451", "451", "sen"]
    assert row.sent_at == T0 + timedelta(minutes=21)


# --- row 8: a permanent failure ends as failed, with an alert, and stops ------------------------------

def failed_audits(db) -> list[AuditEvent]:
    return db.session.scalars(select(AuditEvent).where(AuditEvent.action == "reminder.failed")).all()


@pytest.mark.parametrize("at_rcpt", [False, True], ids=["at-data", "at-rcpt"])
def test_row8_550_fails_at_once_with_an_audit_row(db, world, smtp, at_rcpt):
    smtp.permanent, smtp.at_rcpt = "550 5.1.1 Mailbox unavailable", at_rcpt
    [bad] = queue(db, world, 1, prefix="bad")
    assert dispatch(now=T0) == {"sent": 0, "retry": 0, "failed": 1}
    row = db.session.get(OutboxMessage, bad)
    assert (row.state, row.attempts) == ("failed", 1)
    assert row.last_error.startswith("550") and "Mailbox unavailable" in row.last_error
    [audit] = failed_audits(db)
    assert (audit.object_type, audit.object_id, audit.actor_id) == ("outbox_message", bad, None)
    assert "550" in audit.summary and "lan.nt@example.gov.vn" in audit.summary
    assert audit.at.tzinfo is not None and audit.at.utcoffset() == timedelta(0)
    dispatch(now=T0 + timedelta(days=3))
    assert smtp.attempts == 1 and len(failed_audits(db)) == 1


def test_row8_451_forever_fails_after_max_attempts_and_stops(db, world, smtp):
    smtp.permanent = "451 4.3.0 Try again later"
    queue(db, world, 1)
    now = T0
    for _ in range(MAX_ATTEMPTS + 3):
        dispatch(now=now)
        [row] = rows(db)
        if row.state == "failed":
            break
        now = row.next_attempt_at
    [row] = rows(db)
    assert (row.state, row.attempts) == ("failed", MAX_ATTEMPTS)
    assert smtp.attempts == MAX_ATTEMPTS and smtp.messages == []
    assert len(failed_audits(db)) == 1
    total_backoff = sum(BACKOFF[:MAX_ATTEMPTS - 1], timedelta())
    assert datetime.fromisoformat(row.attempt_log[-1]["at"]) == T0 + total_backoff
    for later in (timedelta(hours=5), timedelta(days=1), timedelta(days=30)):
        dispatch(now=T0 + later)
    assert smtp.attempts == MAX_ATTEMPTS and len(failed_audits(db)) == 1


def test_row8_the_admin_sees_the_failure_and_retries_it(db, world, smtp, login_as):
    smtp.refuse["lan.nt@example.gov.vn"] = "550 5.1.1 Mailbox unavailable"
    queue(db, world, 2, prefix="a")
    queue(db, world, 1, prefix="b", username="quang.dv")
    dispatch(now=T0)
    assert states(db) == ["failed", "failed", "sent"]
    admin = login_as("admin")
    page = admin.get("/admin/outbox").get_data(as_text=True)
    assert "Mailbox unavailable" in page
    assert 'action="/admin/outbox/retry"' in page
    failed_page = admin.get("/admin/outbox?state=failed").get_data(as_text=True)
    assert failed_page.count("Mailbox unavailable") == 2
    assert "(2)" in failed_page and "(1)" in failed_page  # failed (2), sent (1)
    smtp.refuse.clear()  # the mailbox was fixed
    response = admin.post("/admin/outbox/retry")
    assert response.status_code == 302
    assert states(db) == ["pending", "pending", "sent"]
    assert [r.attempts for r in rows(db)] == [0, 0, 1]
    assert db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "outbox.retry")) == 1
    dispatch()
    assert states(db) == ["sent"] * 3 and deliveries_per_row(db, smtp) == [1, 1, 1]
    page = admin.get("/admin/outbox").get_data(as_text=True)
    assert 'action="/admin/outbox/retry"' not in page  # nothing left to retry


def test_a_message_that_cannot_be_built_fails_alone_and_the_batch_goes_on(db, world, smtp):
    lan = world.user("lan.nt")
    lan.email = "lan.nt@"  # e.g. entered with `flask users create`, which checks only for an "@"
    db.session.commit()
    queue(db, world, 1, prefix="a", username="quang.dv")
    [bad] = queue(db, world, 1, prefix="b")
    queue(db, world, 1, prefix="c", username="quang.dv")
    assert dispatch(now=T0) == {"sent": 2, "retry": 0, "failed": 1}
    assert states(db) == ["sent", "failed", "sent"]
    assert "cannot build" in db.session.get(OutboxMessage, bad).last_error
    assert len(failed_audits(db)) == 1


# --- the mail server goes away in the middle of a run ------------------------------------------------

def test_smtp_server_stopped_mid_run_then_restarted_delivers_everything_exactly_once(db, world, smtp, monkeypatch):
    queue(db, world, 10)
    real_send = Transport.send
    sent = []

    def send_and_maybe_stop(self, msg):
        real_send(self, msg)
        sent.append(msg["Message-ID"])
        if len(sent) == 4:
            smtp.stop()  # the server goes down right after accepting the 4th message

    monkeypatch.setattr(Transport, "send", send_and_maybe_stop)
    result = dispatch(now=T0)
    assert result == {"sent": 4, "retry": 6, "failed": 0}
    assert states(db) == ["sent"] * 4 + ["pending"] * 6
    assert all("Error" in r.last_error or "Disconnected" in r.last_error or "refused" in r.last_error.lower()
               for r in rows(db)[4:])
    dispatch(now=T0 + BACKOFF[0])  # still down: a second failed attempt each
    assert [r.attempts for r in rows(db)] == [1] * 4 + [2] * 6
    smtp.start()
    dispatch(now=T0 + BACKOFF[0] + BACKOFF[1])
    assert states(db) == ["sent"] * 10
    assert deliveries_per_row(db, smtp) == [1] * 10
    dispatch(now=T0 + timedelta(days=1))
    assert len(smtp.messages) == 10


def test_a_connection_dropped_by_the_server_is_reopened_for_the_next_message(db, world, smtp, monkeypatch):
    queue(db, world, 3)
    real_send = smtplib.SMTP.send_message
    calls = []

    def flaky(self, msg, *args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            self.close()  # the server hung up between two messages
        return real_send(self, msg, *args, **kwargs)

    monkeypatch.setattr(smtplib.SMTP, "send_message", flaky)
    dispatch(now=T0)
    assert states(db) == ["sent", "pending", "sent"]
    dispatch(now=T0 + BACKOFF[0])
    assert deliveries_per_row(db, smtp) == [1, 1, 1]


# --- no mail server: .eml files ---------------------------------------------------------------------------

def test_without_a_mail_server_messages_are_written_as_eml_files(app, db, world, smtp):
    app.config["MAIL_SERVER"] = ""
    ids = queue(db, world, 2)
    assert dispatch(now=T0)["sent"] == 2
    folder = Path(app.config["OUTBOX_FOLDER"])
    files = sorted(folder.glob("*.eml"))
    assert len(files) == 2 and smtp.messages == []
    by_id = {r.message_id: r for r in rows(db)}
    for path in files:
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        row = by_id[message["Message-ID"]]
        assert row.id in ids and row.state == "sent"
        assert message["To"].addresses[0].addr_spec == "lan.nt@example.gov.vn"
        assert message["To"].addresses[0].display_name == "Nguyễn Thị Lan"
        assert message["Subject"] == row.subject
        assert message.get_body(preferencelist=("plain",)).get_content().strip() == row.body_text
        assert message.get_body(preferencelist=("html",)) is not None
    dispatch(now=T0 + timedelta(days=1))
    assert len(list(folder.glob("*.eml"))) == 2
