"""Answers a request needs more than once, read once: kept in the session until it writes.

A unit's overdue list asks whether a task was confirmed done or cancelled
after today twice (for its counts, then for its page): the answer is kept
in the session's `info` until the session writes (a flush, an INSERT,
UPDATE or DELETE through it) or a transaction or savepoint ends, so that
no answer outlives the data it was read from.

An answer that depends only on the data and the day may also be kept by
the worker until the data changes (`keep_in_worker`, `from_worker`): the
app installs that store (tracker.page_cache, under the data version), which
answers nothing to a session holding changes not yet committed.
"""
from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.orm import Session

KEY = "read_once"
_worker: tuple | None = None  # (get, put) of the worker's store, installed by the app


def install_worker_store(get, put) -> None:
    """The worker's store: `get(session, key)` (None: not kept) and `put(session, key, value)`."""
    global _worker
    _worker = (get, put)


def from_worker(session: Session, key: tuple):
    """What the worker keeps under `key` for the data `session` sees (None: nothing)."""
    return _worker[0](session, key) if _worker else None


def keep_in_worker(session: Session, key: tuple, value) -> None:
    if _worker:
        _worker[1](session, key, value)


def kept(session: Session) -> dict:
    """The answers kept in `session` (a dict to fill)."""
    return session.info.setdefault(KEY, {})


def _forget(session: Session, *_args) -> None:
    session.info.pop(KEY, None)


def _writes(state) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        _forget(state.session)


def install(session_class) -> None:
    """Watch every session of `session_class` (idempotent)."""
    if event.contains(session_class, "after_flush", _forget):
        return
    event.listen(session_class, "after_flush", _forget)
    event.listen(session_class, "after_transaction_end", _forget)
    event.listen(session_class, "do_orm_execute", _writes)
