"""Shared fixtures: an app per test with its own database, clients signed in as demo users.

SQLite by default (a temporary file per test). With TEST_DATABASE_URL set
(PostgreSQL), the schema is created once per run and every table is
emptied before each test.
"""
from __future__ import annotations

import logging
import os

import pytest
from flask.cli import FlaskGroup
from flask.testing import FlaskClient
from sqlalchemy import text

from config import database_url
from tracker import create_app
from tracker.database import db as _db

PG_URL = database_url(os.environ.get("TEST_DATABASE_URL", ""))
_pg_schema_ready = False


def pytest_collection_modifyitems(config, items):
    skip_pg = pytest.mark.skip(reason="needs PostgreSQL: TEST_DATABASE_URL is not set (make test sets it in CI)")
    skip_sqlite = pytest.mark.skip(reason="SQLite-specific; this run is on PostgreSQL")
    for item in items:
        if "postgres_only" in item.keywords and not PG_URL:
            item.add_marker(skip_pg)
        if "sqlite_only" in item.keywords and PG_URL:
            item.add_marker(skip_sqlite)


class RequestScopedClient(FlaskClient):
    """A test client whose every request gets its own app context, as in production.

    The test itself holds an app context (to query the database); without
    this, requests would share its `g` (Flask-Login's cached user) and its
    database session. The test's session is committed around each request
    so the test sees what the request saved.
    """

    def open(self, *args, **kwargs):
        kwargs.setdefault("buffered", True)  # read streamed bodies while the request's context is open
        _db.session.commit()
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        _db.session.commit()
        return response


def _reset_postgres(app) -> None:
    global _pg_schema_ready
    with app.app_context():
        if not _pg_schema_ready:
            _db.drop_all()
            with _db.engine.begin() as conn:
                conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
            _db.create_all()
            _pg_schema_ready = True
        # month_end is the monthly summary's calendar, written with the schema: kept.
        tables = ", ".join(f'"{t.name}"' for t in _db.metadata.sorted_tables if t.name != "month_end")
        with _db.engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture
def database_url(tmp_path) -> str:
    return PG_URL or f"sqlite:///{tmp_path / 'test.db'}"


@pytest.fixture
def make_app(tmp_path, database_url):
    """Build an app for the testing config with per-test folders; call with overrides."""
    apps = []

    def factory(**overrides):
        settings = {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "UPLOAD_FOLDER": str(tmp_path / "uploads"),
            "OUTBOX_FOLDER": str(tmp_path / "outbox"),
        }
        settings.update(overrides)
        app = create_app("testing", **settings)
        app.test_client_class = RequestScopedClient
        apps.append(app)
        return app

    yield factory
    for app in apps:
        with app.app_context():
            _db.session.remove()
            _db.engine.dispose()


def ready(app):
    """Give `app` an empty database (schema made, or every table emptied) and yield it in its app context."""
    if PG_URL:
        _reset_postgres(app)
    else:
        with app.app_context():
            _db.create_all()
    with app.app_context():
        yield app
        _db.session.remove()


@pytest.fixture
def app(make_app):
    yield from ready(make_app())


@pytest.fixture
def db(app):
    return _db


@pytest.fixture
def demo(app):
    """Load the demo data (units, users, and what later issues add) and return the loader's counts."""
    from tracker.demo import load_demo

    counts = load_demo()
    _db.session.commit()
    return counts


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class Auth:
    """Sign a test client in and out as a given user."""

    def __init__(self, client):
        self.client = client

    def login(self, username: str, password: str = "tracker-demo", remember: bool = False, **kwargs):
        data = {"username": username, "password": password}
        if remember:
            data["remember"] = "y"
        return self.client.post("/login", data=data, **kwargs)

    def logout(self):
        return self.client.post("/logout")


@pytest.fixture
def auth(client):
    return Auth(client)


def signed_in_client(app, username: str, password: str = "tracker-demo"):
    """A fresh test client of `app` signed in as `username`."""
    c = app.test_client()
    response = c.post("/login", data={"username": username, "password": password})
    assert response.status_code == 302, f"login as {username} failed"
    return c


@pytest.fixture
def login_as(app, demo):
    """Return a fresh test client signed in as `username` (demo password)."""
    return lambda username: signed_in_client(app, username)


# --- the command line ---------------------------------------------------------------------------

@pytest.fixture
def cli_context(monkeypatch):
    """What running `flask` leaves behind, undone after the test: FLASK_RUN_FROM_CLI in the
    environment, and the logging that Alembic's env.py reconfigures (disabling existing loggers)."""
    monkeypatch.setenv("FLASK_RUN_FROM_CLI", "true")
    manager = logging.Logger.manager
    disabled = {name: lg.disabled for name, lg in manager.loggerDict.items() if isinstance(lg, logging.Logger)}
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    for name, lg in manager.loggerDict.items():
        if isinstance(lg, logging.Logger):
            lg.disabled = disabled.get(name, False)
    root.handlers[:] = handlers
    root.setLevel(level)


def flask_command(app, *args: str, input: str | None = None):
    """Run `flask ARGS...` as an operator does: through Flask's own command group, which pushes the app context."""
    group = FlaskGroup(create_app=lambda: app, load_dotenv=False, set_debug_flag=False)
    return app.test_cli_runner().invoke(group, list(args), input=input)
