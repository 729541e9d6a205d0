"""APScheduler wiring: one clock that calls `jobs.tick` every minute.

The scheduler never starts inside web workers. It runs in `flask scheduler`
(production: exactly one such process) and in `flask serve` (the
development server of `make run`, without the reloader, so exactly once).
State lives in tables, so a restart or a second copy doubles nothing.
"""
from __future__ import annotations

from zoneinfo import ZoneInfo

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.interval import IntervalTrigger
from flask import Flask

from tracker import jobs

TICK_SECONDS = 60


def build_scheduler(app: Flask, blocking: bool = False):
    """Return a configured (not started) scheduler with the tick job."""
    zone = ZoneInfo(app.config["TIMEZONE"])
    cls = BlockingScheduler if blocking else BackgroundScheduler
    scheduler = cls(
        timezone=zone,
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
    )
    scheduler.add_job(
        jobs.tick, IntervalTrigger(seconds=TICK_SECONDS, timezone=zone), args=[app], id="tick",
        name="Periodic work (reminders, digests)", replace_existing=True,
        coalesce=True, max_instances=1, misfire_grace_time=None,
    )
    return scheduler
