"""Tracker: directives and tasks of a provincial administration.

`create_app()` builds the Flask app (tracker.app). Importing this package
loads nothing else, so that `tracker.rules`, the pure rules, can be imported
and tested without the web stack.
"""
from __future__ import annotations

import os


def create_app(config: str | type | None = None, **overrides):
    """Build the app for `config` ("development", "testing", "production" or a class; default $APP_ENV)."""
    from tracker.app import build  # the web stack loads here, not when a sub-package is imported

    return build(config or os.environ.get("APP_ENV", "development"), **overrides)
