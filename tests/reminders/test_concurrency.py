"""Several processes at once, on PostgreSQL: planners, dispatchers, schedulers.

Reliability rows 2 (one active scheduler, and a takeover when it dies) and
3 (one e-mail per key with two dispatchers). Every child process builds the
app against the test database, as a second server would; each test kills
what it started, and is bounded in time.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text

from tracker.dispatch import dispatch
from tracker.models import Notification, OutboxMessage
from tracker.scheduler import ADVISORY_KEY, LeaderLock

pytestmark = [pytest.mark.postgres_only, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
TASKS = 200
DEADLINE = date(2025, 3, 19)
PLAN_DAY = date(2025, 3, 10)  # due_in_7d for all of them

WORKER = r"""
import json, sys, time
from datetime import date
from pathlib import Path

from tracker import create_app
from tracker.database import db

url, port, barrier, name, day = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3]), sys.argv[4], sys.argv[5]
app = create_app("testing", SQLALCHEMY_DATABASE_URI=url, MAIL_SERVER="127.0.0.1", MAIL_PORT=port,
                 MAIL_DEFAULT_SENDER="tracker@ubnd.example.gov.vn", BASE_URL="https://tracker.example.gov.vn")


def wait_for(signal):
    limit = time.time() + 60
    while not (barrier / signal).exists() and time.time() < limit:
        time.sleep(0.002)


with app.app_context():
    from tracker.dispatch import dispatch
    from tracker.mail import AppMailer
    from tracker.services.planner import plan_reminders

    (barrier / f"ready-{name}").touch()
    wait_for("go-plan")
    planned = len(plan_reminders(date.fromisoformat(day), mailer=AppMailer()))
    db.session.commit()
    (barrier / f"planned-{name}").write_text(str(planned))
    wait_for("go-dispatch")
    totals = {"sent": 0, "retry": 0, "failed": 0}
    idle = 0
    while idle < 3:  # the other dispatcher may hold the rest for a moment
        result = dispatch(limit=7)
        for key, value in result.items():
            totals[key] += value
        idle = idle + 1 if not any(result.values()) else 0
        if idle:
            time.sleep(0.05)
    print(json.dumps({"planned": planned, **totals}))
"""


class Workers:
    """Two processes like two servers: they plan, then dispatch, each phase released to both at once."""

    def __init__(self, database_url: str, smtp, tmp_path: Path, day: date, copies: int = 2):
        self.barrier = tmp_path / "barrier"
        self.barrier.mkdir()
        env = {**os.environ}
        env.pop("TEST_DATABASE_URL", None)
        self.procs = [subprocess.Popen([sys.executable, "-c", WORKER, database_url, str(smtp.port), str(self.barrier),
                                        str(n), day.isoformat()], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                       stderr=subprocess.PIPE, text=True) for n in range(copies)]

    def _wait_files(self, pattern: str, seconds: float = 60) -> list[Path]:
        limit = time.monotonic() + seconds
        while time.monotonic() < limit:
            found = sorted(self.barrier.glob(pattern))
            if len(found) == len(self.procs):
                return found
            if any(p.poll() is not None for p in self.procs):
                raise AssertionError([p.communicate()[1] for p in self.procs])
            time.sleep(0.01)
        raise AssertionError(f"the workers did not reach {pattern}")

    def plan(self) -> list[int]:
        self._wait_files("ready-*")
        (self.barrier / "go-plan").touch()
        return [int(path.read_text()) for path in self._wait_files("planned-*")]

    def dispatch(self) -> list[dict]:
        (self.barrier / "go-dispatch").touch()
        outputs = []
        for proc in self.procs:
            out, err = proc.communicate(timeout=90)
            assert proc.returncode == 0, err
            outputs.append(json.loads(out.strip().splitlines()[-1]))
        return outputs

    def stop(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.kill()
            proc.communicate()


def make_due_tasks(db, world, count: int = TASKS) -> None:
    """`count` open tasks of a published directive, all due on DEADLINE, among three assignees.

    Three go through the workflow; the rest are copies inserted directly, without the assignment
    e-mails of a publication, to keep the setup short.
    """
    from tracker.models import Task

    assignees = ["lan.nt", "quang.dv", "tuan.la"]
    made = world.tasks([dict(title=f"Nhiệm vụ số {n}", deadline=DEADLINE, assignee=assignees[n]) for n in range(3)])
    db.session.execute(OutboxMessage.__table__.delete())  # the three assignment e-mails
    db.session.add_all(Task(directive_id=made[0].directive_id, issuing_unit_id=made[0].issuing_unit_id,
                            lead_unit_id=made[0].lead_unit_id, assignee_id=made[n % 3].assignee_id,
                            title=f"Nhiệm vụ số {n}", deadline=DEADLINE, original_deadline=DEADLINE, state="open",
                            created_on=made[0].created_on, position=n + 1) for n in range(3, count))
    db.session.commit()


# --- row 3 ---------------------------------------------------------------------------------------------

def test_row3_two_planners_then_two_dispatchers_at_once_queue_and_send_each_key_exactly_once(
        db, world, smtp, database_url, tmp_path):
    make_due_tasks(db, world)

    workers = Workers(database_url, smtp, tmp_path, PLAN_DAY)
    try:
        planned = workers.plan()
        assert sum(planned) == TASKS, planned  # each key queued by exactly one of them
        db.session.expire_all()
        total = db.session.scalar(select(func.count(OutboxMessage.id)))
        assert total == TASKS
        assert db.session.scalar(select(func.count(func.distinct(OutboxMessage.dedupe_key)))) == total
        assert db.session.scalar(select(func.count(Notification.id)).where(
            Notification.dedupe_key.like("r:%"))) == TASKS
        dispatchers = workers.dispatch()
    finally:
        workers.stop()
    assert sum(o["sent"] for o in dispatchers) == total
    assert all(o["sent"] > 0 for o in dispatchers), dispatchers  # both really took part
    db.session.expire_all()
    rows = db.session.scalars(select(OutboxMessage)).all()
    assert {r.state for r in rows} == {"sent"}
    per_message = smtp.by_message_id()
    per_key = {r.dedupe_key: per_message.get(r.message_id, 0) for r in rows}
    assert set(per_key.values()) == {1}
    assert len(smtp.messages) == total
    assert dispatch() == {"sent": 0, "retry": 0, "failed": 0}


# --- row 2 ---------------------------------------------------------------------------------------------

# Advisory locks are per database, but pg_locks shows the whole server's: another database's scheduler
# (a benchmark's, a parallel run's) holds the same key there.
THIS_DATABASE = " AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())"


def advisory_holders(url: str) -> list[str]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return list(conn.execute(text(
                "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                "WHERE l.locktype = 'advisory' AND l.granted AND l.classid = 0 AND l.objid = :key"
                + THIS_DATABASE),
                {"key": ADVISORY_KEY}).scalars())
    finally:
        engine.dispose()


def wait_for(condition, seconds: float, step: float = 0.25):
    limit = time.monotonic() + seconds
    while time.monotonic() < limit:
        value = condition()
        if value:
            return value
        time.sleep(step)
    return condition()


def test_row2_one_scheduler_holds_the_lock_and_another_takes_over_when_it_is_killed(app, smtp, database_url,
                                                                                   tmp_path):
    plain_url = database_url.replace("postgresql+psycopg://", "postgresql://")
    procs = {}
    try:
        for name in ("sched-a", "sched-b"):
            env = {**os.environ, "APP_ENV": "development", "DATABASE_URL": f"{plain_url}?application_name={name}",
                   "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(smtp.port), "OUTBOX_FOLDER": str(tmp_path / "outbox"),
                   "UPLOAD_FOLDER": str(tmp_path / "uploads"), "FLASK_APP": "wsgi"}
            env.pop("TEST_DATABASE_URL", None)
            procs[name] = subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "scheduler"], cwd=ROOT,
                                           env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            time.sleep(0.5)  # b starts second: a is the expected first leader, though either may win
        holders = wait_for(lambda: advisory_holders(database_url), 30)
        assert len(holders) == 1, holders
        [leader] = holders
        time.sleep(2)  # both have ticked by now: still exactly one holder, and both alive
        assert advisory_holders(database_url) == [leader]
        assert all(p.poll() is None for p in procs.values())

        killed_at = time.monotonic()
        procs[leader].send_signal(signal.SIGKILL)
        procs[leader].wait(timeout=10)
        [other] = [name for name in procs if name != leader]
        assert wait_for(lambda: advisory_holders(database_url) == [other], 60, step=0.5), advisory_holders(database_url)
        assert time.monotonic() - killed_at < 60
        assert procs[other].poll() is None
    finally:
        for proc in procs.values():
            if proc.poll() is None:
                proc.kill()
            proc.wait(timeout=10)
            if proc.stderr:
                proc.stderr.close()


def test_the_advisory_lock_holder_is_not_left_idle_in_a_transaction(app, database_url):
    first, second = LeaderLock(app), LeaderLock(app)
    try:
        assert first.acquire() is True
        assert second.acquire() is False
        assert first.acquire() is True  # renewal: a query on the lock's own connection
        states = advisory_session_states(database_url)
        assert states == ["idle"], states
        first.release()
        assert second.acquire() is True
    finally:
        first.release()
        second.release()


def advisory_session_states(url: str) -> list[str]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return list(conn.execute(text(
                "SELECT a.state FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                "WHERE l.locktype = 'advisory' AND l.granted AND l.objid = :key" + THIS_DATABASE),
                {"key": ADVISORY_KEY}).scalars())
    finally:
        engine.dispose()
