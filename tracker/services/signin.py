"""Sign-in limits over the login_attempt table (the rules are in tracker.rules.signin).

Kept in the database so that every worker shares the counts (reliability.md,
row 29). The caller passes the clock and the attempt's origin; nothing here
commits.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select, text

from tracker.database import db
from tracker.models import LoginAttempt
from tracker.rules.signin import Counts, Limits, Verdict, device_trusted, verdict


def _failures(*where, since: datetime) -> tuple[int, datetime | None]:
    count, last = db.session.execute(
        select(func.count(), func.max(LoginAttempt.at))
        .where(*where, LoginAttempt.success.is_(False), LoginAttempt.at > since)
    ).one()
    return count or 0, last


def _pair_failures(username: str, origin, now: datetime, limits: Limits) -> tuple[int, datetime | None]:
    """Failures at `username` from one origin in the window, since that origin's last success there."""
    window_start = now - limits.window
    last_success = db.session.scalar(
        select(func.max(LoginAttempt.at)).where(LoginAttempt.username == username, *origin,
                                                LoginAttempt.success.is_(True), LoginAttempt.at > window_start))
    return _failures(LoginAttempt.username == username, *origin, since=max(window_start, last_success or window_start))


def _address_origin(ip: str):
    return (LoginAttempt.ip == ip, LoginAttempt.device.is_(None))


def trusted_device(username: str, device: str | None, now: datetime, limits: Limits) -> str | None:
    """Return `device` if its cookie is still honoured for `username` (not locked by its own failures)."""
    if not device:
        return None
    failures, _last = _pair_failures(username, (LoginAttempt.device == device,), now, limits)
    return device if device_trusted(failures, limits) else None


def serialize(username: str) -> None:
    """Take this username's turn: attempts at one account count one after another, whatever the workers.

    Without it, attempts sent in parallel would all read the counts before any
    is recorded. SQLite already runs each sign-in (a POST: BEGIN IMMEDIATE) alone;
    on PostgreSQL a transaction-scoped advisory lock per username does it, held
    until the attempt is recorded and committed.
    """
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": "signin:" + username})


def check(username: str, ip: str, device: str | None, now: datetime, limits: Limits) -> Verdict:
    """Whether an attempt at `username` from `ip` (with a trusted `device`, or None) may check its password."""
    if device:
        pair, last = _pair_failures(username, (LoginAttempt.device == device,), now, limits)
        return verdict(Counts(pair=pair, last_failure=last), limits, now, trusted=True)
    window_start = now - limits.window
    pair, last = _pair_failures(username, _address_origin(ip), now, limits)
    address, _ = _failures(*_address_origin(ip), since=window_start)
    account, _ = _failures(LoginAttempt.username == username, LoginAttempt.device.is_(None), since=window_start)
    return verdict(Counts(pair=pair, last_failure=last, address=address, account=account), limits, now,
                   trusted=False)


def record(username: str, ip: str, device: str | None, success: bool, now: datetime) -> None:
    """Count an attempt whose password was checked."""
    db.session.add(LoginAttempt(username=username, ip=ip, device=device, success=success, at=now))
