"""Business days (Monday to Friday), the answer promise built on them, and ISO week labels.

One place for the arithmetic: intake tells an applicant when to expect an answer, recruiters
track the same promise as an SLA. ``business_days_between(d, add_business_days(d, n)) == n``.
"""

from datetime import UTC, date, datetime, timedelta

# We answer a waiting applicant within 3 to 5 business days: due at 3, overdue at 5.
ANSWER_WITHIN = (3, 5)


def utc_date(value: datetime | date) -> date:
    """The UTC calendar date of a datetime (naive means UTC); a date as it is."""
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC).date()
    return value


def iso_week(day: date) -> str:
    """The ISO week a day falls in, as "2026-W07" (timesheets, payouts, weekly charts)."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def add_business_days(start: date, days: int) -> date:
    """The date `days` working days (Monday to Friday) after `start`."""
    current = start
    while days > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            days -= 1
    return current


def business_days_between(start: datetime | date, end: datetime | date) -> int:
    """Mon-Fri days d with start < d <= end (datetimes by UTC date); 0 if end is not after start."""
    first, last = utc_date(start), utc_date(end)
    if last <= first:
        return 0
    weeks, rest = divmod((last - first).days, 7)
    return weeks * 5 + sum(
        1 for offset in range(1, rest + 1) if (first + timedelta(days=offset)).weekday() < 5
    )
