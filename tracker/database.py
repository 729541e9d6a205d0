"""The database: `db` (Flask-SQLAlchemy, its `db.session` scoped to the request or command), the
declarative base, and the engine settings per backend: SQLite pragmas and write transactions.

SQLite keeps foreign keys off unless asked on every connection, needs WAL
and a busy timeout for several writer processes, and a write transaction
must start with `BEGIN IMMEDIATE` (a deferred one that upgrades to a write
fails with "database is locked" at once). Requests that cannot write
(GET/HEAD/OPTIONS) begin deferred so readers never queue behind writers.
"""
import os
import sqlite3
import weakref
from contextlib import contextmanager
from contextvars import ContextVar

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    """Declarative base with a naming convention, so migrations name constraints."""

    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_N_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


db = SQLAlchemy(model_class=Base)


_begin_mode: ContextVar[str] = ContextVar("sqlite_begin_mode", default="IMMEDIATE")


def _on_connect(dbapi_connection, connection_record) -> None:
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    # Let SQLAlchemy's "begin" event below issue BEGIN itself.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _on_begin(connection) -> None:
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql(f"BEGIN {_begin_mode.get()}")


_ENGINES: "weakref.WeakSet[Engine]" = weakref.WeakSet()
_fork_hook: list = []  # registered once, on the first engine


def _forget_parent_connections() -> None:
    for engine in list(_ENGINES):
        engine.dispose(close=False)  # a forked worker opens its own; the parent's stay the parent's


def configure_engine(engine: Engine) -> None:
    """Install the SQLite connection and transaction hooks on `engine` (idempotent), and have a process
    forked from this one (gunicorn --preload's workers) start with no connection of its parent."""
    if not _fork_hook:
        os.register_at_fork(after_in_child=_forget_parent_connections)
        _fork_hook.append(_forget_parent_connections)
    _ENGINES.add(engine)
    if engine.dialect.name != "sqlite":
        return
    if not event.contains(engine, "connect", _on_connect):
        event.listen(engine, "connect", _on_connect)
        event.listen(engine, "begin", _on_begin)


def set_read_only_request(read_only: bool) -> None:
    """Begin this context's SQLite transactions deferred (reads) or immediate (writes)."""
    _begin_mode.set("DEFERRED" if read_only else "IMMEDIATE")


@contextmanager
def deferred_transactions():
    """Run a block with deferred SQLite transactions (read-only work outside requests)."""
    token = _begin_mode.set("DEFERRED")
    try:
        yield
    finally:
        _begin_mode.reset(token)
