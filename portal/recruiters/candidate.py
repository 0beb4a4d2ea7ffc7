"""What the candidate page shows, gathered in a few queries."""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from portal.applicants.services import current_resume
from portal.assessment.results import attempt_breakdown
from portal.extensions import db
from portal.models import (
    Applicant,
    Attempt,
    AttemptItem,
    AuditEvent,
    Note,
    OutboxEmail,
    Resume,
    Scorecard,
    User,
)


@dataclass
class CandidateView:
    applicant: Applicant
    resume: Resume | None
    attempts: list[dict[str, Any]]  # portal.assessment.results.attempt_breakdown, newest first
    history: list[AuditEvent]
    notes: list[Note]
    scorecards: list[Scorecard]
    emails: list[OutboxEmail]
    actors: dict[int, User]


def load_candidate(applicant_id: int) -> CandidateView:
    """Everything on the candidate page; 404 for an unknown applicant."""
    applicant = db.get_or_404(Applicant, applicant_id)
    resume = current_resume(applicant)  # intake decides which upload is current
    attempts = db.session.scalars(
        select(Attempt)
        .where(Attempt.applicant_id == applicant.id)
        .order_by(Attempt.started_at.desc())
        .options(selectinload(Attempt.items).joinedload(AttemptItem.item))
    ).all()
    history = db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.applicant_id == applicant.id)
        .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
    ).all()
    notes = db.session.scalars(
        select(Note)
        .where(Note.applicant_id == applicant.id)
        .order_by(Note.created_at.desc())
        .options(joinedload(Note.author))
    ).all()
    scorecards = db.session.scalars(
        select(Scorecard)
        .where(Scorecard.applicant_id == applicant.id)
        .order_by(Scorecard.updated_at)
        .options(joinedload(Scorecard.recruiter))
    ).all()
    emails = db.session.scalars(
        select(OutboxEmail)
        .where(OutboxEmail.applicant_id == applicant.id)
        .order_by(OutboxEmail.created_at.desc())
    ).all()
    actor_ids = {e.actor_id for e in history if e.actor_id}
    actors = (
        {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(actor_ids)))}
        if actor_ids
        else {}
    )
    return CandidateView(
        applicant=applicant,
        resume=resume,
        attempts=[attempt_breakdown(a) for a in attempts],
        history=list(history),
        notes=list(notes),
        scorecards=list(scorecards),
        emails=list(emails),
        actors=actors,
    )
