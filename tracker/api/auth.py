"""Bearer tokens: created once, stored hashed, revocable, acting with their user's role and reach.

Every API request is authenticated here and only here: `Authorization:
Bearer <token>`. A session cookie never authenticates the API (the API is
exempt from CSRF because it only trusts this header). The token's user is
made Flask-Login's user for the request, so messages come in their language
and the audit log names them.
"""
from __future__ import annotations

from datetime import timedelta
from functools import lru_cache

from flask import current_app, g, request
from flask_babel import gettext as _
from sqlalchemy import bindparam, or_, select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import contains_eager

from tracker.api.errors import ApiError
from tracker.database import db, set_read_only_request
from tracker.extensions import login_manager
from tracker.models import ApiToken, Unit, User
from tracker.models.user import hash_token
from tracker.timeutil import utcnow
from tracker.views_util import remember_signed_in, signed_in_columns

LAST_USED_EVERY = timedelta(minutes=1)
READ_METHODS = ("GET", "HEAD", "OPTIONS")


def _unauthorized(message: str) -> ApiError:
    return ApiError(401, "unauthorized", message, headers={"WWW-Authenticate": 'Bearer realm="tracker"'})


def authenticate() -> None:
    """Before every API request: find the bearer token's user or answer 401."""
    login_manager._update_request_context_with_user()  # anonymous until the token says otherwise
    if request.endpoint == "api.openapi" or request.method == "OPTIONS":
        return  # the description is public; OPTIONS only lists the methods
    header = request.headers.get("Authorization", "")
    scheme, _sep, token = header.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise _unauthorized(_("Send an API token: Authorization: Bearer <token>."))
    # One query for the token, its user and the user's unit (every request needs all three).
    # The unit loaded into `user.unit` (as the pages' sign-in check does: tracker.auth.sessions.load_user),
    # with the data's and the reference data's versions and whether the unit holds every unit.
    found = db.session.execute(_token_statement(), {"token_hash": hash_token(token)}).first()
    row = found[0] if found else None
    if row is None or row.revoked_at is not None or not row.user.active:
        raise _unauthorized(_("This API token is unknown or revoked."))
    now = utcnow()
    if row.last_used_at is None or now - row.last_used_at >= LAST_USED_EVERY:
        _touch(row.id, now)  # ends the transaction: what was read with the token is kept after it
    user = found[1]
    remember_signed_in(user, found[2:5])
    g.api_user = user
    login_manager._update_request_context_with_user(user)


@lru_cache(maxsize=1)
def _token_statement():
    """The statement of `authenticate`, built once (a statement built per request cost ~1 ms of building and
    keying its aliases and subqueries)."""
    return (select(ApiToken, User, *signed_in_columns())
            .join(User, User.id == ApiToken.user_id)
            .join(Unit, Unit.id == User.unit_id, isouter=True)
            .options(contains_eager(User.unit))
            .where(ApiToken.token_hash == bindparam("token_hash")))


def _touch(token_id: int, now) -> None:
    """Record the use in its own short write transaction (at most once a minute per token).

    The request's transaction is ended first: on SQLite a read transaction
    cannot become a write one while another process writes, and a write
    request's own transaction would block this one.
    """
    db.session.rollback()
    set_read_only_request(False)
    try:
        with db.engine.begin() as conn:
            conn.execute(update(ApiToken).where(
                ApiToken.id == token_id,
                or_(ApiToken.last_used_at.is_(None), ApiToken.last_used_at <= now - LAST_USED_EVERY))
                .values(last_used_at=now))
    except OperationalError:  # busy database: the time is only informative, the request goes on
        current_app.logger.warning("could not record the use of API token %s", token_id)
    finally:
        set_read_only_request(request.method in READ_METHODS)


def current_api_user() -> User:
    return g.api_user
