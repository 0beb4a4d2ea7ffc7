"""When each ISO week closes for submission (default: the following Monday 12:00 UTC)."""

from datetime import UTC, date, datetime, time, timedelta

from flask import current_app

from portal.workdays import iso_week

DEFAULT_CLOSES_AFTER_HOURS = 12


def closes_after_hours() -> int | None:
    """Hours after a week ends (Monday 00:00 UTC) that it closes; None: weeks never close."""
    value = current_app.config.get("TIMESHEET_CLOSES_AFTER_HOURS", DEFAULT_CLOSES_AFTER_HOURS)
    return None if value is None or value == "" else int(value)


def closes_at(week: str) -> datetime | None:
    """The moment `week` (YYYY-Www) stops taking submissions, or None when weeks never close."""
    hours = closes_after_hours()
    if hours is None:
        return None
    year, number = week.split("-W")
    monday = date.fromisocalendar(int(year), int(number), 1)
    end = datetime.combine(monday + timedelta(days=7), time.min, tzinfo=UTC)
    return end + timedelta(hours=hours)


def closed_message(week: str, now: datetime) -> str | None:
    """Why `week` takes no more submissions at `now`, for the contractor to read; else None."""
    closing = closes_at(week)
    if closing is None or now < closing:
        return None
    return (
        f"Week {week} closed for submission on {closing:%a %d %b %Y %H:%M} UTC. "
        "Ask your project admin if hours are missing."
    )


def last_closed_week(now: datetime) -> str:
    """The ISO week before the one `now` is in (the week reminders and deadlines are about)."""
    return iso_week(now.date() - timedelta(days=7))
