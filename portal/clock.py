"""The server's clock: the one place "now" comes from, so tests can freeze or move it."""

from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from portal.models.base import utcnow


def now() -> datetime:
    """The current time in UTC (patch ``portal.clock.now`` in tests)."""
    return utcnow()


def zone(name: str | None) -> ZoneInfo:
    """A person's IANA timezone; UTC when it is unset or unknown."""
    try:
        return ZoneInfo(name) if name else ZoneInfo("UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")
