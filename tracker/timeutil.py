"""The only place that reads the clock.

Everything else takes `today` or `now` as a value. Dates are local to the
configured zone (Asia/Ho_Chi_Minh by default); timestamps are aware UTC.
"""
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

DEFAULT_TZ = "Asia/Ho_Chi_Minh"


_zone = {"local": ZoneInfo(DEFAULT_TZ)}


def use_zone(name: str) -> None:
    """Set the local zone (create_app passes the TIMEZONE setting)."""
    _zone["local"] = ZoneInfo(name)


def local_zone() -> ZoneInfo:
    """Return the configured local time zone."""
    return _zone["local"]


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


def format_date(value: date | datetime | None) -> str:
    """A date (or a moment, in the local zone) as offices write it: dd/mm/yyyy."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = to_local(value).date()
    return value.strftime("%d/%m/%Y")


def format_datetime(value: datetime | None) -> str:
    """A moment in the local zone as dd/mm/yyyy hh:mm."""
    if value is None:
        return ""
    return to_local(value).strftime("%d/%m/%Y %H:%M")
