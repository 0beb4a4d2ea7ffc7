"""The response SLA: business days (Mon-Fri, UTC dates) an applicant has waited on us.

Pure functions: the clock is passed in. A day counts once it has started after the day the
applicant entered the stage, so entering on Friday and looking on Monday is one business day.
The counting itself is `portal.workdays` (shared with the intake's answer-by dates).
"""

from datetime import UTC, datetime, time, timedelta

from portal.pipeline import WAITING_ON_US
from portal.workdays import ANSWER_WITHIN, business_days_between, utc_date

DUE_AT, OVERDUE_AT = ANSWER_WITHIN

SLA_STATUSES: dict[str, str] = {"ok": "On track", "due": "Due", "overdue": "Overdue"}


def sla_status(stage: str, entered_at: datetime, now: datetime) -> str | None:
    """'ok', 'due' or 'overdue' for a stage that waits on us; None when the applicant owes us."""
    if stage not in WAITING_ON_US:
        return None
    return status_after(business_days_between(entered_at, now))


def status_after(waited: int) -> str:
    """'ok', 'due' or 'overdue' after waiting this many business days in a stage we owe."""
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
    day = utc_date(now)
    counted = 0
    while counted < business_days:
        if day.weekday() < 5:
            counted += 1
        if counted < business_days:
            day -= timedelta(days=1)
    return datetime.combine(day, time.min, tzinfo=UTC)
