"""Recruiter actions: moves with templated emails, bulk actions, notes, scorecards, tags.

Each action is a use case (``@use_case``): it commits, or rolls back and raises ActionError.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import select

from portal import audit, pipeline
from portal.extensions import db
from portal.models import (
    Applicant,
    ApplicantTag,
    Application,
    EmailTemplate,
    Note,
    Scorecard,
    Tag,
    User,
)
from portal.models.recruiting import RECOMMENDATIONS, SCORECARD_ATTRIBUTES
from portal.projects.services.assignments import end_all_for
from portal.recruiters.emails import (
    TEMPLATE_VARIABLES,
    check_template,
    email_applicant,
    render_template_text,
    template_context,
)
from portal.recruiters.errors import ActionError
from portal.transactions import use_case

__all__ = [
    "TEMPLATE_VARIABLES",
    "ActionError",
    "email_applicant",
    "render_template_text",
    "template_context",
]

REJECTION_NEEDS_REASON = "A rejection needs a reason: choose one from the list."


@use_case
def save_template(
    template: EmailTemplate,
    *,
    key: str,
    name: str,
    stage: str | None,
    subject: str,
    body: str,
    actor: User,
) -> EmailTemplate:
    """Create or edit an email template (refused with unknown variables or if it does not
    render); commits."""
    check_template(subject, body)
    template.key = key
    template.name, template.stage, template.subject, template.body = name, stage, subject, body
    template.updated_by_id = actor.id
    if template.id is None:
        db.session.add(template)
    db.session.flush()
    audit.record(
        "email_template.saved", actor=actor, subject_type="email_template", subject_id=template.id
    )
    return template


def default_template(to_stage: str) -> EmailTemplate | None:
    return db.session.scalar(
        select(EmailTemplate).where(EmailTemplate.stage == to_stage).order_by(EmailTemplate.id)
    )


@use_case
def move_candidate(
    applicant: Applicant,
    to_stage: str,
    *,
    actor: User,
    reason: str | None = None,
    exit_reason: str | None = None,
    template: EmailTemplate | None = None,
    application: Application | None = None,
) -> pipeline.Move:
    """Move an application (default: the applicant's furthest) through the pipeline (validated
    and audited) and email from `template` if given; once the applicant has left every posting
    (rejected or withdrawn), their assignments end."""
    if applicant.deleted_at is not None:
        raise ActionError("This applicant's data was deleted; they cannot be moved.")
    if to_stage == "rejected" and exit_reason not in pipeline.EXIT_REASONS:
        raise ActionError(REJECTION_NEEDS_REASON)
    if application is not None and application.applicant_id != applicant.id:
        raise ActionError("That application is not this applicant's.")
    try:
        done = pipeline.move(
            application or applicant,
            to_stage,
            actor=actor,
            reason=reason,
            exit_reason=exit_reason,
        )
    except pipeline.TransitionError as exc:
        raise ActionError(str(exc)) from exc
    if to_stage in pipeline.EXITS and applicant.stage in pipeline.EXITS:
        # leaving ends every contract, today
        ended = "You withdrew." if to_stage == "withdrawn" else "Your engagement was ended."
        end_all_for(applicant.id, actor=actor, reason=ended)
    if template is not None:
        moved = db.session.get(Application, done.application_id) if done.application_id else None
        email_applicant(applicant, template, to_stage, moved)
    return done


@use_case
def add_note(applicant: Applicant, body: str, *, author: User) -> Note:
    body = body.strip()
    if not body:
        raise ActionError("A note cannot be empty.")
    note = Note(applicant_id=applicant.id, author_id=author.id, body=body)
    db.session.add(note)
    db.session.flush()
    audit.record(
        "note.added",
        actor=author,
        subject_type="note",
        subject_id=note.id,
        applicant_id=applicant.id,
    )
    return note


@use_case
def save_scorecard(
    applicant: Applicant,
    *,
    recruiter: User,
    ratings: dict[str, int],
    recommendation: str,
    comment: str | None,
) -> Scorecard:
    """Create or update this recruiter's scorecard for the applicant (one each)."""
    if set(ratings) != set(SCORECARD_ATTRIBUTES) or not all(
        isinstance(v, int) and 1 <= v <= 4 for v in ratings.values()
    ):
        raise ActionError("Rate every attribute from 1 to 4.")
    if recommendation not in RECOMMENDATIONS:
        raise ActionError("Choose an overall recommendation.")
    card = db.session.scalar(
        select(Scorecard).where(
            Scorecard.applicant_id == applicant.id, Scorecard.recruiter_id == recruiter.id
        )
    )
    if card is None:
        card = Scorecard(applicant_id=applicant.id, recruiter_id=recruiter.id)
        db.session.add(card)
    for name, value in ratings.items():
        setattr(card, name, value)
    card.recommendation = recommendation
    card.comment = (comment or "").strip() or None
    db.session.flush()
    audit.record(
        "scorecard.saved",
        actor=recruiter,
        subject_type="scorecard",
        subject_id=card.id,
        applicant_id=applicant.id,
        recommendation=recommendation,
    )
    return card


def normalise_tag(name: str) -> str:
    name = " ".join(name.strip().lower().split())
    if not name or len(name) > 40:
        raise ActionError("A tag is 1 to 40 characters.")
    return name


@use_case
def tag_applicants(applicants: Sequence[Applicant], name: str, *, actor: User) -> Tag:
    name = normalise_tag(name)
    tag = db.session.scalar(select(Tag).where(Tag.name == name))
    if tag is None:
        tag = Tag(name=name)
        db.session.add(tag)
        db.session.flush()
    have = set(
        db.session.scalars(
            select(ApplicantTag.applicant_id).where(
                ApplicantTag.tag_id == tag.id,
                ApplicantTag.applicant_id.in_([a.id for a in applicants]),
            )
        )
    )
    for applicant in applicants:
        if applicant.id in have:
            continue
        db.session.add(ApplicantTag(applicant_id=applicant.id, tag_id=tag.id))
        audit.record(
            "tag.added",
            actor=actor,
            subject_type="applicant",
            subject_id=applicant.id,
            applicant_id=applicant.id,
            tag=name,
        )
    return tag


@use_case
def untag(applicant: Applicant, tag_id: int, *, actor: User) -> None:
    link = db.session.get(ApplicantTag, (applicant.id, tag_id))
    if link is not None:
        audit.record(
            "tag.removed",
            actor=actor,
            subject_type="applicant",
            subject_id=applicant.id,
            applicant_id=applicant.id,
            tag=link.tag.name,
        )
        db.session.delete(link)


@dataclass
class BulkResult:
    done: int
    action: str


BULK_ACTIONS = {"move": "Move to stage", "reject": "Reject with email", "tag": "Add tag"}


@use_case
def bulk_apply(
    applicant_ids: Iterable[int],
    action: str,
    *,
    actor: User,
    to_stage: str | None = None,
    reason: str | None = None,
    exit_reason: str | None = None,
    template: EmailTemplate | None = None,
    tag: str | None = None,
) -> BulkResult:
    """Apply one action to many applicants, all or nothing.

    Every applicant is checked first; if any cannot take the action (an invalid transition,
    say) nothing changes and ActionError names them all. Commits once.
    """
    ids = sorted({int(i) for i in applicant_ids})
    if not ids:
        raise ActionError("Select at least one applicant.")
    applicants = db.session.scalars(
        select(Applicant).where(Applicant.id.in_(ids)).order_by(Applicant.id)
    ).all()
    if len(applicants) != len(ids):
        raise ActionError("Some selected applicants no longer exist; reload the list.")
    if action == "tag":
        tag_applicants(applicants, tag or "", actor=actor)
        return BulkResult(len(applicants), action)
    if action == "reject":
        to_stage = "rejected"
        if exit_reason not in pipeline.EXIT_REASONS:
            raise ActionError(REJECTION_NEEDS_REASON)
    elif action != "move":
        raise ActionError("Choose an action.")
    if to_stage not in pipeline.STAGES:
        raise ActionError("Choose the stage to move them to.")
    blocked = [
        f"{a.display_name} ({pipeline.STAGES[a.stage]})"
        for a in applicants
        if a.deleted_at is not None or not pipeline.can_move(a.stage, to_stage)
    ]
    if blocked:
        raise ActionError(
            f"Nothing was changed: {len(blocked)} cannot move to {pipeline.STAGES[to_stage]}: "
            + ", ".join(blocked[:20])
            + (" …" if len(blocked) > 20 else "")
        )
    for applicant in applicants:
        move_candidate(
            applicant,
            to_stage,
            actor=actor,
            reason=reason,
            exit_reason=exit_reason if to_stage == "rejected" else None,
            template=template,
        )
    return BulkResult(len(applicants), action)
