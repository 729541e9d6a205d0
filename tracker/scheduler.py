"""APScheduler wiring: one clock that calls `jobs.tick` at start, then twice a minute.

The scheduler never starts inside web workers. It runs in `flask scheduler`
(production: one such process) and in `flask serve` (the development
server of `make run`, without the reloader, so exactly once). If a second
copy is started by mistake, only the holder of the leader lock runs jobs:
a PostgreSQL advisory lock held on its own connection (released when the
process dies), or on other databases a lease row renewed every tick. The
outbox's unique keys make even a doubled run harmless.
"""
from __future__ import annotations

import logging
import os
import socket
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.interval import IntervalTrigger
from flask import Flask
from sqlalchemy import text, update
from sqlalchemy.dialects.sqlite import insert

from tracker import jobs
from tracker.database import db
from tracker.models import SchedulerLease
from tracker.timeutil import utcnow

log = logging.getLogger(__name__)
TICK_SECONDS = 30
ADVISORY_KEY = 0x7472_6163  # "trac"
LEASE = timedelta(seconds=90)


class LeaderLock:
    """Only one scheduler process runs the jobs at a time."""

    def __init__(self, app: Flask):
        self.app = app
        self.holder = f"{socket.gethostname()}:{os.getpid()}"
        self.connection = None

    def acquire(self) -> bool:
        with self.app.app_context():
            if db.engine.dialect.name == "postgresql":
                return self._advisory()
            return self._lease()

    def _advisory(self) -> bool:
        if self.connection is not None:
            try:
                self.connection.execute(text("SELECT 1"))
                self.connection.commit()  # never sit "idle in transaction" while holding the lock
                return True
            except Exception:  # noqa: BLE001 - the connection died: the lock went with it
                self.connection = None
        connection = db.engine.connect()
        got = connection.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": ADVISORY_KEY}).scalar()
        connection.commit()
        if got:
            self.connection = connection
            log.info("scheduler %s holds the leader lock", self.holder)
            return True
        connection.close()
        return False

    def _lease(self) -> bool:
        now = utcnow()
        db.session.execute(insert(SchedulerLease).values(name="scheduler", holder=self.holder,
                                                         expires_at=now + LEASE)
                           .on_conflict_do_nothing(index_elements=["name"]))
        result = db.session.execute(
            update(SchedulerLease).where(SchedulerLease.name == "scheduler",
                                         (SchedulerLease.holder == self.holder) | (SchedulerLease.expires_at < now))
            .values(holder=self.holder, expires_at=now + LEASE))
        db.session.commit()
        db.session.remove()
        return result.rowcount == 1

    def release(self) -> None:
        if self.connection is not None:
            try:  # the lock belongs to the database session, which the pool would keep alive
                self.connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": ADVISORY_KEY})
                self.connection.commit()
            except Exception:  # noqa: BLE001 - the connection died: the lock went with it
                pass
            self.connection.close()
            self.connection = None


def leader_tick(app: Flask, lock: LeaderLock) -> None:
    """Run the jobs if this process is the leader."""
    if lock.acquire():
        jobs.tick(app)


def build_scheduler(app: Flask, blocking: bool = False):
    """Return a configured (not started) scheduler with the tick job."""
    zone = ZoneInfo(app.config["TIMEZONE"])
    cls = BlockingScheduler if blocking else BackgroundScheduler
    scheduler = cls(
        timezone=zone,
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
    )
    lock = LeaderLock(app)
    scheduler.add_job(
        leader_tick, IntervalTrigger(seconds=TICK_SECONDS, timezone=zone), args=[app, lock], id="tick",
        name="Reminders: plan and send", replace_existing=True, next_run_time=datetime.now(zone),
        coalesce=True, max_instances=1, misfire_grace_time=None,
    )
    scheduler.leader_lock = lock
    return scheduler
