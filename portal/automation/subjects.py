"""The subject a rule acts on, in one place.

Until postings carry applications, the subject is the applicant and every applicant belongs to
the default posting (``ai-response-rater``, created by migration 0018); other postings have no
subjects yet. When the ``Application`` model lands, this module alone changes: subjects become
applications (their own stage, answer-by date and posting), moved through the same pipeline.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time

from sqlalchemy import Select, and_, exists, false, select

from portal import pipeline
from portal.extensions import db
from portal.models import Applicant, ApplicantTag, Attempt, Posting, Resume, RuleAction, Tag, User
from portal.projects.services.assignments import end_all_for
from portal.workdays import add_business_days, utc_date

SUBJECT_TYPE = "applicant"
DEFAULT_POSTING_SLUG = "ai-response-rater"
FLAG_TAGS = ("flagged", "resume-flagged")


@dataclass
class Subject:
    type: str
    id: int
    applicant: Applicant
    posting: Posting

    @property
    def stage(self) -> str:
        return self.applicant.stage

    @property
    def stage_changed_at(self) -> datetime:
        return self.applicant.stage_changed_at

    @property
    def answer_by(self) -> datetime:
        """When the posting promised an answer: its answer-by days after entering the stage."""
        day = add_business_days(utc_date(self.stage_changed_at), self.posting.answer_days)
        return datetime.combine(day, time(17), tzinfo=UTC)


def _has_subjects(posting: Posting) -> bool:
    return posting.slug == DEFAULT_POSTING_SLUG


def pending(
    posting: Posting,
    stage: str,
    rule_id: int,
    action: str,
    *,
    entered_before: datetime | None = None,
) -> Select[tuple[Applicant]]:
    """Subjects of `posting` in `stage` (since before `entered_before`, if given) that this rule
    has not yet acted on or held."""
    done = exists().where(
        and_(
            RuleAction.rule_id == rule_id,
            RuleAction.subject_type == SUBJECT_TYPE,
            RuleAction.subject_id == Applicant.id,
            RuleAction.action == action,
        )
    )
    query = select(Applicant).where(Applicant.stage == stage, Applicant.deleted_at.is_(None), ~done)
    if entered_before is not None:
        query = query.where(Applicant.stage_changed_at <= entered_before)
    if not _has_subjects(posting):
        query = query.where(false())  # no applications on this posting yet
    return query.order_by(Applicant.stage_changed_at, Applicant.id)


def wrap(posting: Posting, applicants: Sequence[Applicant]) -> list[Subject]:
    return [Subject(SUBJECT_TYPE, a.id, a, posting) for a in applicants]


def get(subject_type: str, subject_id: int, posting: Posting) -> Subject | None:
    applicant = db.session.get(Applicant, subject_id) if subject_type == SUBJECT_TYPE else None
    if applicant is None or applicant.deleted_at is not None:
        return None
    return Subject(SUBJECT_TYPE, applicant.id, applicant, posting)


def of_applicant(applicant_id: int) -> list[Subject]:
    """The subjects an event about this applicant concerns (their applications, later)."""
    applicant = db.session.get(Applicant, applicant_id)
    posting = db.session.scalar(select(Posting).where(Posting.slug == DEFAULT_POSTING_SLUG))
    if applicant is None or posting is None or applicant.deleted_at is not None:
        return []
    return [Subject(SUBJECT_TYPE, applicant.id, applicant, posting)]


def move(
    subject: Subject,
    to_stage: str,
    *,
    actor: User | None,
    reason: str,
    exit_reason: str | None = None,
) -> pipeline.Move:
    """Move the subject through the pipeline (audited); leaving ends the person's contracts."""
    done = pipeline.move(
        subject.applicant, to_stage, actor=actor, reason=reason, exit_reason=exit_reason
    )
    if to_stage in pipeline.EXITS:
        end_all_for(subject.applicant.id, actor=actor, reason="Your application was closed.")
    return done


def latest_attempt(subject: Subject) -> Attempt | None:
    """The scored attempt the subject's assessment stage comes from."""
    return db.session.scalar(
        select(Attempt)
        .where(Attempt.applicant_id == subject.applicant.id, Attempt.result.is_not(None))
        .order_by(Attempt.id.desc())
        .limit(1)
    )


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
