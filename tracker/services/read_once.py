"""Answers a request needs more than once, read once: kept in the session until it writes.

A unit's overdue list asks whether a task was confirmed done or cancelled
after today twice (for its counts, then for its page): the answer is kept
in the session's `info` until the session writes (a flush, an INSERT,
UPDATE or DELETE through it) or a transaction or savepoint ends, so that
no answer outlives the data it was read from.
"""
from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.orm import Session

KEY = "read_once"


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
