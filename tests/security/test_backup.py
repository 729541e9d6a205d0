"""`flask backup` and `flask restore` (reliability.md row 48, issue 9 item 5).

A backup is taken while a thread keeps posting progress reports; it is
restored into a fresh database and upload folder; the copy passes
`PRAGMA integrity_check` (SQLite), its row counts are those of its manifest,
and the app serves a task page and an attachment from it. PostgreSQL goes
through `pg_dump -Fc` / `pg_restore` into a new database.
"""
from __future__ import annotations

import io
import json
import sqlite3
import threading
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url
from werkzeug.datastructures import FileStorage

from tests.conftest import PG_URL
from tracker import uploads
from tracker.backup import MANIFEST, sqlite_counts
from tracker.database import db as _db
from tracker.models import ProgressUpdate, Task, User
from tracker.services import workflow
from tracker.timeutil import today

PNG = b"\x89PNG\r\n\x1a\n" + b"backup" * 20


def _attach(task: Task, user: User):
    update = workflow.post_update(user, task, workflow.UpdateData(progress=65, results="Báo cáo có tệp đính kèm"), today())
    attachment, data = uploads.store(FileStorage(io.BytesIO(PNG), filename="bien-ban.png"), user.id)
    attachment.update = update
    _db.session.add(attachment)
    _db.session.flush()
    uploads.write_file(attachment, data)
    _db.session.commit()
    return attachment


class Writer(threading.Thread):
    """Posts progress reports, one transaction each, until stopped."""

    def __init__(self, app, task_id: int, user_id: int):
        super().__init__(daemon=True)
        self.app, self.task_id, self.user_id = app, task_id, user_id
        self.stop = threading.Event()
        self.written = 0
        self.error: BaseException | None = None

    def run(self):
        try:
            with self.app.app_context():
                while not self.stop.is_set():
                    task, user = _db.session.get(Task, self.task_id), _db.session.get(User, self.user_id)
                    workflow.post_update(user, task, workflow.UpdateData(progress=self.written % 100,
                                                             results=f"ghi trong lúc sao lưu {self.written}"), today())
                    _db.session.commit()
                    self.written += 1
                _db.session.remove()
        except BaseException as error:  # noqa: BLE001 - reported by the test
            self.error = error


@pytest.fixture
def fresh_target(make_app, tmp_path):
    """An app over an empty database (a new SQLite file, or a new PostgreSQL database) and upload folder."""
    created = None
    if PG_URL:
        url = make_url(PG_URL)
        name = f"{url.database}_restore_{uuid.uuid4().hex[:8]}"
        admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        created = name
        target_url = url.set(database=name).render_as_string(hide_password=False)
    else:
        target_url = f"sqlite:///{tmp_path / 'restored' / 'tracker.db'}"
    app = make_app(SQLALCHEMY_DATABASE_URI=target_url, UPLOAD_FOLDER=str(tmp_path / "restored-uploads"))
    yield app
    with app.app_context():
        _db.session.remove()
        _db.engine.dispose()
    if created:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{created}" WITH (FORCE)'))
        admin.dispose()


def _invoke(app, *args):
    """Run a command against `app` (the test's own app context would otherwise be used)."""
    with app.app_context():
        return app.test_cli_runner().invoke(args=list(args))


def _counts(app) -> dict[str, int]:
    with app.app_context():
        from sqlalchemy import inspect

        with _db.engine.connect() as conn:
            names = inspect(conn).get_table_names()
            return {n: conn.execute(text(f'SELECT count(*) FROM "{n}"')).scalar_one() for n in sorted(names)}


def test_backup_during_writes_then_restore_into_a_fresh_place(app, db, demo, runner, fresh_target, tmp_path):
    task = db.session.scalar(select(Task).where(Task.title.startswith("Triển khai kế hoạch ứng dụng IPv6")))
    lan = db.session.scalar(select(User).where(User.username == "lan.nt"))
    attachment = _attach(task, lan)
    before = db.session.scalar(select(func.count()).select_from(ProgressUpdate))
    task_id, title, attachment_id, stored_name, lan_id = task.id, task.title, attachment.id, \
        attachment.stored_name, lan.id
    db.session.commit()  # the test holds no transaction (on SQLite: no write lock) while the writer runs
    writer = Writer(app, task_id, lan_id)
    writer.start()
    try:
        while writer.written < 5 and writer.is_alive():  # writes are under way
            threading.Event().wait(0.02)
        result = runner.invoke(args=["backup", str(tmp_path / "backup")])
        written_at_end_of_backup = writer.written
        while writer.written < written_at_end_of_backup + 3 and writer.is_alive():  # and go on after it
            threading.Event().wait(0.02)
    finally:
        writer.stop.set()
        writer.join(10)
    assert writer.error is None, writer.error
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Backup written to")
    backup = tmp_path / "backup"
    manifest = json.loads((backup / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["backend"] == db.engine.dialect.name
    assert manifest["created_at"].endswith("+00:00")
    assert manifest["uploads"]["files"] == 1
    assert (backup / "uploads" / stored_name).read_bytes() == PNG
    # A snapshot of one instant in the middle of the writes.
    saved = manifest["tables"]["progress_update"]
    db.session.commit()
    now = db.session.scalar(select(func.count()).select_from(ProgressUpdate))
    assert before + 5 <= saved < now
    if manifest["backend"] == "sqlite":
        copy = sqlite3.connect(backup / manifest["database"])
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert sqlite_counts(copy) == manifest["tables"]
        copy.close()
    else:
        assert (backup / "tracker.dump").read_bytes()[:5] == b"PGDMP"

    # Restore into an empty database and upload folder.
    result = _invoke(fresh_target, "restore", str(backup))
    assert result.exit_code == 0, result.output
    restored = _counts(fresh_target)
    assert {k: v for k, v in restored.items() if k in manifest["tables"]} == manifest["tables"]
    if manifest["backend"] == "sqlite":
        file = Path(make_url(fresh_target.config["SQLALCHEMY_DATABASE_URI"]).database)
        check = sqlite3.connect(file)
        assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        check.close()
    # The app serves the restored data: a task page and its attachment.
    client = fresh_target.test_client()
    assert client.post("/login", data={"username": "lan.nt", "password": "tracker-demo"}).status_code == 302
    page = client.get(f"/tasks/{task_id}")
    assert page.status_code == 200 and title in page.get_data(as_text=True)
    download = client.get(f"/attachments/{attachment_id}")
    assert download.status_code == 200 and download.get_data() == PNG
    download.close()


def test_restore_refuses_a_database_with_data_unless_forced(app, db, demo, runner, tmp_path):
    result = runner.invoke(args=["backup", str(tmp_path / "b")])
    assert result.exit_code == 0, result.output
    # A second backup into the same directory is refused: one directory per backup.
    again = runner.invoke(args=["backup", str(tmp_path / "b")])
    assert again.exit_code != 0 and "not an empty directory" in again.output
    # The live database has data: restoring over it needs --force.
    task = db.session.scalar(select(Task).order_by(Task.id))
    task_id, old_title = task.id, task.title
    task.title = "đổi sau khi sao lưu"
    db.session.commit()
    refused = runner.invoke(args=["restore", str(tmp_path / "b")])
    assert refused.exit_code != 0 and "--force" in refused.output
    db.session.expire_all()
    assert db.session.get(Task, task_id).title == "đổi sau khi sao lưu"
    forced = runner.invoke(args=["restore", str(tmp_path / "b"), "--force"])
    assert forced.exit_code == 0, forced.output
    _db.session.remove()
    assert _db.session.get(Task, task_id).title == old_title


def test_restore_refuses_what_is_not_a_backup(app, runner, tmp_path):
    (tmp_path / "empty").mkdir()
    result = runner.invoke(args=["restore", str(tmp_path / "empty")])
    assert result.exit_code != 0 and "manifest.json" in result.output


@pytest.mark.sqlite_only
def test_a_damaged_copy_is_refused(app, db, demo, runner, fresh_target, tmp_path):
    assert runner.invoke(args=["backup", str(tmp_path / "b")]).exit_code == 0
    manifest = json.loads((tmp_path / "b" / MANIFEST).read_text())
    manifest["tables"]["task"] += 1  # the copy no longer holds what its manifest says
    (tmp_path / "b" / MANIFEST).write_text(json.dumps(manifest))
    result = _invoke(fresh_target, "restore", str(tmp_path / "b"))
    assert result.exit_code != 0 and "row counts differ" in result.output


def test_without_pg_dump_the_command_says_what_to_install(app, db, runner, tmp_path, monkeypatch):
    import shutil

    from tracker import backup

    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(backup.BackupError, match="pg_dump is not on PATH"):
        backup._tool("pg_dump")
    if db.engine.dialect.name == "postgresql":
        result = runner.invoke(args=["backup", str(tmp_path / "b")])
        assert result.exit_code == 1
        assert result.output.strip().splitlines()[-1].startswith("Error: pg_dump is not on PATH")
