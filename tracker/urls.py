"""Addresses of pages: built once per list, and absolute under BASE_URL where they leave the app."""
from __future__ import annotations

from flask import current_app, url_for


def external_url(endpoint: str, **values) -> str:
    """An absolute URL under BASE_URL (the public address; behind a proxy the request's host may be internal)."""
    base = current_app.config.get("BASE_URL", "").rstrip("/")
    return base + url_for(endpoint, **values) if base else url_for(endpoint, _external=True, **values)


def id_url(endpoint: str, key: str, build=url_for):
    """A URL builder for `endpoint` taking one integer id, for lists that link every row.

    The route map is asked once (through `build`: url_for, or `external_url`); each
    row's link is then string concatenation, the same URL as `build` gives.
    """
    marker = 987654321987
    head, tail = build(endpoint, **{key: marker}).split(str(marker))
    return lambda value: f"{head}{int(value)}{tail}"
