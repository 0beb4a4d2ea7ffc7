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

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from portal import audit, clock, guideline_checks, pipeline
from portal.extensions import db
from portal.mail import external_url, send_email
from portal.models import (
    Applicant,
    Assignment,
    Guideline,
    GuidelineAck,
    Project,
    StripeAccount,
    User,
)
from portal.projects.services.guidelines import needs_guideline_ack, record_acknowledgement
from portal.projects.services.rules import ENGAGED

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


def acknowledge_guideline(
    applicant: Applicant, guideline: Guideline, answers: Mapping[str, str] | None = None
) -> GuidelineAck:
    """A contractor acknowledges a guideline version (idempotent), which may start an
    assignment that waited for it; commit.

    A version with a check is acknowledged only when every question is answered right;
    otherwise the failed try is audited (committed) and CheckFailed names the wrong ones."""
    if guideline.check_items:
        wrong = guideline_checks.wrong_answers(guideline.check_items, answers or {})
        if wrong:
            audit.record(
                "guideline.check_failed",
                actor=applicant.user,
                subject_type="guideline",
                subject_id=guideline.id,
                applicant_id=applicant.id,
                project_id=guideline.project_id,
                wrong=[i + 1 for i in wrong],
            )
            db.session.commit()
            raise guideline_checks.CheckFailed(wrong)
    ack = record_acknowledgement(applicant, guideline)
    settle(applicant.id)
    db.session.commit()
    return ack


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


# --- the lifecycle after hiring: pause, resume, end; project close ------------------------------


class LifecycleError(ValueError):
    """A lifecycle move the rules refuse; the message says why."""


def _notify(assignment: Assignment, subject: str, body: str) -> None:
    applicant = db.session.get(Applicant, assignment.applicant_id)
    if applicant is None:
        return
    send_email(
        applicant.user.email,
        f"{subject}: {assignment.project.title}",
        f"Hello {applicant.display_name},\n\n{body}\n\nYour projects: "
        f"{external_url('applicants.dashboard')}\n",
        template="assignment_lifecycle",
        applicant_id=applicant.id,
    )


def _reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise LifecycleError("Give a reason: the contractor reads it.")
    return reason


def pause(assignment: Assignment, *, actor: User | None, reason: str) -> Assignment:
    """Pause an active (or starting) assignment: it takes no new hours from today; commit."""
    reason = _reason(reason)
    if assignment.status not in ("active", "accepted"):
        raise LifecycleError(
            f"Only active assignments can be paused (this one is {assignment.status})."
        )
    assignment.status = "paused"
    assignment.paused_at = clock.now()
    assignment.pause_reason = reason
    audit.record(
        "assignment.paused",
        actor=actor,
        subject_type="assignment",
        subject_id=assignment.id,
        applicant_id=assignment.applicant_id,
        project_id=assignment.project_id,
        reason=reason,
    )
    _notify(
        assignment,
        "Paused",
        f"Your work on “{assignment.project.title}” is paused: {reason}\n"
        "Please log no hours for it until we resume it.",
    )
    db.session.commit()
    return assignment


def resume(assignment: Assignment, *, actor: User | None) -> Assignment:
    """Resume a paused assignment; the activation rule decides if it is active again; commit."""
    if assignment.status != "paused":
        raise LifecycleError(
            f"Only paused assignments can be resumed (this one is {assignment.status})."
        )
    assignment.status = "accepted"
    assignment.paused_at = None
    assignment.pause_reason = None
    audit.record(
        "assignment.resumed",
        actor=actor,
        subject_type="assignment",
        subject_id=assignment.id,
        applicant_id=assignment.applicant_id,
        project_id=assignment.project_id,
    )
    db.session.flush()
    settle(assignment.applicant_id)
    _notify(assignment, "Resumed", f"Your work on “{assignment.project.title}” has resumed.")
    db.session.commit()
    return assignment


def end_assignment(assignment: Assignment, *, actor: User | None, reason: str, on: date) -> None:
    """End an engaged assignment on a date (its last working day); flushes; the seat reopens."""
    assignment.status = "ended"
    assignment.ended_at = clock.now()
    assignment.ends_on = on
    assignment.end_reason = reason
    assignment.paused_at = None
    audit.record(
        "assignment.ended",
        actor=actor,
        subject_type="assignment",
        subject_id=assignment.id,
        applicant_id=assignment.applicant_id,
        project_id=assignment.project_id,
        reason=reason,
        ends_on=on.isoformat(),
    )
    _notify(
        assignment,
        "Ended",
        f"Your contract on “{assignment.project.title}” ends on {on:%d %b %Y}: {reason}\n"
        "Hours up to that day are still paid once approved.",
    )
    project = assignment.project
    db.session.flush()
    if project.status == "staffed":
        engaged = db.session.scalar(
            select(func.count()).where(
                Assignment.project_id == project.id, Assignment.status.in_(ENGAGED)
            )
        )
        if engaged < project.headcount:
            project.status = "open"
            audit.record(
                "project.reopened", actor=actor, subject_type="project", subject_id=project.id
            )


def end(
    assignment: Assignment, *, actor: User | None, reason: str, on: date | None = None
) -> Assignment:
    """End an assignment (today unless a date is given); audited, emailed; commit."""
    reason = _reason(reason)
    if assignment.status not in ENGAGED:
        raise LifecycleError(
            f"Only ongoing assignments can be ended (this one is {assignment.status})."
        )
    end_assignment(assignment, actor=actor, reason=reason, on=on or clock.now().date())
    db.session.commit()
    return assignment


def end_all_for(applicant_id: int, *, actor: User | None, reason: str) -> int:
    """End every ongoing assignment of a person today (rejected, withdrawn); flushes."""
    ongoing = list(
        db.session.scalars(
            select(Assignment).where(
                Assignment.applicant_id == applicant_id, Assignment.status.in_(ENGAGED)
            )
        )
    )
    for assignment in ongoing:
        end_assignment(assignment, actor=actor, reason=reason, on=clock.now().date())
    return len(ongoing)


def close_project(project: Project, *, actor: User | None, on: date, reason: str) -> int:
    """Close a project: its ongoing assignments end on `on`; open offers are withdrawn; commit."""
    reason = _reason(reason)
    for assignment in db.session.scalars(
        select(Assignment).where(
            Assignment.project_id == project.id, Assignment.status == "offered"
        )
    ):
        assignment.status = "withdrawn"
        assignment.responded_at = clock.now()
    ongoing = list(
        db.session.scalars(
            select(Assignment).where(
                Assignment.project_id == project.id, Assignment.status.in_(ENGAGED)
            )
        )
    )
    for assignment in ongoing:
        end_assignment(assignment, actor=actor, reason=f"Project closed: {reason}", on=on)
    project.status = "closed"
    project.ends_on = on
    audit.record(
        "project.closed",
        actor=actor,
        subject_type="project",
        subject_id=project.id,
        ends_on=on.isoformat(),
        reason=reason,
        ended=len(ongoing),
    )
    db.session.commit()
    return len(ongoing)
