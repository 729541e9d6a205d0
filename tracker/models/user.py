"""Users, their server-side sessions and sign-in attempts."""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from tracker.database import db
from tracker.models.types import UTCDateTime
from tracker.text import collation_key, fold
from tracker.timeutil import utcnow

ROLES = ("admin", "leader", "secretary", "staff")
PASSWORD_METHOD = "scrypt:32768:8:1"


_method = {"in force": PASSWORD_METHOD}


def use_password_method(method: str) -> None:
    """Set the hash method in force (create_app passes PASSWORD_HASH_METHOD: tests use a cheaper scrypt cost)."""
    _method["in force"] = method


def password_method() -> str:
    """The hash method in force (the documented one unless the configuration says otherwise)."""
    return _method["in force"]


def hash_token(token: str) -> str:
    """Hash a bearer/session token for storage (tokens are long and random: SHA-256 suffices)."""
    return hashlib.sha256(token.encode()).hexdigest()


class User(db.Model):
    """A person, member of exactly one unit, with one role."""

    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(255), default="")
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    role: Mapped[str] = mapped_column(String(20), default="staff")
    position_title: Mapped[str] = mapped_column(String(200), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    language: Mapped[str] = mapped_column(String(5), default="vi")
    email_notifications: Mapped[bool] = mapped_column(Boolean, default=True)
    # Per kind of message: "email", "bell" or "digest" (tracker.rules.preferences); unset ones follow the role.
    notification_prefs: Mapped[dict | None] = mapped_column(JSON, default=dict)
    password_hash: Mapped[str] = mapped_column(String(255), default="")
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sort_key: Mapped[str] = mapped_column(String(200), default="")
    search_text: Mapped[str] = mapped_column(String(800), default="")

    unit: Mapped["Unit"] = relationship(back_populates="users")  # noqa: F821
    sessions: Mapped[list[UserSession]] = relationship(back_populates="user")

    def __repr__(self) -> str:
        return f"<User {self.username}>"

    # What Flask-Login asks of a user object (its UserMixin would tie the model to Flask).
    is_authenticated = True
    is_anonymous = False

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        return str(self.id)

    __hash__ = object.__hash__

    def __eq__(self, other) -> bool:
        """The same person, even when loaded by two sessions (as Flask-Login's mixin compares)."""
        if isinstance(other, User):
            return self.get_id() == other.get_id()
        return NotImplemented

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password, method=password_method())

    def check_password(self, password: str) -> bool:
        if not self.password_hash:
            return False
        return check_password_hash(self.password_hash, password)

    def password_needs_rehash(self) -> bool:
        return not self.password_hash.startswith(password_method() + "$")

    def refresh_search(self) -> None:
        """Recompute folded columns for accent-insensitive search and Vietnamese sorting."""
        # Vietnamese names sort by given name (the last word), then the whole name.
        words = self.full_name.split()
        self.sort_key = collation_key(" ".join(words[-1:] + words[:-1]))[:200]
        parts = [self.username, self.full_name, self.email, self.position_title]
        self.search_text = fold(" | ".join(p for p in parts if p))[:800]


class UserSession(db.Model):
    """A signed-in browser. The cookie holds the token; revoking the row signs it out."""

    __tablename__ = "user_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    remember: Mapped[bool] = mapped_column(Boolean, default=False)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ip: Mapped[str] = mapped_column(String(64), default="")
    user_agent: Mapped[str] = mapped_column(String(255), default="")

    user: Mapped[User] = relationship(back_populates="sessions")

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(32)


class LoginAttempt(db.Model):
    """One sign-in attempt whose password was checked (tracker.services.signin counts them).

    `device` is the id of the device cookie the browser showed for this username
    (a browser that signed in as them before), or None for an untrusted client.
    """

    __tablename__ = "login_attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80))
    ip: Mapped[str] = mapped_column(String(64), default="")
    device: Mapped[str | None] = mapped_column(String(32), default=None)
    success: Mapped[bool] = mapped_column(Boolean, default=False)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        Index("ix_login_attempt_username_at", "username", "at"),
        Index("ix_login_attempt_ip_at", "ip", "at"),
        Index("ix_login_attempt_device_at", "device", "at"),
    )
