"""Rendered page parts kept per worker until the data changes: the dashboards' figures, the lists' counts.

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

Reference data (the unit tree, the reminder rules, the working-day
calendar) changes far more rarely than tasks, and every page reads some of
it: a second row (`REFERENCE_ROW`) is the reference version, set anew only
by a commit that changes one of those models. What is computed from them
alone (the unit pickers, the units' names, whether a subtree is the whole
tree, what "due soon" means) is kept under it (`reference_cache`), so a
task's change does not make every worker read them again.

The task lists keep only their counts (by status, and the filtered total:
two aggregates over every task in reach, ~10 ms of a 20,000-task province
list), in a cache of their own: the rows of the page are read each time.
"""
from __future__ import annotations

import zlib
from collections import OrderedDict
from collections.abc import Callable
from functools import lru_cache
from itertools import chain
from threading import Lock
from typing import TypeVar

from flask import Flask, current_app
from markupsafe import Markup
from sqlalchemy import event, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from tracker.models.version import DataVersion, new_version
from tracker.services import read_once

# Models whose rows no page figure reads: writing them does not change the data version.
BOOKKEEPING = frozenset({"UserSession", "LoginAttempt", "OutboxMessage", "Notification", "AuditEvent",
                         "ApiToken", "CalendarFeed", "SchedulerLease", "DataVersion"})
# Models whose rows change rarely and that pages read beside the tasks: they have a version of their own.
REFERENCE = frozenset({"Unit", "ReminderSettings", "CalendarDay"})
DATA_ROW, REFERENCE_ROW = 1, 2
T = TypeVar("T")
MAX_ENTRIES = 64  # per worker; ~30 KB each once compressed (a province dashboard is ~330 KB of HTML)
COUNT_ENTRIES = 1024  # per worker; a list's counts are a dict of 5 numbers (~1 KB with its key)


def _changes_data(session: Session) -> bool:
    return any(type(obj).__name__ not in BOOKKEEPING for obj in chain(session.new, session.dirty, session.deleted))


def _changes_reference(session: Session) -> bool:
    return any(type(obj).__name__ in REFERENCE for obj in chain(session.new, session.dirty, session.deleted))


def _after_flush(session: Session, _context) -> None:
    if _changes_data(session):
        session.info["data_changed"] = True
    if _changes_reference(session):
        session.info["reference_changed"] = True


@lru_cache(maxsize=1)
def _model_names() -> dict[str, str]:
    """{table name: model name} of every model."""
    return {mapper.local_table.name: mapper.class_.__name__ for mapper in DataVersion.registry.mappers}


def _core_write(state) -> None:
    """An INSERT, UPDATE or DELETE statement run through the session (not through its objects) changes the
    data too, unless it writes bookkeeping (an unmapped table, e.g. task_cooperation, is data)."""
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    name = _model_names().get(getattr(table, "name", None))
    if name not in BOOKKEEPING:
        state.session.info["data_changed"] = True
    if name in REFERENCE:
        state.session.info["reference_changed"] = True


def _before_commit(session: Session) -> None:
    reference = session.info.get("reference_changed") or _changes_reference(session)
    if session.info.get("data_changed") or _changes_data(session):
        _bump(session, DATA_ROW)
    if reference:
        _bump(session, REFERENCE_ROW)


def _forget(session: Session, *_args) -> None:
    session.info.pop("data_changed", None)
    session.info.pop("reference_changed", None)


def _transaction_end(session: Session, transaction) -> None:
    if transaction.parent is None:  # the versions read in the transaction are forgotten with it
        session.info.pop("data_version", None)
        session.info.pop("reference_version", None)


def _bump(session: Session, row: int) -> None:
    """Give the data (or the reference data) a new version in the committing transaction (an upsert: the
    row may be missing)."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    value = new_version()
    stmt = insert(DataVersion).values(id=row, value=value)
    session.execute(stmt.on_conflict_do_update(index_elements=[DataVersion.id], set_={"value": value}))
    session.info.pop("data_changed" if row == DATA_ROW else "reference_changed", None)


def install(session_class) -> None:
    """Watch every session of `session_class` (idempotent)."""
    if event.contains(session_class, "before_commit", _before_commit):
        return
    event.listen(session_class, "after_flush", _after_flush)
    event.listen(session_class, "do_orm_execute", _core_write)
    event.listen(session_class, "before_commit", _before_commit)
    event.listen(session_class, "after_commit", _forget)
    event.listen(session_class, "after_rollback", _forget)
    event.listen(session_class, "after_transaction_end", _transaction_end)


def data_version(session: Session) -> str | None:
    """The data's version, read once per transaction (a page asks for it for each part it keeps)."""
    if "data_version" not in session.info:
        session.info["data_version"] = session.scalar(select(version_column()))
    return session.info["data_version"]


def reference_version(session: Session) -> str | None:
    """The reference data's version (the units, the reminder rules, the calendar), read once per transaction."""
    if "reference_version" not in session.info:
        session.info["reference_version"] = session.scalar(select(version_column(REFERENCE_ROW)))
    return session.info["reference_version"]


def version_column(row: int = DATA_ROW):
    """SQL: the data's (or the reference data's) version, for a statement that reads it beside its own
    columns (the request's first, which loads the signed-in user: one round trip fewer per page); it then
    gives it to `remember_version`."""
    return select(DataVersion.value).where(DataVersion.id == row).scalar_subquery()


def remember_version(session: Session, value: str | None, reference: str | None) -> None:
    """Keep the versions read by another statement of this transaction (before anything a page shows)."""
    session.info["data_version"] = value
    session.info["reference_version"] = reference


class PageCache:
    """A bounded LRU of compressed HTML or small values, per app (each gunicorn worker has its own)."""

    def get_or_render(self, session: Session, key: tuple, render: Callable[[], str]) -> Markup:
        return self.get_or_compute(session, key, lambda: str(render()),
                                   pack=lambda html: zlib.compress(html.encode(), 1),
                                   unpack=lambda packed: Markup(zlib.decompress(packed).decode()),
                                   fresh=Markup)

    def __init__(self, max_entries: int = MAX_ENTRIES, reference: bool = False):
        self.max_entries = max_entries
        self.reference = reference  # kept under the reference version, not the data's
        self._entries: OrderedDict[tuple, bytes] = OrderedDict()
        self._lock = Lock()
        self.hits = self.misses = 0

    def _full_key(self, session: Session, key: tuple) -> tuple | None:
        """`key` under the version of what `session` sees; None when nothing may be kept or served: caching
        off, no version row, or the session holding changes of its own not yet committed."""
        if not self.reference:
            if not current_app.config["PAGE_CACHE"] or session.info.get("data_changed") or _changes_data(session):
                return None
            version = data_version(session)
        else:
            if (not current_app.config["REFERENCE_CACHE"] or session.info.get("reference_changed")
                    or _changes_reference(session)):
                return None
            version = reference_version(session)
        return None if version is None else (version, *key)

    def peek(self, session: Session, key: tuple):
        """The value kept under `key` for the data `session` sees, else None (nothing is computed)."""
        full_key = self._full_key(session, key)
        if full_key is None:
            return None
        with self._lock:
            value = self._entries.get(full_key)
            if value is not None:
                self._entries.move_to_end(full_key)
                self.hits += 1
        return value

    def put(self, session: Session, key: tuple, value) -> None:
        """Keep `value` under `key` for the data `session` sees (not for a session holding changes)."""
        full_key = self._full_key(session, key)
        if full_key is not None:
            self._store(full_key, value)

    def _store(self, full_key: tuple, value) -> None:
        with self._lock:
            self._entries[full_key] = value
            self._entries.move_to_end(full_key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def get_or_compute(self, session: Session, key: tuple, compute: Callable[[], T],
                       pack: Callable = lambda value: value, unpack: Callable = lambda value: value,
                       fresh: Callable = lambda value: value):
        """The value of `compute()` kept under the data (or reference) version and `key` (`pack`ed while
        kept)."""
        full_key = self._full_key(session, key)  # the version is read before anything the part shows
        if full_key is None:
            return fresh(compute())
        with self._lock:
            packed = self._entries.get(full_key)
            if packed is not None:
                self._entries.move_to_end(full_key)
                self.hits += 1
        if packed is not None:
            return unpack(packed)
        value = compute()
        with self._lock:
            self.misses += 1
        self._store(full_key, pack(value))
        return fresh(value)


def init_app(app: Flask, session_class) -> None:
    install(session_class)
    # Answers of the services that depend on the data and the day alone (queries.closed_after), kept per
    # worker under the data version beside the lists' counts.
    read_once.install_worker_store(lambda session, key: count_cache().peek(session, key),
                                   lambda session, key, value: count_cache().put(session, key, value))
    app.extensions["page_cache"] = PageCache()
    app.extensions["count_cache"] = PageCache(max_entries=COUNT_ENTRIES)
    app.extensions["reference_cache"] = PageCache(max_entries=COUNT_ENTRIES, reference=True)


def page_cache() -> PageCache:
    return current_app.extensions["page_cache"]


def count_cache() -> PageCache:
    """Small figures (the task lists' counts), in an LRU of their own: they never push a page part out."""
    return current_app.extensions["count_cache"]


def reference_cache() -> PageCache:
    """What is computed from the reference data alone (REFERENCE), kept until that data changes: a task's
    change leaves it."""
    return current_app.extensions["reference_cache"]
