"""Device cookies: a browser that signed in as someone before says so at its next sign-in.

A signed cookie names the username it signed in as and a random device id
(OWASP, "Slow Down Online Guessing Attacks with Device Cookies"). It grants no
access by itself: it only lets that browser's attempts at that account be
limited per device rather than per address (tracker.rules.signin), so that an
outsider sharing the office's address cannot lock the office out. It is not
cleared at sign-out; a new success replaces it.
"""
from __future__ import annotations

import secrets

from flask import current_app, request
from itsdangerous import BadSignature, URLSafeTimedSerializer

_SALT = "tracker.device-cookie"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=_SALT)


def device_for(username: str) -> str | None:
    """The device id of this browser's cookie if it signed in as `username`, else None."""
    raw = request.cookies.get(current_app.config["DEVICE_COOKIE_NAME"])
    if not raw or len(raw) > 512:
        return None
    try:
        data = _serializer().loads(raw, max_age=int(current_app.config["DEVICE_COOKIE_LIFETIME"].total_seconds()))
    except BadSignature:
        return None
    if not isinstance(data, dict) or data.get("u") != username or not isinstance(data.get("d"), str):
        return None
    return data["d"][:32]


def set_device_cookie(response, username: str) -> None:
    """Give the browser a fresh device cookie for `username` (after a successful sign-in)."""
    config = current_app.config
    value = _serializer().dumps({"u": username, "d": secrets.token_hex(16)})
    response.set_cookie(config["DEVICE_COOKIE_NAME"], value,
                        max_age=int(config["DEVICE_COOKIE_LIFETIME"].total_seconds()),
                        secure=config["SESSION_COOKIE_SECURE"], httponly=True, samesite="Strict", path="/")
