"""The contract as the source of truth for what can be logged, approved and paid.

An assignment's work window runs from the later of its start date and the day it was accepted
to its end date (inclusive, open when unset). While it is paused, days from the pause on are
closed too. Every step that touches hours runs the same check: saving and submitting a week
(`timesheets.save_week`), approving it (`timesheets.approve`) and paying it (`payouts`), so a day
outside the contract can never be paid, whichever step a newcomer changes.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from portal.models import Assignment, Timesheet

DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def window(assignment: Assignment) -> tuple[date | None, date | None]:
    """(first day, last day) hours may be logged for; None is open on that side."""
    starts = [d for d in (assignment.starts_on, _accepted_on(assignment)) if d is not None]
    return (max(starts) if starts else None, assignment.ends_on)


def _accepted_on(assignment: Assignment) -> date | None:
    if assignment.responded_at is None or assignment.status in ("offered", "declined"):
        return None
    return assignment.responded_at.date()


def closed_reason(assignment: Assignment, day: date) -> str | None:
    """Why `day` takes no hours on this assignment, or None when it is open."""
    first, last = window(assignment)
    if first is not None and day < first:
        return f"before this contract starts ({first:%d %b %Y})"
    if last is not None and day > last:
        return f"after this contract ended ({last:%d %b %Y})"
    if (
        assignment.status == "paused"
        and assignment.paused_at is not None
        and day >= assignment.paused_at.date()
    ):
        return "while this contract is paused"
    return None


def open_days(assignment: Assignment, days: Sequence[date]) -> list[bool]:
    """For each day of a week, whether it is inside the contract (the page closes the others)."""
    return [closed_reason(assignment, day) is None for day in days]


def hour_violations(
    assignment: Assignment, days: Sequence[date], quarters: Sequence[int]
) -> list[str]:
    """One sentence per day with hours outside the contract (empty: the week obeys it)."""
    errors = []
    for day, name, q in zip(days, DAY_NAMES, quarters, strict=True):
        if not q:
            continue
        reason = closed_reason(assignment, day)
        if reason is not None:
            errors.append(f"{name} {day:%d %b}: {q / 4:g} h {reason}.")
    return errors


def sheet_violations(sheet: Timesheet) -> list[str]:
    """The contract check for a stored week (approval and payment run it)."""
    year, week = sheet.week.split("-W")
    monday = date.fromisocalendar(int(year), int(week), 1)
    days = [monday + timedelta(days=i) for i in range(7)]
    errors = hour_violations(sheet.assignment, days, sheet.quarter_hours or [])
    if sheet.assignment.status in ("offered", "declined", "lapsed", "withdrawn"):
        errors.append(f"The assignment is {sheet.assignment.status}: there is no contract.")
    return errors
