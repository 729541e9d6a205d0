"""People: adding users, and ending their sessions and credentials (no commit: the caller owns the transaction)."""
from __future__ import annotations

from sqlalchemy import select, update

from tracker.database import db
from tracker.models import ApiToken, CalendarFeed, Unit, User, UserSession
from tracker.models.user import hash_token
from tracker.services.feeds import revoke_feed
from tracker.services.tokens import revoke_token
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


def revoke_credentials(user: User, actor: User | None, keep_token: str | None = None) -> int:
    """End everything that acts as `user` after a password change or reset; return how many tokens and links.

    Their sessions (all but the browser of `keep_token`), API tokens and calendar
    links: a token or link an intruder made must not outlive the password that let
    them in. The user makes new ones on their profile page.
    """
    revoke_sessions(user, keep_token=keep_token)
    tokens = db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None)))
    feeds = db.session.scalars(select(CalendarFeed).where(CalendarFeed.user_id == user.id,
                                                          CalendarFeed.revoked_at.is_(None)))
    count = 0
    for token in tokens.all():
        revoke_token(actor, token)
        count += 1
    for feed in feeds.all():
        revoke_feed(actor, feed)
        count += 1
    return count
