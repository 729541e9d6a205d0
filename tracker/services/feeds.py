"""Creating, revoking and reading calendar feeds (no commit: the caller owns the transaction)."""
from __future__ import annotations

import secrets

from sqlalchemy import exists, select
from sqlalchemy.orm import joinedload

from tracker.database import db
from tracker.models import CalendarFeed, Directive, Task, User
from tracker.models.user import hash_token
from tracker.services import audit, reach_sql
from tracker.timeutil import utcnow

SCOPES = ("mine", "unit")


def can_have_scope(user: User, scope: str) -> bool:
    """Everyone has their own tasks; only a unit's leaders get the unit's."""
    return scope == "mine" or (scope == "unit" and user.role == "leader")


def create_feed(user: User, scope: str) -> tuple[CalendarFeed, str]:
    """Add a feed for `user`; return the row and its secret, which is never shown again."""
    if not can_have_scope(user, scope):
        raise ValueError(f"scope {scope!r} is not available to {user.username}")
    secret = secrets.token_urlsafe(32)
    feed = CalendarFeed(user_id=user.id, scope=scope, secret_hash=hash_token(secret), created_at=utcnow())
    db.session.add(feed)
    db.session.flush()
    audit.record("calendar_feed.create", actor=user, obj=feed, summary=f"{user.username}: {scope}")
    return feed, secret


def revoke_feed(actor: User, feed: CalendarFeed) -> None:
    if feed.revoked_at is None:
        feed.revoked_at = utcnow()
        audit.record("calendar_feed.revoke", actor=actor, obj=feed, summary=f"{feed.user.username}: {feed.scope}")


def find_feed(secret: str) -> CalendarFeed | None:
    """The live feed of `secret` (None if unknown, revoked, or its owner is inactive or lost the scope)."""
    if not secret or len(secret) > 200:
        return None
    feed = db.session.scalar(select(CalendarFeed).where(CalendarFeed.secret_hash == hash_token(secret)))
    if feed is None or feed.revoked_at is not None or not feed.user.active:
        return None
    if not can_have_scope(feed.user, feed.scope):
        return None
    return feed


def feed_tasks(feed: CalendarFeed) -> list[Task]:
    """The unfinished tasks with a deadline the feed shows, by deadline."""
    owner = feed.user
    published = exists().where(Directive.id == Task.directive_id, Directive.published_at.is_not(None))
    stmt = select(Task).where(reach_sql.task_visible_clause(owner), published, Task.deadline.is_not(None),
                              Task.state.in_(("open", "submitted")))
    if feed.scope == "mine":
        stmt = stmt.where(Task.assignee_id == owner.id)
    else:
        stmt = stmt.where(Task.lead_unit_id == owner.unit_id)
    stmt = stmt.order_by(Task.deadline, Task.id).options(
        joinedload(Task.directive), joinedload(Task.lead_unit), joinedload(Task.assignee))
    return list(db.session.scalars(stmt).unique())
