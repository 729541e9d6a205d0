"""Rendered page parts kept per worker until the data changes: the dashboards' figures.

A province dashboard aggregates every task and renders some 170 units with
a dozen links each (~100 ms at 20,000 tasks); its leaders open it many
times a day while the figures rarely change between two views. So the
rendered part is kept, compressed, in the worker's memory under a key made
of the data version (tracker.models.version), the day, the user, the
language and the request's arguments.

The data version changes in the same transaction as the data: every
commit whose session added, changed or deleted an object of a model that
pages show sets a new random value (`_bump`), so any worker's next request
reads the new value first and misses. Only bookkeeping that no figure
reads (sessions, sign-in attempts, outbox, notifications, audit, tokens,
the scheduler lease) leaves it alone. The version is read before the
figures, so a part is never older than the version it is kept under.
A database without the row (emptied by hand) is simply not cached.
"""
from __future__ import annotations

import zlib
from collections import OrderedDict
from collections.abc import Callable
from itertools import chain
from threading import Lock

from flask import Flask, current_app
from markupsafe import Markup
from sqlalchemy import event, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from tracker.models.version import DataVersion, new_version

# Models whose rows no page figure reads: writing them does not change the data version.
BOOKKEEPING = frozenset({"UserSession", "LoginAttempt", "OutboxMessage", "Notification", "AuditEvent",
                         "ApiToken", "CalendarFeed", "SchedulerLease", "DataVersion"})
MAX_ENTRIES = 64  # per worker; ~30 KB each once compressed (a province dashboard is ~330 KB of HTML)


def _changes_data(session: Session) -> bool:
    return any(type(obj).__name__ not in BOOKKEEPING for obj in chain(session.new, session.dirty, session.deleted))


def _after_flush(session: Session, _context) -> None:
    if _changes_data(session):
        session.info["data_changed"] = True


def _before_commit(session: Session) -> None:
    if session.info.get("data_changed") or _changes_data(session):
        _bump(session)


def _forget(session: Session, *_args) -> None:
    session.info.pop("data_changed", None)


def _bump(session: Session) -> None:
    """Give the data a new version in the committing transaction (an upsert: the row may be missing)."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    value = new_version()
    stmt = insert(DataVersion).values(id=1, value=value)
    session.execute(stmt.on_conflict_do_update(index_elements=[DataVersion.id], set_={"value": value}))
    session.info.pop("data_changed", None)


def install(session_class) -> None:
    """Watch every session of `session_class` (idempotent)."""
    if event.contains(session_class, "before_commit", _before_commit):
        return
    event.listen(session_class, "after_flush", _after_flush)
    event.listen(session_class, "before_commit", _before_commit)
    event.listen(session_class, "after_commit", _forget)
    event.listen(session_class, "after_rollback", _forget)


def data_version(session: Session) -> str | None:
    return session.scalar(select(DataVersion.value).where(DataVersion.id == 1))


class PageCache:
    """A bounded LRU of compressed HTML, per app (each gunicorn worker has its own)."""

    def __init__(self, max_entries: int = MAX_ENTRIES):
        self.max_entries = max_entries
        self._entries: OrderedDict[tuple, bytes] = OrderedDict()
        self._lock = Lock()
        self.hits = self.misses = 0

    def get_or_render(self, session: Session, key: tuple, render: Callable[[], str]) -> Markup:
        version = data_version(session)  # before anything the part shows is read
        if version is None or not current_app.config["PAGE_CACHE"]:
            return Markup(render())
        full_key = (version, *key)
        with self._lock:
            packed = self._entries.get(full_key)
            if packed is not None:
                self._entries.move_to_end(full_key)
                self.hits += 1
        if packed is not None:
            return Markup(zlib.decompress(packed).decode())
        html = str(render())
        with self._lock:
            self.misses += 1
            self._entries[full_key] = zlib.compress(html.encode(), 1)
            self._entries.move_to_end(full_key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
        return Markup(html)


def init_app(app: Flask, session_class) -> None:
    install(session_class)
    app.extensions["page_cache"] = PageCache()


def page_cache() -> PageCache:
    return current_app.extensions["page_cache"]
