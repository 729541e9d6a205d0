"""Browser tests: the app served on a free loopback port, driven by Playwright in Debian's Chromium.

Each test module gets its own server and its own SQLite file, created through the migrations
and filled with the demo data, so the pages show what `make run` shows. The browser is started
once per session. Without /usr/bin/chromium every browser test is skipped, saying why (CI
installs it in .ci/run, so CI never skips them).
"""
from __future__ import annotations

import os
import threading
import warnings
from dataclasses import dataclass
from pathlib import Path

import pytest
from werkzeug.serving import WSGIRequestHandler, make_server

from tests.e2e.helpers import sign_in

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


SKIP_REASON = (f"browser tests skipped: {CHROMIUM} is missing (install Debian's chromium: "
               "apt-get install -y chromium; .ci/run does)")


def pytest_terminal_summary(terminalreporter):
    """Say it at the end of `make test` too, where -q hides the reasons of skips."""
    skipped = [r for r in terminalreporter.stats.get("skipped", []) if SKIP_REASON in str(r.longrepr)]
    if skipped:
        terminalreporter.write_line(f"{len(skipped)} {SKIP_REASON}", yellow=True, bold=True)


@dataclass
class LiveServer:
    url: str
    app: object
    db_path: Path

    def __call__(self, path: str = "/") -> str:
        return self.url + path


def make_app(db_path: Path, folder: Path, **overrides):
    from tracker import create_app

    settings = {
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{db_path}",
        "WTF_CSRF_ENABLED": True,
        "UPLOAD_FOLDER": str(folder / "uploads"),
        "OUTBOX_FOLDER": str(folder / "outbox"),
    }
    settings.update(overrides)
    return create_app("testing", **settings)


def build_app(db_path: Path, folder: Path, **overrides):
    """An app on a fresh SQLite file: schema through the migrations, then the demo data."""
    import flask_migrate

    from tracker.database import db
    from tracker.demo import load_demo

    app = make_app(db_path, folder, **overrides)
    with app.app_context():
        with warnings.catch_warnings():
            # migrations/env.py asks Flask-SQLAlchemy for get_engine(), deprecated (see tests/test_migrations.py)
            warnings.filterwarnings("ignore", "'get_engine' is deprecated", DeprecationWarning)
            flask_migrate.upgrade()
        load_demo()
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return app


class QuietHandler(WSGIRequestHandler):
    """No access log line per request: a failing test's output shows the failure, not 200 GETs."""

    def log_request(self, *args, **kwargs) -> None:
        pass


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    """Serve a fresh demo database on 127.0.0.1:<free port> in a background thread."""
    folder = tmp_path_factory.mktemp("e2e")
    db_path = folder / "tracker.db"
    app = build_app(db_path, folder)
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="e2e-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(f"http://127.0.0.1:{server.server_port}", app, db_path)
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        from tracker.database import db

        with app.app_context():
            db.engine.dispose()


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip(SKIP_REASON)
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    try:
        yield browser
    finally:
        browser.close()
        playwright.stop()


@pytest.fixture
def new_context(browser, live_server):
    """Open browser contexts (fresh cookies) on the live server; all are closed after the test."""
    contexts = []

    def factory(phone: bool = False, **options):
        settings = {"base_url": live_server.url, "locale": "vi-VN", "timezone_id": "Asia/Ho_Chi_Minh"}
        if phone:
            settings.update(viewport=PHONE, is_mobile=True, has_touch=True)
        else:
            settings.update(viewport=DESKTOP)
        settings.update(options)
        context = browser.new_context(**settings)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context

    yield factory
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context):
    return new_context().new_page()


@pytest.fixture(scope="module")
def signed_in_states() -> dict:
    """The cookies of each user signed in once in this module (the server keeps sessions per module)."""
    return {}


@pytest.fixture
def as_user(new_context, signed_in_states):
    """Return a page signed in as `username`, on a desktop (default) or a phone viewport.

    The first time in a module the user signs in through the form; later pages reuse the cookies.
    """

    def factory(username: str, phone: bool = False, **options):
        state = signed_in_states.get(username)
        if state is None:
            page = new_context(phone=phone, **options).new_page()
            sign_in(page, username)
            signed_in_states[username] = page.context.storage_state()
            return page
        return new_context(phone=phone, storage_state=state, **options).new_page()

    return factory
