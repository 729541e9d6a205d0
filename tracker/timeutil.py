"""The only place that reads the clock.

Everything else takes `today` or `now` as a value. Dates are local to the
configured zone (Asia/Ho_Chi_Minh by default); timestamps are aware UTC.
"""
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

DEFAULT_TZ = "Asia/Ho_Chi_Minh"


def local_zone() -> ZoneInfo:
    """Return the configured local time zone (from the app config when there is one)."""
    try:
        from flask import current_app

        return ZoneInfo(current_app.config.get("TIMEZONE", DEFAULT_TZ))
    except RuntimeError:  # no app context: CLI helpers, pure tests
        return ZoneInfo(DEFAULT_TZ)


def utcnow() -> datetime:
    """Return the current time as an aware UTC datetime."""
    return datetime.now(timezone.utc)


def local_now() -> datetime:
    """Return the current time in the local zone."""
    return utcnow().astimezone(local_zone())


def today() -> date:
    """Return today's date in the local zone (it flips at 17:00 UTC in Vietnam)."""
    return local_now().date()


def to_local(moment: datetime | None) -> datetime | None:
    """Convert an aware datetime to the local zone for display."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(local_zone())
