"""The server's clock: the one place "now" comes from, so tests can freeze or move it."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def now() -> datetime:
    """The current time in UTC (patch ``portal.clock.now`` in tests; everything follows)."""
    return datetime.now(UTC)


def today() -> date:
    """Today's date in UTC, by the same clock."""
    return now().date()


def zone(name: str | None) -> ZoneInfo:
    """A person's IANA timezone; UTC when it is unset or unknown."""
    try:
        return ZoneInfo(name) if name else ZoneInfo("UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")
