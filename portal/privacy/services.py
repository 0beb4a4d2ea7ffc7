"""Export an applicant's data, and anonymise it on request.

Anonymisation keeps every row (so counts, the funnel, item statistics and the audit trail stay
whole) and replaces what identifies the person: name, email, phone, city, links, free text,
resume files and text, the bodies of emails sent to them, and recruiter notes and scorecard
comments about them (those are about the person too).
"""

import secrets
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from portal import audit, clock
from portal.extensions import db
from portal.jobs import after_commit
from portal.models import (
    Applicant,
    Assignment,
    Attempt,
    AuditEvent,
    Note,
    OutboxEmail,
    Resume,
    Scorecard,
    User,
)
from portal.pipeline import STAGES
from portal.storage import get_storage
from portal.transactions import use_case

REMOVED = "[removed at the applicant's request]"


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def export_data(applicant: Applicant) -> dict[str, Any]:
    """Everything we hold that the applicant gave us or that is about their application.

    Recruiters' internal notes and scorecards are not included (they are staff working notes);
    the stage history and every email sent to them are.
    """
    user = applicant.user
    profile_fields = [
        "full_name", "phone", "country", "city", "timezone", "links", "skills", "domains",
        "languages", "experience", "education", "labelling_experience", "years_experience",
        "weekly_hours", "desired_rate_cents", "earliest_start", "summary", "consented_at",
        "profile_completed_at", "stage", "stage_changed_at", "created_at",
    ]  # fmt: skip
    resumes = db.session.scalars(
        select(Resume).where(Resume.applicant_id == applicant.id).order_by(Resume.uploaded_at)
    ).all()
    attempts = db.session.scalars(
        select(Attempt).where(Attempt.applicant_id == applicant.id).order_by(Attempt.started_at)
    ).all()
    assignments = db.session.scalars(
        select(Assignment).where(Assignment.applicant_id == applicant.id)
    ).all()
    emails = db.session.scalars(
        select(OutboxEmail)
        .where(OutboxEmail.applicant_id == applicant.id)
        .order_by(OutboxEmail.created_at)
    ).all()
    moves = db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.applicant_id == applicant.id, AuditEvent.action == "stage.moved")
        .order_by(AuditEvent.created_at)
    ).all()
    return {
        "exported_at": clock.now().isoformat(),
        "account": {
            "email": user.email,
            "name": user.name,
            "created_at": _plain(user.created_at),
            "email_verified_at": _plain(user.email_verified_at),
            "last_login_at": _plain(user.last_login_at),
        },
        "profile": {name: _plain(getattr(applicant, name)) for name in profile_fields},
        "resumes": [
            {
                "filename": r.filename,
                "kind": r.kind,
                "size": r.size,
                "sha256": r.sha256,
                "uploaded_at": _plain(r.uploaded_at),
                "status": r.status,
                "parsed": r.parsed,
                "text": r.text,
            }
            for r in resumes
        ],
        "assessment_attempts": [
            {
                "started_at": _plain(a.started_at),
                "ended_at": _plain(a.ended_at),
                "status": a.status,
                "score": a.score,
                "passed": a.passed,
                "answers": [
                    {
                        "position": i.position,
                        "answer": i.answer,
                        "answered_at": _plain(i.answered_at),
                    }
                    for i in a.items
                ],
            }
            for a in attempts
        ],
        "assignments": [
            {
                "project": a.project.title if a.project else None,
                "status": a.status,
                "hourly_rate_cents": a.hourly_rate_cents,
                "currency": a.currency,
                "weekly_hours": a.weekly_hours,
                "offered_at": _plain(a.offered_at),
            }
            for a in assignments
        ],
        "applications": [
            {
                "posting": a.posting.title,
                "applied_at": _plain(a.created_at),
                "stage": STAGES.get(a.stage, a.stage),
                "stage_changed_at": _plain(a.stage_changed_at),
            }
            for a in applicant.applications
        ],
        "stage_history": [
            {
                "at": _plain(e.created_at),
                "from": STAGES.get(e.details.get("from_stage"), e.details.get("from_stage")),
                "to": STAGES.get(e.details.get("to_stage"), e.details.get("to_stage")),
            }
            for e in moves
        ],
        "emails": [
            {"at": _plain(m.created_at), "subject": m.subject, "body": m.body, "status": m.status}
            for m in emails
        ],
    }


@use_case
def anonymise(applicant: Applicant, *, actor: User | None) -> list[str]:
    """Replace the person's identifying data, keep the rows; returns the files removed.

    Resume files are deleted from storage unless another resume row shares the content
    (content-addressed storage). Commits.
    """
    if applicant.deleted_at is not None:
        return []
    user = applicant.user
    user.email = f"deleted-{user.id}@deleted.invalid"
    user.name = ""
    user.set_password(secrets.token_urlsafe(32))
    user.active = False
    applicant.full_name = f"Deleted applicant #{applicant.id}"
    applicant.phone = None
    applicant.city = None
    applicant.links = []
    applicant.experience = []
    applicant.education = []
    applicant.labelling_experience = []
    applicant.summary = None
    applicant.deleted_at = clock.now()
    removed: list[str] = []
    storage = get_storage()
    for resume in db.session.scalars(select(Resume).where(Resume.applicant_id == applicant.id)):
        shared = db.session.scalar(
            select(Resume.id).where(
                Resume.sha256 == resume.sha256, Resume.applicant_id != applicant.id
            )
        )
        if shared is None and storage.exists(resume.sha256):
            path = storage.path(resume.sha256)
            # Only once the anonymisation is committed: a rollback must not lose the file.
            after_commit(path.unlink, missing_ok=True)
            removed.append(path.name)
        resume.text = None
        resume.parsed = None
        resume.confidence = None
        resume.filename = "deleted"
    for note in db.session.scalars(select(Note).where(Note.applicant_id == applicant.id)):
        note.body = REMOVED
    for card in db.session.scalars(select(Scorecard).where(Scorecard.applicant_id == applicant.id)):
        card.comment = None
    for message in db.session.scalars(
        select(OutboxEmail).where(OutboxEmail.applicant_id == applicant.id)
    ):
        message.to = user.email
        message.body = REMOVED
    audit.record(
        "privacy.anonymised",
        actor=actor,
        subject_type="applicant",
        subject_id=applicant.id,
        applicant_id=applicant.id,
        files_removed=len(removed),
    )
    return removed
