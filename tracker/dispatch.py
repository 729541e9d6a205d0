"""The dispatcher: claim the outbox's due rows, send them, commit each outcome at once.

Guarantees (reliability.md rows 3-8): a claimed row carries a lease, so a
dispatcher that dies before sending leaves it to be claimed again once the
lease expires; each row is committed as sent right after the server accepts
it, so a crash in between causes at most one repeat, with the same
Message-ID; temporary failures (4xx, connection errors) retry on the backoff
table, permanent ones (5xx) or too many attempts end as `failed` with an
audit event. Reminders the planner queued unrendered are written here,
a claimed batch at once, just before they are sent; the text is kept with
the row (a retry sends the same). It owns its transactions (a job, not a
service).
"""
from __future__ import annotations

import smtplib
from datetime import datetime

from sqlalchemy import or_, select, update
from sqlalchemy.orm import joinedload

from tracker.database import db
from tracker.mail import AppMailer, Transport, build_message
from tracker.models import OutboxMessage
from tracker.services import audit, planner
from tracker.services.outbox import BACKOFF, BATCH, LEASE, MAX_ATTEMPTS
from tracker.timeutil import utcnow


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
    counts = {"sent": 0, "retry": 0, "failed": 0}
    rendered = _render_unrendered(ids)
    for row_id in ids:
        row = db.session.scalar(select(OutboxMessage).where(OutboxMessage.id == row_id)
                                .options(joinedload(OutboxMessage.user)))  # read afresh: another may have it
        if row is None or row.state != "sending":
            continue
        if lease_until is not None and (row.lease_until != lease_until or now_fn() >= lease_until):
            continue  # no longer ours (a slow batch): the next claim will take it
        try:
            if row_id in rendered:  # a reminder queued unrendered: its text is kept with it from now on
                if isinstance(rendered[row_id], Exception):
                    raise rendered[row_id]
                subject, row.body_text, row.body_html = rendered[row_id]
                row.subject = subject[:500]
            msg = build_message(to_addr=row.to_addr, subject=row.subject, text=row.body_text, html=row.body_html,
                                message_id=row.message_id, to_name=row.user.full_name if row.user else "")
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


def _render_unrendered(ids: list[int]) -> dict[int, tuple[str, str, str] | Exception]:
    """Render the claimed reminders the planner queued unrendered, all at once before sending any.

    The rows' tasks, people and parts are read in a few queries here, as
    the per-row commits that follow would have them read again row by row.
    A row that cannot be rendered gets its error, to fail alone.
    """
    rows = db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.id.in_(ids), OutboxMessage.data.is_not(None), OutboxMessage.body_text == "")).all()
    if not rows:
        return {}
    loaded = planner.load_for_rendering(rows)  # noqa: F841 - held while rendering
    mailer = AppMailer()
    rendered: dict[int, tuple[str, str, str] | Exception] = {}
    for row in rows:
        try:
            rendered[row.id] = planner.render_reminder(row, mailer)
        except Exception as error:  # noqa: BLE001 - e.g. a template error: this row fails, the batch goes on
            rendered[row.id] = error
    return rendered


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
