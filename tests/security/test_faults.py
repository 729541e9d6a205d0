"""Faults (reliability.md row 40, issue 9 item 4): the app fails clearly and keeps nothing half-done.

- The database is unreachable: pages answer a 503 page, the API a 503 JSON
  error (with Retry-After), nothing leaks, and the app recovers by itself when
  the database is back (a SQLite file whose folder disappears; PostgreSQL
  behind a proxy that is cut and restored; a PostgreSQL port nobody listens on).
- Writing an upload fails (disk full): the form comes back with what the user
  typed and says what happened; no row and no file are kept.
- A crash in the middle of a multi-row save (the 3rd task of a batch) leaves
  no task, audit row or notification of that batch.
"""
from __future__ import annotations

import errno
import io
import socket
import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.conftest import PG_URL
from tracker.database import db as _db
from tracker.models import Attachment, AuditEvent, Directive, Notification, ProgressUpdate, Task
from tracker.services import workflow
from tracker.timeutil import today

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
DOWN_MESSAGE = "The database is not reachable right now"
DOWN_MESSAGE_VI = "Hiện không kết nối được cơ sở dữ liệu"


def _minimal_data():
    from tracker.demo import add_unit, add_user
    from tracker.services.tokens import create_token

    unit = add_unit("UBND", "Ủy ban nhân dân tỉnh", kind="province")
    user = add_user("nga.tt", "Trần Thị Nga", unit, "leader", password="tracker-demo", language="en")
    _db.session.flush()
    _row, token = create_token(user, "faults")
    _db.session.commit()
    return token


def _check_down(client, api, token):
    page = client.get("/tasks")
    assert page.status_code == 503
    body = page.get_data(as_text=True)
    assert DOWN_MESSAGE in body or DOWN_MESSAGE_VI in body
    assert "Traceback" not in body and "OperationalError" not in body and "sqlite" not in body.lower()
    assert page.headers["Retry-After"] == "30"
    assert page.headers["Content-Security-Policy"]
    response = api.get("/api/v1/tasks", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 503
    assert response.get_json()["error"]["code"] == "unavailable"
    assert response.headers["Retry-After"] == "30"
    assert api.get("/healthz").status_code == 503


def _check_up(client, api, token):
    assert client.get("/tasks").status_code == 200  # still signed in: the session row survived
    assert api.get("/api/v1/tasks", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    assert api.get("/healthz").status_code == 200


@pytest.mark.sqlite_only
def test_a_lost_sqlite_database_gives_503_then_recovers(make_app, tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    app = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{folder / 'tracker.db'}", PROPAGATE_TEST_ERRORS=False)
    with app.app_context():
        _db.create_all()
        token = _minimal_data()
        client, api = app.test_client(), app.test_client()
        assert client.post("/login", data={"username": "nga.tt", "password": "tracker-demo"}).status_code == 302
        _check_up(client, api, token)
        folder.rename(tmp_path / "gone")  # the disk or share holding the database disappears
        _db.session.remove()
        _db.engine.dispose()  # open files would keep working; new connections cannot open it
        _check_down(client, api, token)
        (tmp_path / "gone").rename(folder)
        _check_up(client, api, token)


def test_a_postgresql_port_nobody_listens_on_gives_503(make_app):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again when the block ends: nothing listens there
    app = make_app(SQLALCHEMY_DATABASE_URI=f"postgresql+psycopg://postgres@127.0.0.1:{port}/test",
                   SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": True, "connect_args": {"connect_timeout": 2}},
                   PROPAGATE_TEST_ERRORS=False)
    with app.app_context():
        _check_closed_port(app)


def _check_closed_port(app):
    client = app.test_client()
    response = client.post("/login", data={"username": "nga.tt", "password": "tracker-demo"})
    assert response.status_code == 503
    assert DOWN_MESSAGE_VI in response.get_data(as_text=True)
    response = client.get("/api/v1/tasks", headers={"Authorization": "Bearer trk_whatever"})
    assert response.status_code == 503 and response.get_json()["error"]["code"] == "unavailable"
    assert client.get("/healthz").status_code == 503


class Proxy:
    """A TCP relay to PostgreSQL that can be cut (every connection dropped) and restored on the same port."""

    def __init__(self, target: tuple[str, int]):
        self.target = target
        self.port = 0
        self.server: socket.socket | None = None
        self.conns: list[socket.socket] = []
        self.lock = threading.Lock()

    def start(self) -> None:
        server = socket.socket()
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(("127.0.0.1", self.port))
        self.port = server.getsockname()[1]
        server.listen(16)
        self.server = server
        threading.Thread(target=self._accept, args=(server,), daemon=True).start()

    def _accept(self, server: socket.socket) -> None:
        while True:
            try:
                client, _ = server.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            with self.lock:
                self.conns += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(a: socket.socket, b: socket.socket) -> None:
        try:
            while data := a.recv(65536):
                b.sendall(data)
        except OSError:
            pass
        finally:
            for s in (a, b):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def cut(self) -> None:
        if self.server is not None:
            try:
                self.server.shutdown(socket.SHUT_RDWR)  # wakes the accept() of the other thread (Linux)
            except OSError:
                pass
            self.server.close()
            self.server = None
        with self.lock:
            for conn in self.conns:
                try:
                    conn.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                conn.close()
            self.conns = []


@pytest.mark.postgres_only
def test_a_lost_postgresql_server_gives_503_then_recovers(make_app, app, db):
    from sqlalchemy.engine import make_url

    url = make_url(PG_URL)
    proxy = Proxy((url.host or "127.0.0.1", url.port or 5432))
    proxy.start()
    try:
        token = _minimal_data()
        behind = make_app(SQLALCHEMY_DATABASE_URI=url.set(host="127.0.0.1", port=proxy.port)
                          .render_as_string(hide_password=False),
                          SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": True, "connect_args": {"connect_timeout": 3}},
                          PROPAGATE_TEST_ERRORS=False)
        client, api = behind.test_client(), behind.test_client()
        assert client.post("/login", data={"username": "nga.tt", "password": "tracker-demo"}).status_code == 302
        _check_up(client, api, token)
        proxy.cut()  # the server goes away: pooled connections die, new ones are refused
        _check_down(client, api, token)
        proxy.start()  # it is back, on the same address
        _check_up(client, api, token)
    finally:
        proxy.cut()


# --- uploads that cannot be written -------------------------------------------------------

def _disk_full(*_args, **_kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")


def test_a_failed_upload_keeps_the_form_and_saves_nothing(app, db, demo, login_as, monkeypatch):
    from tracker import uploads

    monkeypatch.setattr(uploads, "write_file", _disk_full)
    task = db.session.scalar(select(Task).where(Task.title.startswith("Triển khai kế hoạch ứng dụng IPv6")))
    progress, updates = task.progress, len(task.updates)
    client = login_as("lan.nt")
    audit_rows = db.session.scalar(select(func.count()).select_from(AuditEvent))
    response = client.post(f"/tasks/{task.id}/updates", content_type="multipart/form-data", data={
        "progress": "75", "results": "Đã cấu hình IPv6 cho 12 cơ quan, còn 3 cơ quan",
        "difficulties": "Thiết bị cũ", "attachments": (io.BytesIO(PNG), "so-do-mang.png")})
    assert response.status_code == 507
    page = response.get_data(as_text=True)
    assert "Đã cấu hình IPv6 cho 12 cơ quan, còn 3 cơ quan" in page and "Thiết bị cũ" in page
    assert 'value="75"' in page
    assert "could not be saved" in page or "không lưu được" in page.lower() or "ổ đĩa" in page
    db.session.expire_all()
    task = db.session.get(Task, task.id)
    assert (task.progress, len(task.updates)) == (progress, updates)
    assert db.session.scalar(select(func.count()).select_from(Attachment)) == 0
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == audit_rows
    folder = app.config["UPLOAD_FOLDER"]
    import os

    assert not os.path.isdir(folder) or os.listdir(folder) == []


def test_a_failed_upload_on_a_new_directive_keeps_the_form(app, db, demo, login_as, monkeypatch):
    from tracker import uploads

    monkeypatch.setattr(uploads, "write_file", _disk_full)
    directives = db.session.scalar(select(func.count()).select_from(Directive))
    client = login_as("nga.tt")
    me = db.session.scalar(select(Directive.issuing_unit_id).limit(1))
    response = client.post("/directives/new", content_type="multipart/form-data", data={
        "number": "77/TB-UBND", "kind": "conclusion", "issued_on": today().isoformat(), "issuing_unit_id": str(me),
        "on_behalf_of_id": "0", "title": "Kết luận về chuyển đổi số quý III", "text": "Nội dung kết luận",
        "attachments": (io.BytesIO(PNG), "ket-luan.png")})
    assert response.status_code in (200, 422, 507)
    page = response.get_data(as_text=True)
    assert "Kết luận về chuyển đổi số quý III" in page and "77/TB-UBND" in page
    assert "could not be saved" in page or "không lưu được" in page.lower() or "ổ đĩa" in page
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Directive)) == directives
    assert db.session.scalar(select(func.count()).select_from(Attachment)) == 0


# --- a crash in the middle of a multi-row save ----------------------------------------------

def test_a_crash_in_the_middle_of_a_batch_leaves_nothing_half_written(make_app, app, db, demo, monkeypatch):
    crashing = make_app(PROPAGATE_TEST_ERRORS=False)
    leader = db.session.scalar(select(Directive).limit(1)).issuing_unit
    from tracker.models import Unit, User

    nga = db.session.scalar(select(User).where(User.username == "nga.tt"))
    draft = workflow.create_directive(nga, workflow.DirectiveData(number="88/TB-UBND", kind="conclusion", title="Nhiều nhiệm vụ",
                                                      issued_on=today(), issuing_unit=leader))
    db.session.commit()
    lead = db.session.scalar(select(Unit).where(Unit.code == "SKHCN"))
    before = {
        "tasks": db.session.scalar(select(func.count()).select_from(Task)),
        "audit": db.session.scalar(select(func.count()).select_from(AuditEvent)),
        "notifications": db.session.scalar(select(func.count()).select_from(Notification)),
        "updates": db.session.scalar(select(func.count()).select_from(ProgressUpdate)),
    }
    real_add_task = workflow.add_task
    calls = []

    def add_task_crashing_on_the_third(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("the process dies here")
        return real_add_task(*args, **kwargs)

    monkeypatch.setattr(workflow, "add_task", add_task_crashing_on_the_third)
    client = crashing.test_client()
    assert client.post("/login", data={"username": "nga.tt", "password": "tracker-demo"}).status_code == 302
    later = (today() + timedelta(days=30)).isoformat()
    rows = {}
    for i in range(5):
        rows.update({f"rows-{i}-title": f"Nhiệm vụ số {i + 1}", f"rows-{i}-lead_unit_id": str(lead.id),
                     f"rows-{i}-deadline": later, f"rows-{i}-priority": "normal"})
    response = client.post(f"/directives/{draft.id}/tasks", data={**rows, "submit": "1"})
    assert response.status_code == 500
    assert len(calls) == 3
    assert "the process dies here" not in response.get_data(as_text=True)
    db.session.expire_all()
    after = {
        "tasks": db.session.scalar(select(func.count()).select_from(Task)),
        "audit": db.session.scalar(select(func.count()).select_from(AuditEvent)),
        "notifications": db.session.scalar(select(func.count()).select_from(Notification)),
        "updates": db.session.scalar(select(func.count()).select_from(ProgressUpdate)),
    }
    # Only the sign-in itself was recorded.
    assert after["audit"] == before["audit"] + 1
    assert {k: v for k, v in after.items() if k != "audit"} == {k: v for k, v in before.items() if k != "audit"}
    assert db.session.scalar(select(func.count()).select_from(Task).where(Task.directive_id == draft.id)) == 0
    # Without the crash the same batch is saved whole.
    monkeypatch.setattr(workflow, "add_task", real_add_task)
    response = client.post(f"/directives/{draft.id}/tasks", data={**rows, "submit": "1"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Task).where(Task.directive_id == draft.id)) == 5
