"""Where the scheduler runs, how its job is set up, and the lease lock that elects one leader.

Reliability rows 1 (no scheduler in web workers) and 18 (safe job settings),
and the lease-row leader lock used on SQLite.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import select

from tracker import create_app, jobs
from tracker import scheduler as scheduler_module
from tracker.models import SchedulerLease
from tracker.scheduler import LEASE, TICK_SECONDS, LeaderLock, build_scheduler, leader_tick

ROOT = Path(__file__).resolve().parents[2]

GUNICORN_WORKER = """
import json, sys, threading
from gunicorn.util import import_app

app = import_app("wsgi:app")  # what a gunicorn worker does with `gunicorn wsgi:app`
client = app.test_client()
statuses = [client.get(path, base_url="https://tracker.example.gov.vn").status_code for path in ("/login", "/")]
print(json.dumps({
    "threads": [t.name for t in threading.enumerate()],
    "apscheduler_imported": any(name.startswith("apscheduler") for name in sys.modules),
    "debug": app.debug, "statuses": statuses,
}))
"""


def scheduler_threads() -> list[str]:
    return [t.name for t in threading.enumerate() if "apscheduler" in t.name.lower()]


# --- row 1: no scheduler inside web workers ------------------------------------------------------------

def test_row1_a_gunicorn_worker_with_the_production_config_starts_no_scheduler(app, database_url, tmp_path):
    env = {**os.environ, "APP_ENV": "production", "SECRET_KEY": "x" * 48, "DATABASE_URL": database_url,
           "BASE_URL": "https://tracker.example.gov.vn",
           "OUTBOX_FOLDER": str(tmp_path / "outbox"), "UPLOAD_FOLDER": str(tmp_path / "uploads")}
    env.pop("TEST_DATABASE_URL", None)
    result = subprocess.run([sys.executable, "-c", GUNICORN_WORKER], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    worker = json.loads(result.stdout.strip().splitlines()[-1])
    assert worker["threads"] == ["MainThread"]
    assert not worker["apscheduler_imported"]
    assert worker["debug"] is False
    assert all(status < 500 for status in worker["statuses"]), worker


def test_row1_building_the_production_app_in_process_starts_no_thread(database_url):
    before = set(threading.enumerate())
    web = create_app("production", SECRET_KEY="y" * 48, BASE_URL="https://tracker.example.gov.vn",
                     SQLALCHEMY_DATABASE_URI=database_url)
    with web.test_request_context("/"):
        pass
    assert set(threading.enumerate()) == before
    assert scheduler_threads() == []
    assert web.config["RUN_SCHEDULER"] is False


def test_the_development_server_runs_one_scheduler_without_the_reloader(app, runner, monkeypatch):
    started, served = [], []

    class Spy:
        def __init__(self, app, blocking=False):
            self.blocking = blocking

        def start(self):
            started.append(self.blocking)

        def shutdown(self, wait=True):
            started.append("shutdown")

    monkeypatch.setattr(scheduler_module, "build_scheduler", Spy)
    monkeypatch.setattr("werkzeug.serving.run_simple",
                        lambda host, port, application, **kw: served.append((host, port, kw["use_reloader"])))
    result = runner.invoke(args=["serve", "--port", "5999"])
    assert result.exit_code == 0, result.output
    assert started == [False, "shutdown"]  # one background scheduler, stopped with the server
    assert served == [("127.0.0.1", 5999, False)]


# --- row 18: the job's settings ---------------------------------------------------------------------------

@pytest.mark.parametrize("blocking", [False, True])
def test_row18_the_tick_job_coalesces_runs_alone_and_never_skips_a_misfire(app, blocking):
    sched = build_scheduler(app, blocking=blocking)
    job = sched.get_job("tick")
    assert job is not None
    assert job.coalesce is True
    assert job.max_instances == 1
    assert job.misfire_grace_time is None
    assert job.trigger.timezone == ZoneInfo("Asia/Ho_Chi_Minh")
    assert sched.timezone == ZoneInfo("Asia/Ho_Chi_Minh")
    assert job.trigger.interval == timedelta(seconds=TICK_SECONDS)
    assert job.func is leader_tick
    assert [j.id for j in sched.get_jobs()] == ["tick"]
    assert not sched.running and scheduler_threads() == []


# --- the lease lock (databases without advisory locks) ---------------------------------------------------

@pytest.mark.sqlite_only
def test_the_lease_lock_elects_one_leader_until_its_lease_runs_out(app, db):
    db.session.commit()
    first, second = LeaderLock(app), LeaderLock(app)
    second.holder = "other-host:4242"
    start = datetime(2025, 3, 10, 1, 0, tzinfo=timezone.utc)
    with time_machine.travel(start, tick=False) as clock:
        assert first.acquire() is True
        assert second.acquire() is False
        clock.shift(LEASE - timedelta(seconds=1))
        assert first.acquire() is True  # renewed at every tick
        assert second.acquire() is False
        clock.shift(LEASE - timedelta(seconds=1))
        assert second.acquire() is False  # still within the renewed lease
        clock.shift(timedelta(seconds=2))  # the leader stopped renewing (it died)
        assert second.acquire() is True
        assert first.acquire() is False
    [lease] = db.session.scalars(select(SchedulerLease)).all()
    assert lease.holder == "other-host:4242"


def test_only_the_leader_runs_the_jobs(app, monkeypatch):
    ran = []
    monkeypatch.setattr(jobs, "tick", lambda application: ran.append(application))

    class Lock:
        def __init__(self, leader):
            self.leader = leader

        def acquire(self):
            return self.leader

    leader_tick(app, Lock(False))
    assert ran == []
    leader_tick(app, Lock(True))
    assert ran == [app]


def test_a_failing_run_is_logged_and_the_scheduler_carries_on(app, monkeypatch, caplog):
    def boom(now=None):
        raise RuntimeError("database gone")

    monkeypatch.setattr(jobs, "run_reminders", boom)
    jobs.tick(app)  # does not raise
    assert "reminder run failed" in caplog.text
