"""The scheduled work: each run reads the clock once, then works from tables.

Every step is idempotent (unique keys in the outbox), so running it twice,
in two processes, or after a crash sends nothing twice. Each step owns and
commits its transaction.
"""
from __future__ import annotations

import logging
from datetime import datetime

from flask import Flask

from tracker import dispatch
from tracker.database import db
from tracker.mail import AppMailer
from tracker.services import planner
from tracker.timeutil import local_zone, utcnow

log = logging.getLogger(__name__)


def digest_due(settings, local: datetime) -> bool:
    """True on the digest's weekday from its hour on (the admin's setting; keyed per ISO week, so sent once)."""
    return local.weekday() == settings.digest_weekday and \
        (local.hour, local.minute) >= (settings.digest_hour, settings.digest_minute)


def run_reminders(now: datetime | None = None) -> dict[str, int]:
    """Plan today's reminders (from the configured hour), the weekly digest, then send what is due."""
    now = now or utcnow()
    local = now.astimezone(local_zone())
    today = local.date()
    settings = planner.get_settings()
    mailer = AppMailer()
    result = {"planned": 0, "digests": 0}
    if local.hour >= settings.send_hour:
        result["planned"] = len(planner.plan_reminders(today, now, mailer=mailer))
    else:  # nothing new before the hour, but what no longer applies must not go out with the retries
        planner.cancel_stale(today)
    db.session.commit()
    if digest_due(settings, local):
        result["digests"] = planner.plan_digest(today, mailer, now)
        db.session.commit()
    result.update(dispatch.dispatch(now))
    return result


def tick(app: Flask) -> None:
    """One scheduler tick: the reminder run, in its own app context."""
    with app.app_context():
        try:
            result = run_reminders()
            if any(result.values()):
                log.info("reminders: %s", result)
        except Exception:  # noqa: BLE001 - a failing run must not stop the scheduler
            db.session.rollback()
            log.exception("reminder run failed")
        finally:
            db.session.remove()
