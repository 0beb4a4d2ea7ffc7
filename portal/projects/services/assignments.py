"""When an accepted assignment is active: one rule, run whenever one of its inputs changes.

An accepted assignment is active when (1) the contractor's Stripe account can receive payouts,
(2) the project's current guideline version is acknowledged, (3) its start date has come, and
(4) it is not paused or ended. `settle` applies the rule to one person's assignments and is
idempotent (a second run changes nothing); it is called, flush-only, by the use cases that change
an input (offer accepted, Stripe status, guideline acknowledged, resume) and by the daily beat
task `projects.activate_assignments` (start dates). The pipeline stage follows: a person with at
least one active assignment is `active`, and a further offer never sends them back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from portal import audit, clock, pipeline
from portal.extensions import db
from portal.models import Applicant, Assignment, StripeAccount
from portal.projects.services.guidelines import needs_guideline_ack

# What an accepted assignment can wait for, in the order a contractor can act on them.
WAIT_PAYOUTS = "payouts"
WAIT_GUIDELINE = "guideline"
WAIT_START = "start"


@dataclass(frozen=True)
class Wait:
    """One thing an assignment waits for, with the sentence the contractor reads."""

    kind: str
    message: str


def waits_for(assignment: Assignment, *, today: date | None = None) -> list[Wait]:
    """What stands between this accepted assignment and `active` (empty: nothing)."""
    today = today or clock.now().date()
    waits = []
    account = db.session.scalar(
        select(StripeAccount).where(StripeAccount.applicant_id == assignment.applicant_id)
    )
    if account is None or not account.ready:
        waits.append(Wait(WAIT_PAYOUTS, "Connect your Stripe account so we can pay you."))
    guideline = needs_guideline_ack(assignment.applicant_id, assignment.project_id)
    if guideline is not None:
        waits.append(
            Wait(WAIT_GUIDELINE, f"Acknowledge the guidelines (version {guideline.version}).")
        )
    if assignment.starts_on is not None and assignment.starts_on > today:
        waits.append(Wait(WAIT_START, f"Starts on {assignment.starts_on:%d %b %Y}."))
    return waits


def settle(applicant_id: int, *, today: date | None = None) -> list[Assignment]:
    """Activate this person's accepted assignments whose inputs are all met, then move their
    pipeline stage to follow; flushes, never commits; returns the assignments it activated."""
    today = today or clock.now().date()
    activated = []
    accepted = db.session.scalars(
        select(Assignment)
        .where(Assignment.applicant_id == applicant_id, Assignment.status == "accepted")
        .order_by(Assignment.id)
    )
    for assignment in accepted:
        if waits_for(assignment, today=today):
            continue
        assignment.status = "active"
        assignment.activated_at = clock.now()
        audit.record(
            "assignment.activated",
            actor=None,
            subject_type="assignment",
            subject_id=assignment.id,
            applicant_id=applicant_id,
            project_id=assignment.project_id,
        )
        activated.append(assignment)
    db.session.flush()
    follow_stage(applicant_id)
    return activated


def follow_stage(applicant_id: int) -> None:
    """The pipeline stage follows the assignments: one active assignment makes a person active."""
    applicant = db.session.get(Applicant, applicant_id)
    if applicant is None or applicant.stage not in ("offered", "onboarding"):
        return
    active = db.session.scalar(
        select(Assignment.id).where(
            Assignment.applicant_id == applicant_id, Assignment.status == "active"
        )
    )
    if active is not None:
        pipeline.move(applicant, "active", actor=None, reason="An assignment started")


def activate_due(*, today: date | None = None) -> int:
    """The daily beat task's use case: settle everyone with an accepted assignment; commit."""
    applicant_ids = list(
        db.session.scalars(
            select(Assignment.applicant_id)
            .where(Assignment.status == "accepted")
            .distinct()
            .order_by(Assignment.applicant_id)
        )
    )
    count = 0
    for applicant_id in applicant_ids:
        count += len(settle(applicant_id, today=today))
    db.session.commit()
    return count


STATE_LABELS = {
    "accepted": "Starting soon",
    "active": "Active",
    "paused": "Paused",
    "ended": "Ended",
}


@dataclass(frozen=True)
class BoardRow:
    """One of a contractor's assignments as their dashboard shows it."""

    assignment: Assignment
    state: str
    label: str
    waits: list[Wait]
    reason: str | None


def board_for(applicant: Applicant) -> list[BoardRow]:
    """Every accepted assignment of a person, with its state and what it waits for (a read)."""
    today = clock.now().date()
    rows = []
    for assignment in db.session.scalars(
        select(Assignment)
        .where(Assignment.applicant_id == applicant.id, Assignment.status.in_(STATE_LABELS))
        .order_by(Assignment.status == "ended", Assignment.starts_on, Assignment.id)
    ):
        waits = waits_for(assignment, today=today) if assignment.status == "accepted" else []
        reason = {"paused": assignment.pause_reason, "ended": assignment.end_reason}.get(
            assignment.status
        )
        rows.append(
            BoardRow(assignment, assignment.status, STATE_LABELS[assignment.status], waits, reason)
        )
    return rows
