"""The subject a rule acts on, in one place: an application (one applicant on one posting).

Each application has its own stage, answer-by date and assessment (the posting's track), so
rules of one posting never move the applicant's other applications. Resume and integrity facts
are the applicant's (shared by every application).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time

from sqlalchemy import Select, and_, exists, select

from portal import pipeline
from portal.applications import services as applications
from portal.applications.tracks import covers
from portal.extensions import db
from portal.models import (
    Applicant,
    ApplicantTag,
    Application,
    Attempt,
    Posting,
    Resume,
    RuleAction,
    Tag,
    User,
)
from portal.projects.services.assignments import end_all_for
from portal.workdays import add_business_days, utc_date

SUBJECT_TYPE = "application"
DEFAULT_POSTING_SLUG = "ai-response-rater"
FLAG_TAGS = ("flagged", "resume-flagged")


@dataclass
class Subject:
    type: str
    id: int
    application: Application
    posting: Posting

    @property
    def applicant(self) -> Applicant:
        return self.application.applicant

    @property
    def stage(self) -> str:
        return self.application.stage

    @property
    def stage_changed_at(self) -> datetime:
        return self.application.stage_changed_at

    @property
    def answer_by(self) -> datetime:
        """The application's answer-by date (the posting's business days after entering a stage
        that waits on us; counted the same way for the others), at 17:00 UTC."""
        day = applications.answer_by(self.application) or add_business_days(
            utc_date(self.stage_changed_at), self.posting.answer_days
        )
        return datetime.combine(day, time(17), tzinfo=UTC)


def pending(
    posting: Posting,
    stage: str,
    rule_id: int,
    action: str,
    *,
    entered_before: datetime | None = None,
) -> Select[tuple[Application]]:
    """Applications to `posting` in `stage` (since before `entered_before`, if given) that this
    rule has not yet acted on or held."""
    done = exists().where(
        and_(
            RuleAction.rule_id == rule_id,
            RuleAction.subject_type == SUBJECT_TYPE,
            RuleAction.subject_id == Application.id,
            RuleAction.action == action,
        )
    )
    query = (
        select(Application)
        .join(Applicant, Applicant.id == Application.applicant_id)
        .where(
            Application.posting_id == posting.id,
            Application.stage == stage,
            Applicant.deleted_at.is_(None),
            ~done,
        )
    )
    if entered_before is not None:
        query = query.where(Application.stage_changed_at <= entered_before)
    return query.order_by(Application.stage_changed_at, Application.id)


def wrap(posting: Posting, rows: Sequence[Application]) -> list[Subject]:
    return [Subject(SUBJECT_TYPE, a.id, a, posting) for a in rows]


def get(subject_type: str, subject_id: int, posting: Posting) -> Subject | None:
    application = db.session.get(Application, subject_id) if subject_type == SUBJECT_TYPE else None
    if application is None or application.applicant.deleted_at is not None:
        return None
    return Subject(SUBJECT_TYPE, application.id, application, posting)


def of_applicant(applicant_id: int) -> list[Subject]:
    """The subjects an event about this applicant concerns: each of their applications."""
    applicant = db.session.get(Applicant, applicant_id)
    if applicant is None or applicant.deleted_at is not None:
        return []
    return [Subject(SUBJECT_TYPE, a.id, a, a.posting) for a in applicant.applications]


def on_posting(posting: Posting, applicant: Applicant) -> Subject | None:
    application = applications.application_of(applicant.id, posting.id)
    return Subject(SUBJECT_TYPE, application.id, application, posting) if application else None


def move(
    subject: Subject,
    to_stage: str,
    *,
    actor: User | None,
    reason: str,
    exit_reason: str | None = None,
) -> pipeline.Move:
    """Move the application (audited); leaving the last live posting ends the person's contracts."""
    done = pipeline.move(
        subject.application, to_stage, actor=actor, reason=reason, exit_reason=exit_reason
    )
    if to_stage in pipeline.EXITS and subject.applicant.stage in pipeline.EXITS:
        end_all_for(subject.applicant.id, actor=actor, reason="Your application was closed.")
    return done


def latest_attempt(subject: Subject) -> Attempt | None:
    """The latest scored attempt on a track that assesses this posting."""
    attempts = db.session.scalars(
        select(Attempt)
        .where(Attempt.applicant_id == subject.applicant.id, Attempt.result.is_not(None))
        .order_by(Attempt.id.desc())
    )
    return next((a for a in attempts if covers(subject.posting.track, a.track)), None)


def resume_flag(subject: Subject) -> str | None:
    """Why the resume needs a person: it could not be read, or staff tagged it flagged."""
    resume = db.session.scalar(
        select(Resume).where(Resume.applicant_id == subject.applicant.id, Resume.is_current)
    )
    if resume is not None and resume.status == "failed":
        return f"the resume could not be read ({resume.error or 'no reason given'})"
    tagged = db.session.scalar(
        select(Tag.name)
        .join(ApplicantTag, ApplicantTag.tag_id == Tag.id)
        .where(ApplicantTag.applicant_id == subject.applicant.id, Tag.name.in_(FLAG_TAGS))
    )
    return f"tagged {tagged!r} by staff" if tagged else None
