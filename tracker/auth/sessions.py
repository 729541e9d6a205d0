"""Server-side sessions on top of Flask-Login.

The signed cookie carries a random session token; its hash is a
`UserSession` row. Logging out, changing a password or deactivating a user
revokes rows, which signs those browsers out at their next request. The
cookie's "seen" time enforces the idle timeout without writing to the
database on every request. Flask-Login's own remember-me cookie is never
used: "remember me" makes the session cookie persistent instead.
"""
from __future__ import annotations

from datetime import datetime, timezone
from functools import lru_cache

from flask import Flask, current_app, g, request, session
from flask_login import login_user, logout_user
from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import contains_eager

from tracker.database import db
from tracker.extensions import login_manager
from tracker.models import Unit, User, UserSession
from tracker.models.user import hash_token
from tracker.services.notices import unread_sql
from tracker.views_util import remember_bell_count, remember_signed_in, signed_in_columns
from tracker.timeutil import utcnow


def init_login(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    login_manager.session_protection = None  # the server-side row does this job


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    token = session.get("sid")
    if not token:
        return None
    bell = request.method in ("GET", "HEAD")
    found = db.session.execute(_session_statement(bell), {"token_hash": hash_token(token)}).first()
    row = found[0] if found else None
    now = utcnow()
    if row is None or row.revoked_at is not None or str(row.user_id) != str(user_id):
        return None
    if now >= row.expires_at:
        return None
    seen = session.get("seen")
    if not row.remember and seen is not None:
        idle = current_app.config["SESSION_IDLE_TIMEOUT"]
        if now - datetime.fromtimestamp(seen, timezone.utc) > idle:
            return None
    user = row.user
    if not user.active:
        return None
    remember_signed_in(user, found[2:5])
    if seen is None or now.timestamp() - seen >= 30:  # the idle clock, rewritten at most every 30 s
        session["seen"] = int(now.timestamp())
    g.user_session = row
    if bell:
        remember_bell_count(user.id, found[5] or 0)
    return user


@lru_cache(maxsize=2)
def _session_statement(bell: bool):
    """The statement of `load_user`, built once per kind (building and keying it per request cost ~1 ms)."""
    # One query for the session, its user and the user's unit (every page needs all three); the unit
    # loaded into `user.unit`, so the user holds it (the session's identity map keeps objects weakly: a
    # unit only selected beside the user could be gone by the time a page asks for it, and be read again).
    # The data and reference versions come with them: the pages that keep parts ask for them next
    # (tracker.page_cache); whether the user's unit holds every unit (reach_sql.subtree_is_everything: the
    # province's leaders then skip the reach conditions); and, for a GET (which changes no notification),
    # the bell's count its page shows (views_util).
    columns = [UserSession, User, *signed_in_columns(), *([unread_sql(User.id).scalar_subquery()] if bell else [])]
    return (select(*columns).join(User, User.id == UserSession.user_id)
            .join(Unit, Unit.id == User.unit_id, isouter=True)
            .options(contains_eager(User.unit))
            .where(UserSession.token_hash == bindparam("token_hash")))


def start_session(user: User, remember: bool) -> None:
    """Sign `user` in with a fresh session (new token, new CSRF token: no fixation)."""
    session.clear()
    token = UserSession.new_token()
    now = utcnow()
    lifetime = current_app.config["REMEMBER_ME_DURATION" if remember else "SESSION_ABSOLUTE_TIMEOUT"]
    db.session.add(UserSession(
        token_hash=hash_token(token), user_id=user.id, created_at=now, expires_at=now + lifetime,
        remember=remember, ip=request.remote_addr or "", user_agent=(request.user_agent.string or "")[:255],
    ))
    session["sid"] = token
    session["seen"] = int(now.timestamp())
    session.permanent = remember
    login_user(user, remember=False)


def end_session() -> None:
    """Revoke the current session row and clear the cookie."""
    token = session.get("sid")
    if token:
        db.session.execute(
            update(UserSession).where(UserSession.token_hash == hash_token(token), UserSession.revoked_at.is_(None))
            .values(revoked_at=utcnow())
        )
    logout_user()
    session.clear()
