"""The e-mail outbox: enqueue once per key, claim, send, retry with backoff.

Guarantees (reliability.md rows 3-8): a key is queued once however often
or in how many processes the planner runs (a unique key and INSERT ... ON
CONFLICT DO NOTHING); a claimed row carries a lease, so a dispatcher that
dies before sending leaves it to be claimed again once the lease expires;
each row is committed as sent right after the server accepts it, so a crash
in between causes at most one repeat, with the same Message-ID; temporary
failures (4xx, connection errors) retry on the backoff table, permanent
ones (5xx) or too many attempts end as `failed` with an audit event.
"""
from __future__ import annotations

import smtplib
from datetime import date, datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from tracker.extensions import db
from tracker.models import Notification, OutboxMessage, User
from tracker.services import audit
from tracker.timeutil import utcnow

BACKOFF = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=15), timedelta(hours=1),
           timedelta(hours=4))
MAX_ATTEMPTS = len(BACKOFF) + 1
LEASE = timedelta(minutes=5)
BATCH = 50


def _insert(model):
    dialect = db.session.get_bind().dialect.name
    return (postgresql.insert(model) if dialect == "postgresql" else sqlite.insert(model))


def enqueue_email(*, key: str, kind: str, user: User, subject: str, text: str, html: str, message_id: str,
                  planned_for: date, task_id: int | None = None, deadline: date | None = None,
                  occurrence: int = 1, now: datetime | None = None) -> bool:
    """Queue an e-mail unless one with `key` exists; return True if this call queued it."""
    now = now or utcnow()
    stmt = _insert(OutboxMessage).values(
        dedupe_key=key[:200], kind=kind, occurrence=occurrence, task_id=task_id, user_id=user.id, deadline=deadline,
        planned_for=planned_for, to_addr=user.email, subject=subject[:500], body_text=text, body_html=html,
        message_id=message_id, state="pending", attempts=0, next_attempt_at=now, last_error="", attempt_log=[],
        created_at=now,
    ).on_conflict_do_nothing(index_elements=["dedupe_key"]).returning(OutboxMessage.id)
    return db.session.execute(stmt).scalar() is not None  # (rowcount is -1 here with psycopg 3)


def enqueue_notification(*, key: str, kind: str, user: User, task_id: int | None, title: str,
                         now: datetime | None = None) -> bool:
    """Add an in-app notification unless one with `key` exists."""
    stmt = _insert(Notification).values(
        user_id=user.id, kind=kind, task_id=task_id, title=title[:500], created_at=now or utcnow(), dedupe_key=key[:200],
    ).on_conflict_do_nothing(index_elements=["dedupe_key"]).returning(Notification.id)
    return db.session.execute(stmt).scalar() is not None


def claim(now: datetime, limit: int = BATCH) -> list[int]:
    """Lease up to `limit` due rows to this dispatcher and commit; return their ids."""
    due = or_(
        (OutboxMessage.state == "pending") & (OutboxMessage.next_attempt_at <= now),
        (OutboxMessage.state == "sending") & (OutboxMessage.lease_until < now),
    )
    stmt = select(OutboxMessage.id).where(due).order_by(OutboxMessage.next_attempt_at, OutboxMessage.id).limit(limit)
    if db.session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True)
    ids = list(db.session.scalars(stmt))
    if ids:
        db.session.execute(update(OutboxMessage).where(OutboxMessage.id.in_(ids))
                           .values(state="sending", lease_until=now + LEASE))
    db.session.commit()
    return ids


def _log(row: OutboxMessage, now: datetime, outcome: str) -> None:
    row.attempt_log = list(row.attempt_log or []) + [{"at": now.isoformat(), "outcome": outcome[:200]}]


def send_claimed(ids: list[int], transport, now_fn=utcnow, lease_until: datetime | None = None) -> dict[str, int]:
    """Send the claimed rows one by one, committing each outcome at once.

    With `lease_until` (the lease `claim` gave them), a row whose lease ran
    out before its turn is left alone: another dispatcher may have claimed it.
    """
    from tracker.mail import build_message

    counts = {"sent": 0, "retry": 0, "failed": 0}
    for row_id in ids:
        row = db.session.get(OutboxMessage, row_id)
        if row is None or row.state != "sending":
            continue
        if lease_until is not None and (row.lease_until != lease_until or now_fn() >= lease_until):
            continue  # no longer ours (a slow batch): the next claim will take it
        try:
            msg = build_message(to_addr=row.to_addr, subject=row.subject, text=row.body_text, html=row.body_html,
                                message_id=row.message_id)
        except Exception as error:  # noqa: BLE001 - e.g. a malformed address: it never goes, and must not block others
            _fail(row, now_fn(), f"cannot build the message: {type(error).__name__}: {error}", permanent=True)
            counts["failed"] += 1
            db.session.commit()
            continue
        try:
            transport.send(msg)
        except smtplib.SMTPResponseException as error:
            now = now_fn()
            permanent = 500 <= error.smtp_code < 600
            _fail(row, now, f"{error.smtp_code} {_text(error.smtp_error)}", permanent)
            counts["failed" if row.state == "failed" else "retry"] += 1
        except smtplib.SMTPRecipientsRefused as error:  # refused at RCPT TO: the code says whether to retry
            now = now_fn()
            code, reply = next(iter(error.recipients.values()), (450, b""))
            _fail(row, now, f"{code} {_text(reply)}", permanent=500 <= code < 600)
            counts["failed" if row.state == "failed" else "retry"] += 1
        except (smtplib.SMTPException, OSError) as error:
            now = now_fn()
            _fail(row, now, f"{type(error).__name__}: {error}", permanent=False)
            counts["failed" if row.state == "failed" else "retry"] += 1
        else:
            now = now_fn()
            row.state = "sent"
            row.sent_at = now
            row.attempts += 1
            row.lease_until = None
            row.last_error = ""
            _log(row, now, "sent")
            counts["sent"] += 1
        db.session.commit()
    return counts


def _text(reply: bytes | str) -> str:
    """The server's reply as text, for the admin's outbox page."""
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)


def _fail(row: OutboxMessage, now: datetime, error: str, permanent: bool) -> None:
    row.attempts += 1
    row.last_error = error[:1000]
    row.lease_until = None
    _log(row, now, error)
    if permanent or row.attempts >= MAX_ATTEMPTS:
        row.state = "failed"
        audit.record("reminder.failed", actor=None, object_type="outbox_message", object_id=row.id,
                     summary=f"{row.kind} to {row.to_addr}: {error}"[:500], ip="scheduler")
    else:
        row.state = "pending"
        row.next_attempt_at = now + BACKOFF[min(row.attempts - 1, len(BACKOFF) - 1)]


def dispatch(now: datetime | None = None, transport=None, limit: int = BATCH) -> dict[str, int]:
    """Claim and send what is due now, batch after batch; return the counts."""
    from tracker.mail import Transport

    transport = transport or Transport()
    totals = {"sent": 0, "retry": 0, "failed": 0}
    try:
        while True:
            claimed_at = now or utcnow()
            ids = claim(claimed_at, limit)
            if not ids:
                break
            sent = send_claimed(ids, transport, now_fn=(lambda: now) if now else utcnow,
                                lease_until=claimed_at + LEASE)
            for key, value in sent.items():
                totals[key] += value
            if len(ids) < limit:
                break
    finally:
        transport.close()
    return totals


def retry_failed() -> int:
    """Put failed rows back in the queue (admin's "retry failed" button)."""
    result = db.session.execute(update(OutboxMessage).where(OutboxMessage.state == "failed")
                                .values(state="pending", attempts=0, next_attempt_at=utcnow(), lease_until=None))
    return result.rowcount
