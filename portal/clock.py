"""The server's clock: the one place "now" comes from, so tests can freeze or move it."""

from datetime import datetime

from portal.models.base import utcnow


def now() -> datetime:
    """The current time in UTC (patch ``portal.clock.now`` in tests)."""
    return utcnow()
