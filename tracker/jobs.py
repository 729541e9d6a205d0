"""The scheduled jobs: each one reads the clock once, then works from tables.

Jobs are idempotent: running one twice, or in two processes, changes nothing
the second time. Each job owns its transaction.
"""
from __future__ import annotations

import logging

from flask import Flask

log = logging.getLogger(__name__)

# Periodic jobs register here as (name, function(app)); the scheduler runs them on every tick.
TICK_JOBS: list = []


def tick(app: Flask) -> None:
    """Run every periodic job once, each in its own app context and transaction."""
    for name, job in TICK_JOBS:
        with app.app_context():
            try:
                job(app)
            except Exception:  # noqa: BLE001 - one failing job must not stop the others
                log.exception("scheduled job %s failed", name)
