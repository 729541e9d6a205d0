"""The scheduled work: each run reads the clock once, then works from tables.

Every step is idempotent (unique keys in the outbox), so running it twice,
in two processes, or after a crash sends nothing twice. Each step owns and
commits its transaction.
"""
from __future__ import annotations

import logging
from datetime import datetime

from flask import Flask

from tracker.extensions import db
from tracker.timeutil import local_zone, utcnow

log = logging.getLogger(__name__)


def run_reminders(now: datetime | None = None) -> dict[str, int]:
    """Plan today's reminders (from the configured hour), the weekly digest, then send what is due."""
    from tracker.services.outbox import dispatch
    from tracker.services.planner import cancel_stale, get_settings, plan_digest, plan_reminders

    now = now or utcnow()
    local = now.astimezone(local_zone())
    today = local.date()
    settings = get_settings()
    result = {"planned": 0, "digests": 0}
    if local.hour >= settings.send_hour:
        result["planned"] = len(plan_reminders(today, now))
    else:  # nothing new before the hour, but what no longer applies must not go out with the retries
        cancel_stale(today)
    db.session.commit()
    # The digest goes out on its day only (keyed per ISO week, so a restart that day sends it once).
    if local.weekday() == settings.digest_weekday and (local.hour, local.minute) >= (settings.digest_hour,
                                                                                     settings.digest_minute):
        result["digests"] = plan_digest(today, now)
        db.session.commit()
    result.update(dispatch(now))
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
