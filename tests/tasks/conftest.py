"""Fixtures of the task and directive page tests.

- The demo users read the pages in English: the assertions quote the
  English messages, independent of the state of the Vietnamese catalogue.
- Speed: on SQLite the demo database is built once per run and copied
  into each test's database (the SQLite backup API), and compiled
  templates are shared between the tests' apps. On PostgreSQL the demo is
  loaded per test as usual.
"""
from __future__ import annotations

import sqlite3

import pytest
from jinja2 import BytecodeCache
from sqlalchemy import update

from tests.conftest import PG_URL
from tracker.database import db as _db
from tracker.models import User


class MemoryBytecodeCache(BytecodeCache):
    """Compiled templates kept in memory for the whole run (keyed by name and source checksum)."""

    def __init__(self):
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket):
        if bucket.key in self.store:
            bucket.bytecode_from_string(self.store[bucket.key])

    def dump_bytecode(self, bucket):
        self.store[bucket.key] = bucket.bytecode_to_string()


TEMPLATES = MemoryBytecodeCache()


@pytest.fixture(scope="session")
def demo_databases(tmp_path_factory):
    """SQLite files holding the demo data, one per day (the demo is relative to today)."""
    return {}


def demo_database(folders, cache) -> tuple:
    from tracker import create_app
    from tracker.demo import load_demo
    from tracker.timeutil import today

    day = today()
    if day not in cache:
        path = folders.mktemp("demo") / "demo.db"
        app = create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{path}")
        with app.app_context():
            _db.create_all()
            counts = load_demo(day)
            _db.session.commit()
            _db.session.remove()
            _db.engine.dispose()
        cache[day] = (path, counts)
    return cache[day]


@pytest.fixture
def demo(app, demo_databases, tmp_path_factory):
    """The demo data (copied from the day's demo database on SQLite)."""
    app.jinja_env.bytecode_cache = TEMPLATES
    if PG_URL:
        from tracker.demo import load_demo

        counts = load_demo()
        _db.session.commit()
        return counts
    path, counts = demo_database(tmp_path_factory, demo_databases)
    _db.session.remove()
    target = _db.engine.raw_connection()
    try:
        with sqlite3.connect(path) as source:
            source.backup(target.driver_connection)
    finally:
        target.close()
    return counts


@pytest.fixture
def login_as(login_as, db):
    db.session.execute(update(User).values(language="en"))
    db.session.commit()
    return login_as
