"""Offers and their answers.

Capacity rule: the weekly hours of a person's offered + accepted + active assignments never
exceed their stated weekly availability; it is checked when an offer is made and when accepted.
An offer past its expiry is lapsed for every read (`rules.live_offer`); the beat task
`projects.lapse_offers` writes that down (audit, pipeline), so no page ever writes on a GET.
Public functions are use cases and commit once; private helpers only flush."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from portal import audit, clock, pipeline
from portal.extensions import db
from portal.mail import external_url, send_email
from portal.models import (
    Applicant,
    Assignment,
    Project,
    User,
)
from portal.money import format_cents
from portal.projects import matching
from portal.projects.ratecard import RateCard
from portal.projects.services.assignments import settle
from portal.projects.services.features import features_for, requirements, seat_holders, seats_filled
from portal.projects.services.guidelines import current_guideline, record_acknowledgement
from portal.projects.services.ratecards import current_rate_card, quote_for
from portal.projects.services.rules import (
    AGREEMENT_VERSION,
    CANDIDATE_STAGES,
    DEFAULT_OFFER_DAYS,
    ENGAGED,
    ProjectError,
    holds_seat,
    live_offer,
)


def _lock_applicant(applicant_id: int) -> Applicant:
    """Re-read the applicant FOR UPDATE so two offers cannot both squeeze into the same hours."""
    applicant = db.session.scalar(
        select(Applicant).where(Applicant.id == applicant_id).with_for_update()
    )
    if applicant is None:
        raise ProjectError("That applicant no longer exists.")
    return applicant


def check_capacity(applicant: Applicant, hours: int, *, ignore: int | None = None) -> None:
    """Refuse when `hours` more a week would exceed the person's stated availability."""
    query = select(func.coalesce(func.sum(Assignment.weekly_hours), 0)).where(
        Assignment.applicant_id == applicant.id, holds_seat(clock.now())
    )
    if ignore is not None:
        query = query.where(Assignment.id != ignore)
    booked = int(db.session.scalar(query) or 0)
    available = applicant.weekly_hours or 0
    if booked + hours > available:
        free = max(available - booked, 0)
        raise ProjectError(
            f"{applicant.display_name} has {available} h/week available and {booked} h already "
            f"offered or booked; {hours} h more would exceed it (at most {free} h free)."
        )


def default_expiry(now: datetime | None = None) -> datetime:
    return (now or clock.now()) + timedelta(days=DEFAULT_OFFER_DAYS)


def _offer(
    project: Project,
    applicant_id: int,
    *,
    actor: User | None,
    hours: int | None = None,
    rate_cents: int | None = None,
    starts_on: date | None = None,
    expires_at: datetime | None = None,
    match_score: float | None = None,
    card: RateCard | None = None,
) -> Assignment:
    """Validate and add one offer (no commit)."""
    # Lock the project row too: two admins must not both fill its last seat.
    db.session.scalar(select(Project.id).where(Project.id == project.id).with_for_update())
    applicant = _lock_applicant(applicant_id)
    if project.status != "open":
        raise ProjectError(
            f"“{project.title}” is {project.status}; only open projects take offers."
        )
    if applicant.stage not in CANDIDATE_STAGES:
        raise ProjectError(
            f"{applicant.display_name} is at “{pipeline.STAGES[applicant.stage]}”; "
            "only people who passed the assessment can be offered work."
        )
    if applicant.id in seat_holders(project.id):
        raise ProjectError(
            f"{applicant.display_name} already has an offer or a seat on this project."
        )
    filled = seats_filled([project.id]).get(project.id, 0)
    if filled >= project.headcount:
        raise ProjectError(
            f"“{project.title}” has no open seats ({filled} of {project.headcount})."
        )
    hours = project.hours_min if hours is None else int(hours)
    if not project.hours_min <= hours <= project.hours_max:
        raise ProjectError(
            f"Weekly hours must be within the project's band "
            f"({project.hours_min}–{project.hours_max})."
        )
    check_capacity(applicant, hours)
    features = features_for([applicant])[applicant.id]
    explanation = matching.explain(features, requirements(project, filled))
    if not explanation.eligible:
        raise ProjectError(
            f"{applicant.display_name} does not meet the project's requirements: "
            + "; ".join(explanation.failed_constraints)
            + "."
        )
    if match_score is None:
        match_score = explanation.score
    quote = quote_for(project, features, card)
    reasons = list(quote.reasons)
    if rate_cents is None:
        rate_cents = quote.cents
    elif not project.rate_min_cents <= rate_cents <= project.rate_max_cents:
        raise ProjectError("The hourly rate must be within the project's rate band.")
    elif rate_cents != quote.cents:
        reasons.append(
            f"Set by the admin to {format_cents(rate_cents, project.currency)} "
            f"(card: {format_cents(quote.cents, project.currency)})"
        )
    now = clock.now()
    assignment = Assignment(
        project=project,
        applicant_id=applicant.id,
        status="offered",
        hourly_rate_cents=rate_cents,
        currency=project.currency,
        weekly_hours=hours,
        starts_on=starts_on or project.starts_on,
        rate_reasons=reasons,
        match_score=match_score,
        offered_at=now,
        expires_at=expires_at or default_expiry(now),
        offered_by_id=actor.id if actor else None,
    )
    db.session.add(assignment)
    db.session.flush()
    if applicant.stage in {"assessed_passed", "shortlisted", "talent_pool"}:
        pipeline.move(applicant, "offered", actor=actor, reason=f"Offer for {project.title}")
    audit.record(
        "offer.made",
        actor=actor,
        subject_type="assignment",
        subject_id=assignment.id,
        applicant_id=applicant.id,
        project_id=project.id,
        rate_cents=rate_cents,
        weekly_hours=hours,
        expires_at=assignment.expires_at.isoformat(),
    )
    link = external_url("offers.show", assignment_id=assignment.id)
    send_email(
        applicant.user.email,
        f"Offer: {project.title} ({project.client.name})",
        (
            f"Hello {applicant.display_name},\n\n"
            f"We would like you to join “{project.title}” for {project.client.name}.\n\n"
            f"Rate: {format_cents(rate_cents, project.currency)}/hour "
            f"({project.currency.upper()})\n"
            f"Hours: {hours} per week\n"
            f"Starts: {assignment.starts_on or 'on acceptance'}\n"
            f"Respond by: {assignment.expires_at.strftime('%d %b %Y %H:%M UTC')}\n\n"
            f"Read the project guidelines and accept or decline here:\n{link}\n"
        ),
        template="offer",
        applicant_id=applicant.id,
    )
    return assignment


def add_offer(
    project: Project, applicant_id: int, *, actor: User | None, hours: int, rate_cents: int
) -> Assignment:
    """One validated offer inside the caller's transaction (pipeline automation commits it)."""
    return _offer(project, applicant_id, actor=actor, hours=hours, rate_cents=rate_cents)


def make_offer(
    project: Project,
    applicant_id: int,
    *,
    actor: User | None,
    hours: int | None = None,
    rate_cents: int | None = None,
    starts_on: date | None = None,
    expires_at: datetime | None = None,
    match_score: float | None = None,
) -> Assignment:
    """Offer a person a seat on a project (rate from the card unless set), email them, commit."""
    try:
        assignment = _offer(
            project,
            applicant_id,
            actor=actor,
            hours=hours,
            rate_cents=rate_cents,
            starts_on=starts_on,
            expires_at=expires_at,
            match_score=match_score,
        )
    except ProjectError:
        db.session.rollback()
        raise
    db.session.commit()
    return assignment


def accept_proposal(
    selected: Sequence[str], *, actor: User | None, expires_at: datetime | None = None
) -> tuple[list[Assignment], list[str]]:
    """Create offers for the chosen `applicant:project:hours` keys; returns (made, refused)."""
    made: list[Assignment] = []
    refused: list[str] = []
    card = current_rate_card()
    for key in dict.fromkeys(selected):  # de-duplicated, order kept
        try:
            applicant_id, project_id, hours = (int(part) for part in key.split(":"))
        except ValueError:
            refused.append(f"Ignored a malformed row ({key!r}).")
            continue
        project = db.session.get(Project, project_id)
        if project is None:
            refused.append(f"Project {project_id} no longer exists.")
            continue
        savepoint = db.session.begin_nested()
        try:
            made.append(
                _offer(
                    project,
                    applicant_id,
                    actor=actor,
                    hours=hours,
                    expires_at=expires_at,
                    card=card,
                )
            )
        except ProjectError as exc:
            savepoint.rollback()
            refused.append(str(exc))
        else:
            savepoint.commit()
    db.session.commit()
    return made, refused


def _return_to_shortlist(applicant: Applicant, actor: User | None, reason: str) -> None:
    """Back to shortlisted once a person's last open offer is gone."""
    if applicant.stage != "offered":
        return
    still_open = db.session.scalar(
        select(func.count()).where(
            Assignment.applicant_id == applicant.id, Assignment.status == "offered"
        )
    )
    if not still_open:
        pipeline.move(applicant, "shortlisted", actor=actor, reason=reason)


def lapse_expired(now: datetime | None = None, *, applicant_id: int | None = None) -> int:
    """Lapse every open offer past its expiry (audited); the beat task's use case: commits."""
    now = now or clock.now()
    query = select(Assignment).where(
        Assignment.status == "offered",
        Assignment.expires_at.is_not(None),
        Assignment.expires_at <= now,
    )
    if applicant_id is not None:
        query = query.where(Assignment.applicant_id == applicant_id)
    expired = list(db.session.scalars(query.order_by(Assignment.id)))
    for assignment in expired:
        assignment.status = "lapsed"
        assignment.responded_at = now
        audit.record(
            "offer.lapsed",
            actor=None,
            subject_type="assignment",
            subject_id=assignment.id,
            applicant_id=assignment.applicant_id,
            project_id=assignment.project_id,
        )
        db.session.flush()
        applicant = db.session.get(Applicant, assignment.applicant_id)
        if applicant is not None:
            _return_to_shortlist(applicant, None, "Offer lapsed")
    if expired:
        db.session.commit()
    return len(expired)


def _open_offer(assignment: Assignment, applicant: Applicant) -> None:
    """Refuse to answer an offer that is not this person's or no longer open (expired included)."""
    if assignment.applicant_id != applicant.id:
        raise ProjectError("That offer is not yours.")
    if assignment.status == "offered" and is_expired(assignment):
        raise ProjectError("This offer has expired; it can no longer be answered.")
    if assignment.status != "offered":
        raise ProjectError(f"This offer is {assignment.status}; it can no longer be answered.")


def is_expired(assignment: Assignment, now: datetime | None = None) -> bool:
    """An open offer past its expiry: lapsed for every purpose (the beat task records it)."""
    expires = assignment.expires_at
    return (
        assignment.status == "offered" and expires is not None and expires <= (now or clock.now())
    )


def accept_offer(
    assignment: Assignment,
    applicant: Applicant,
    *,
    guideline_version: int | None,
    agreement_version: str | None,
) -> Assignment:
    """Accept an offer: guidelines and agreement acknowledged (versions recorded), commit."""
    _open_offer(assignment, applicant)
    guideline = current_guideline(assignment.project_id)
    if guideline is not None and guideline_version != guideline.version:
        raise ProjectError(
            "Read and acknowledge the project's current guidelines "
            f"(version {guideline.version}) to accept."
        )
    if agreement_version != AGREEMENT_VERSION:
        raise ProjectError("Accept the contractor agreement to continue.")
    applicant = _lock_applicant(applicant.id)
    check_capacity(applicant, assignment.weekly_hours, ignore=assignment.id)
    now = clock.now()
    if guideline is not None:
        record_acknowledgement(applicant, guideline)
        assignment.accepted_guideline_version = guideline.version
    assignment.agreement_version = AGREEMENT_VERSION
    assignment.status = "accepted"
    assignment.responded_at = now
    db.session.flush()
    # Active at once when payouts, guidelines and the start date allow (the rule is in
    # assignments.settle); an active contractor stays active whatever they accept next.
    settle(applicant.id)
    if applicant.stage == "offered":
        pipeline.move(applicant, "onboarding", actor=applicant.user, reason="Offer accepted")
    audit.record(
        "offer.accepted",
        actor=applicant.user,
        subject_type="assignment",
        subject_id=assignment.id,
        applicant_id=applicant.id,
        project_id=assignment.project_id,
        guideline_version=assignment.accepted_guideline_version,
        agreement_version=AGREEMENT_VERSION,
    )
    project = assignment.project
    engaged = db.session.scalar(
        select(func.count()).where(
            Assignment.project_id == project.id, Assignment.status.in_(ENGAGED)
        )
    )
    if project.status == "open" and engaged >= project.headcount:
        project.status = "staffed"
        audit.record("project.staffed", actor=None, subject_type="project", subject_id=project.id)
    db.session.commit()
    return assignment


def decline_offer(assignment: Assignment, applicant: Applicant, *, reason: str = "") -> Assignment:
    """Decline an open offer; back to the shortlist when it was the last one; commit."""
    _open_offer(assignment, applicant)
    assignment.status = "declined"
    assignment.responded_at = clock.now()
    audit.record(
        "offer.declined",
        actor=applicant.user,
        subject_type="assignment",
        subject_id=assignment.id,
        applicant_id=applicant.id,
        reason=reason.strip() or None,
        project_id=assignment.project_id,
    )
    db.session.flush()
    _return_to_shortlist(applicant, applicant.user, "Offer declined")
    db.session.commit()
    return assignment


def withdraw_offer(assignment: Assignment, *, actor: User | None) -> Assignment:
    """The admin takes back an open offer; commit."""
    if assignment.status != "offered":
        raise ProjectError(f"This offer is {assignment.status}; only open offers can be withdrawn.")
    assignment.status = "withdrawn"
    assignment.responded_at = clock.now()
    audit.record(
        "offer.withdrawn",
        actor=actor,
        subject_type="assignment",
        subject_id=assignment.id,
        applicant_id=assignment.applicant_id,
        project_id=assignment.project_id,
    )
    db.session.flush()
    applicant = db.session.get(Applicant, assignment.applicant_id)
    if applicant is not None:
        _return_to_shortlist(applicant, actor, "Offer withdrawn")
    db.session.commit()
    return assignment


def open_offers_for(applicant: Applicant) -> list[Assignment]:
    """A person's offers still waiting for an answer (not yet expired)."""
    return list(
        db.session.scalars(
            select(Assignment)
            .where(Assignment.applicant_id == applicant.id, live_offer(clock.now()))
            .order_by(Assignment.expires_at)
        )
    )


def offers_for(applicant: Applicant) -> list[Assignment]:
    """A person's offers and assignments, newest first (a read: expired offers are shown as such
    by `is_expired`, never lapsed here)."""
    return list(
        db.session.scalars(
            select(Assignment)
            .where(Assignment.applicant_id == applicant.id)
            .order_by(Assignment.offered_at.desc(), Assignment.id.desc())
        )
    )
