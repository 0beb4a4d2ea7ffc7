"""Quality tiers: the weekly hours a contractor may log follow how well they work.

The posting promises a "flexible workload depending on availability and performance". An admin
sets each assignment's tier on the project's quality page, guided by a suggestion from the
rater's gold accuracy: *limited* caps the week at ``WORK_TIER_CAPS["limited"]`` hours (10 by
default), *standard* is the hours agreed in the offer, *expanded* opens the week up to the
portal's ceiling (20 hours). The cap is enforced where hours are saved
(``timesheets.weekly_cap``).
"""

from __future__ import annotations

from typing import Any

from flask import current_app

from portal import audit
from portal.extensions import db
from portal.mail import external_url, send_email
from portal.models import Applicant, Assignment, User
from portal.transactions import use_case

CEILING_HOURS = 20
TIERS: dict[str, str] = {"limited": "Limited", "standard": "Standard", "expanded": "Expanded"}
DEFAULT_CAPS: dict[str, int] = {"limited": 10, "expanded": CEILING_HOURS}
EXPAND_LOWER_BOUND = 0.9  # gold accuracy's lower 95 % bound that earns more hours


class TierError(ValueError):
    """The tier cannot be set (the message says why)."""


def caps() -> dict[str, int]:
    return {**DEFAULT_CAPS, **current_app.config.get("WORK_TIER_CAPS", {})}


def tier_cap(assignment: Assignment) -> int:
    """The weekly hours this assignment may log: its tier's cap, never above the ceiling."""
    agreed = assignment.weekly_hours or 0
    tier = assignment.quality_tier or "standard"
    cap = agreed if tier == "standard" else caps().get(tier, agreed)
    return max(0, min(cap, CEILING_HOURS))


def suggest(row: dict[str, Any] | None, bar: float, min_gold: int) -> tuple[str, str]:
    """The tier a rater's quality row points to, with the reason (for the admin to confirm)."""
    if not row or (row.get("gold_n") or 0) < min_gold:
        return "standard", f"fewer than {min_gold} gold answers yet"
    low, high = row["gold_interval"]
    if high < bar:
        return "limited", f"gold accuracy at most {high:.0%}, below the {bar:.0%} bar"
    if low >= EXPAND_LOWER_BOUND:
        return "expanded", f"gold accuracy at least {low:.0%} (95 % interval)"
    return "standard", f"gold accuracy {low:.0%}–{high:.0%}"


@use_case
def set_tier(assignment: Assignment, tier: str, *, actor: User | None) -> Assignment:
    """Set the assignment's quality tier (audited; the contractor is told their new cap)."""
    if tier not in TIERS:
        raise TierError(f"Unknown tier {tier!r}: choose one of {', '.join(TIERS)}.")
    if assignment.status in ("ended", "declined", "lapsed", "withdrawn"):
        raise TierError(f"This assignment is {assignment.status}; its tier no longer matters.")
    if tier == (assignment.quality_tier or "standard"):
        return assignment
    before = tier_cap(assignment)
    previous = assignment.quality_tier
    assignment.quality_tier = tier
    after = tier_cap(assignment)
    audit.record(
        "assignment.tier_set",
        actor=actor,
        subject_type="assignment",
        subject_id=assignment.id,
        applicant_id=assignment.applicant_id,
        project_id=assignment.project_id,
        tier=tier,
        previous=previous,
        weekly_cap=after,
    )
    applicant = db.session.get(Applicant, assignment.applicant_id)
    if applicant is not None and after != before:
        more = after > before
        send_email(
            applicant.user.email,
            f"Your weekly hours on {assignment.project.title}: up to {after} h",
            (
                f"Hello {applicant.display_name},\n\n"
                + (
                    "Thanks to the quality of your work, you can now log "
                    if more
                    else "Following a review of recent quality checks, you can log "
                )
                + f"up to {after} hours a week on “{assignment.project.title}” "
                f"(before: {before} hours). This applies from the current week.\n\n"
                f"Your timesheets: {external_url('payments.timesheet_week')}\n"
            ),
            template="assignment_tier",
            applicant_id=applicant.id,
        )
    return assignment
