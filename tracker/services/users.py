"""People: adding users, and ending their sessions (no commit: the caller owns the transaction)."""
from __future__ import annotations

from sqlalchemy import update

from tracker.database import db
from tracker.models import Unit, User, UserSession
from tracker.models.user import hash_token
from tracker.timeutil import utcnow

# A username: lower-case, what people sign in with and requests name users by.
USERNAME_RE = r"^[a-z0-9][a-z0-9_.\-]*$"


def add_user(username: str, full_name: str, unit: Unit, role: str, *, email: str = "",
             position_title: str = "", password: str | None = None, language: str = "vi") -> User:
    """Create a user (no commit). Without a password the account cannot sign in yet."""
    user = User(username=username.lower(), full_name=full_name, unit=unit, role=role,
                email=email or f"{username}@example.gov.vn", position_title=position_title, language=language)
    if password:
        user.set_password(password)
    user.refresh_search()
    db.session.add(user)
    return user


def revoke_sessions(user: User, keep_token: str | None = None) -> None:
    """Revoke every session of `user` (all but the one of `keep_token`, the browser asking)."""
    stmt = update(UserSession).where(UserSession.user_id == user.id, UserSession.revoked_at.is_(None))
    if keep_token:
        stmt = stmt.where(UserSession.token_hash != hash_token(keep_token))
    db.session.execute(stmt.values(revoked_at=utcnow()))
