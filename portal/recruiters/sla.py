"""The response SLA: business days (Mon-Fri, UTC dates) an applicant has waited on us.

Pure functions: the clock is passed in. A day counts once it has started after the day the
applicant entered the stage, so entering on Friday and looking on Monday is one business day.
"""

from datetime import UTC, date, datetime, time, timedelta

from portal.pipeline import WAITING_ON_US

DUE_AT = 3
OVERDUE_AT = 5

SLA_STATUSES: dict[str, str] = {"ok": "On track", "due": "Due", "overdue": "Overdue"}


def _day(value: datetime | date) -> date:
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC).date()
    return value


def business_days_between(start: datetime | date, end: datetime | date) -> int:
    """Mon-Fri days d with start < d <= end (by UTC date); 0 if end is not after start."""
    first, last = _day(start), _day(end)
    if last <= first:
        return 0
    days = (last - first).days
    weeks, rest = divmod(days, 7)
    count = weeks * 5
    for offset in range(1, rest + 1):
        if (first + timedelta(days=offset)).weekday() < 5:
            count += 1
    return count


def sla_status(stage: str, entered_at: datetime, now: datetime) -> str | None:
    """'ok', 'due' or 'overdue' for a stage that waits on us; None when the applicant owes us."""
    if stage not in WAITING_ON_US:
        return None
    waited = business_days_between(entered_at, now)
    if waited >= OVERDUE_AT:
        return "overdue"
    if waited >= DUE_AT:
        return "due"
    return "ok"


def entered_before(now: datetime, business_days: int) -> datetime:
    """The cut-off: entering a stage before it means at least `business_days` have passed.

    Walk back over `business_days` weekdays ending today; anyone who entered before the first
    of them has waited that long. Lets SQL filter on `stage_changed_at < cutoff` (monotone).
    """
    day = _day(now)
    counted = 0
    while counted < business_days:
        if day.weekday() < 5:
            counted += 1
        if counted < business_days:
            day -= timedelta(days=1)
    return datetime.combine(day, time.min, tzinfo=UTC)
