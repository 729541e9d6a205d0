"""Integrity under concurrency, against a real server (reliability.md rows 42, 43, 44).

gunicorn serves tests/security/server_app.py with 3 worker processes over
the test database (a SQLite file in WAL mode, or PostgreSQL when
TEST_DATABASE_URL is set). Signed-in clients (plain http.client, a cookie
each) then write to the same task at the same moment:

- 20 concurrent progress reports: 20 rows, no 500, and the task's percent is
  the one of the report committed last;
- two edits of the same task version: one is saved, the other gets 409 and
  the database keeps the first;
- and, on SQLite, 4 processes x 200 write transactions: no "database is
  locked", every row present.
"""
from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from http.client import HTTPConnection
from pathlib import Path
from urllib.parse import urlencode

import pytest
from sqlalchemy import func, select

from tracker.database import deferred_transactions
from tracker.models import LoginAttempt, ProgressUpdate, Task

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Client:
    """A browser stand-in: one cookie jar, no redirects followed."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, dict, str]:
        conn = HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())} if self.cookies else {}
        body = None
        if form is not None:
            body = urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode("utf-8", "replace")
            for name, value in response.getheaders():
                if name.lower() == "set-cookie":
                    key, _, rest = value.partition("=")
                    self.cookies[key] = rest.split(";", 1)[0]
            return response.status, dict(response.getheaders()), text
        finally:
            conn.close()

    def login(self, username: str) -> None:
        status, headers, _ = self.request("POST", "/login", {"username": username, "password": "tracker-demo"})
        assert status == 302 and not headers.get("Location", "").startswith("/login"), (username, status)


@pytest.fixture
def server(app, db, demo, database_url, tmp_path):
    """gunicorn with 3 workers over the test database; yields its port."""
    port = _free_port()
    env = dict(os.environ, TRACKER_TEST_DATABASE=database_url, TRACKER_TEST_UPLOADS=str(tmp_path / "uploads"),
               TRACKER_TEST_OUTBOX=str(tmp_path / "outbox"), PYTHONPATH=str(ROOT))
    db.session.commit()  # the test's own transaction must not hold SQLite's write lock while the server runs
    log = open(tmp_path / "gunicorn.log", "w+")
    process = subprocess.Popen(
        [str(BIN / "gunicorn"), "-w", "3", "--threads", "2", "-b", f"127.0.0.1:{port}", "--preload",
         "--graceful-timeout", "2", "--timeout", "30", "tests.security.server_app:app"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 25
        while True:
            try:
                if Client(port).request("GET", "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            assert process.poll() is None and time.monotonic() < deadline, _log(log)
            time.sleep(0.2)
        with deferred_transactions():  # the test only reads: its transactions take no write lock
            yield port
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(5)
        log.close()


def _log(log) -> str:
    log.seek(0)
    return log.read()[-3000:]


def _task(db, title_start: str) -> Task:
    return db.session.scalar(select(Task).where(Task.title.startswith(title_start)))


@pytest.mark.timeout(60)
def test_twenty_concurrent_progress_reports_are_all_kept(server, db):
    task_id = _task(db, "Triển khai kế hoạch ứng dụng IPv6").id
    before = db.session.scalar(select(func.count()).select_from(ProgressUpdate).where(ProgressUpdate.task_id == task_id))
    db.session.commit()
    reporters = ["lan.nt", "hai.nv", "minh.pq", "hoa.nt"]  # the assignee and members of the lead unit
    clients = {name: Client(server) for name in reporters}
    for name, client in clients.items():
        client.login(name)
    start = threading.Barrier(20)

    def report(n: int):
        client = clients[reporters[n % len(reporters)]]
        start.wait(10)
        status, headers, _ = client.request("POST", f"/tasks/{task_id}/updates", {
            "progress": str(n + 1), "results": f"báo cáo đồng thời số {n + 1}"})
        return status, headers.get("Location", "")

    started = time.monotonic()
    with ThreadPoolExecutor(20) as pool:
        results = list(pool.map(report, range(20)))
    elapsed = time.monotonic() - started
    assert [s for s, _ in results] == [302] * 20, results
    assert all(loc.endswith(f"/tasks/{task_id}#updates") for _, loc in results)
    db.session.commit()  # a new transaction sees what the server committed
    rows = db.session.scalars(select(ProgressUpdate).where(ProgressUpdate.task_id == task_id)
                              .order_by(ProgressUpdate.id)).all()
    assert len(rows) == before + 20
    new = rows[before:]
    assert sorted(r.progress for r in new) == list(range(1, 21))
    assert db.session.get(Task, task_id).progress == new[-1].progress, "the task's percent is the last report's"
    assert elapsed < 30


def _edit_form(task: Task, title: str) -> dict:
    return {"title": title, "description": task.description, "lead_unit_id": str(task.lead_unit_id),
            "cooperating_unit_ids": [str(u.id) for u in task.cooperating_units],
            "assignee_id": str(task.assignee_id or 0), "deadline": task.deadline.isoformat() if task.deadline else "",
            "ongoing": "" if task.deadline else "y", "priority": task.priority, "tags": ", ".join(task.tags or []),
            "reason": "", "version": str(task.version)}


@pytest.mark.timeout(60)
def test_two_edits_of_the_same_version_one_wins_one_gets_409(server, db):
    task = _task(db, "Triển khai các giải pháp Chính phủ điện tử")
    form = {name: _edit_form(task, f"{task.title} (sửa bởi {name})") for name in ("nga.tt", "thu.lt")}
    version = task.version
    db.session.commit()
    editors = {"nga.tt": Client(server), "thu.lt": Client(server)}  # the issuing unit's leader and secretary
    for name, client in editors.items():
        client.login(name)
        status, _h, page = client.request("GET", f"/tasks/{task.id}/edit")
        assert status == 200
        assert re.search(rf'name="version"[^>]*value="{version}"', page)
    start = threading.Barrier(2)
    task_id = task.id

    def edit(name: str):
        start.wait(10)
        status, _headers, body = editors[name].request("POST", f"/tasks/{task_id}/edit", form[name])
        return name, status, body

    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(edit, editors))
    statuses = sorted(status for _n, status, _b in results)
    assert statuses == [302, 409], [(n, s) for n, s, _ in results]
    winner = next(n for n, s, _b in results if s == 302)
    loser_page = next(b for _n, s, b in results if s == 409)
    assert "Reload the page" in loser_page or "Tải lại trang" in loser_page or "tải lại" in loser_page.lower()
    db.session.commit()
    task = db.session.get(Task, task_id)
    assert task.title.endswith(f"(sửa bởi {winner})")
    assert task.version == version + 1


@pytest.mark.sqlite_only
@pytest.mark.timeout(60)
def test_four_writer_processes_never_see_database_is_locked(app, db, database_url):
    """4 processes x 200 transactions, each reading then writing (BEGIN IMMEDIATE, WAL, busy_timeout)."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    processes = [subprocess.Popen([sys.executable, "-m", "tests.security.sqlite_writer", database_url, str(n), "200"],
                                  cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for n in range(4)]
    reports = []
    for process in processes:
        out, err = process.communicate(timeout=50)
        assert process.returncode == 0, err[-2000:]
        reports.append(json.loads(out.strip().splitlines()[-1]))
    assert [r["errors"] for r in reports] == [[], [], [], []]
    assert [r["committed"] for r in reports] == [200] * 4
    db.session.expire_all()
    names = set(db.session.scalars(select(LoginAttempt.username).where(LoginAttempt.username.startswith("writer-"))))
    assert names == {f"writer-{w}-{i}" for w in range(4) for i in range(200)}
    mode = db.session.connection().exec_driver_sql("PRAGMA journal_mode").scalar()
    assert mode == "wal"


def test_a_stale_version_is_refused_even_without_a_race(app, db, demo, login_as):
    """The same rule without timing luck: an edit sent with an older version answers 409 and saves nothing."""
    client = login_as("nga.tt")
    task = _task(db, "Triển khai các giải pháp Chính phủ điện tử")
    stale = _edit_form(task, "phiên bản cũ")
    ok = client.post(f"/tasks/{task.id}/edit", data=_edit_form(task, task.title + " (mới)"))
    assert ok.status_code == 302
    refused = client.post(f"/tasks/{task.id}/edit", data=stale)
    assert refused.status_code == 409
    db.session.expire_all()
    assert db.session.get(Task, task.id).title.endswith("(mới)")
    assert "phiên bản cũ" in refused.get_data(as_text=True)  # the form keeps what the user typed
