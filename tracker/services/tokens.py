"""API tokens: created once, stored hashed, revocable (no commit: the caller owns the transaction)."""
from __future__ import annotations

import secrets

from tracker.database import db
from tracker.models import ApiToken, User
from tracker.models.user import hash_token
from tracker.services import audit
from tracker.timeutil import utcnow

TOKEN_PREFIX = "trk_"
SHOWN_CHARS = 12  # "trk_" and 8 random characters: enough to recognise a token in a list


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def create_token(user: User, name: str, *, actor: User | None = None, ip: str | None = None) -> tuple[ApiToken, str]:
    """Add a token for `user` (no commit); return the row and the token, which is never shown again."""
    token = new_token()
    row = ApiToken(user_id=user.id, name=name.strip()[:100], token_hash=hash_token(token),
                   prefix=token[:SHOWN_CHARS], created_at=utcnow())
    db.session.add(row)
    db.session.flush()
    audit.record("api_token.create", actor=actor, obj=row,
                 summary=f"{user.username}: {row.name} ({row.prefix}…)", ip=ip)
    return row, token


def revoke_token(actor: User, row: ApiToken) -> None:
    """Revoke a token (no commit); its next request gets 401."""
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        audit.record("api_token.revoke", actor=actor, obj=row,
                     summary=f"{row.user.username}: {row.name} ({row.prefix}…)")
