"""Applying to a posting, the answer-by promise of an application, and candidate owners."""

from datetime import date

from sqlalchemy import select

from portal import audit, clock, pipeline
from portal.applications import tracks
from portal.extensions import db
from portal.models import Applicant, Application, Posting, Role, User
from portal.transactions import use_case
from portal.workdays import add_business_days, utc_date


class ApplyError(ValueError):
    """An application we cannot take; the message says why, to the applicant."""


def posting_by_slug(slug: str) -> Posting | None:
    return db.session.scalar(select(Posting).where(Posting.slug == slug))


def application_of(applicant_id: int, posting_id: int) -> Application | None:
    return db.session.scalar(
        select(Application).where(
            Application.applicant_id == applicant_id, Application.posting_id == posting_id
        )
    )


def answer_by(application: Application) -> date | None:
    """When we promised to answer: the posting's business days after entering a stage that
    waits on us (None while the applicant owes the next step)."""
    if application.stage not in pipeline.WAITING_ON_US:
        return None
    return add_business_days(
        utc_date(application.stage_changed_at), application.posting.answer_days
    )


def refusal(applicant: Applicant, posting: Posting) -> str | None:
    """Why this applicant cannot apply to this posting (None: they can)."""
    if applicant.deleted_at is not None:
        return "This account has been deleted."
    if posting.status != "open":
        return f"{posting.title} is not taking applications."
    if posting.locations and applicant.country and applicant.country not in posting.locations:
        return f"{posting.title} cannot take applicants from your country ({applicant.country})."
    if application_of(applicant.id, posting.id) is not None:
        return f"You have already applied to {posting.title}."
    return None


def start_application(applicant: Applicant, posting: Posting, *, actor: User | None) -> Application:
    """Add the application and bring it as far as the shared profile and a reusable assessment
    allow (the caller commits)."""
    now = clock.now()
    application = Application(
        applicant=applicant, posting=posting, stage="applied", stage_changed_at=now, created_at=now
    )
    db.session.add(application)
    db.session.flush()
    audit.record(
        "application.created",
        actor=actor,
        subject_type="application",
        subject_id=application.id,
        applicant_id=applicant.id,
        posting_id=posting.id,
    )
    if applicant.profile_completed_at is not None:
        pipeline.move(application, "profile_complete", actor=None, reason="Profile on file")
        reused = tracks.reusable_attempt(applicant.id, posting, now)
        if reused is not None:
            reason = f"assessment reused (attempt {reused.id})"
            pipeline.move(application, "assessed_passed", actor=None, reason=reason)
    pipeline.mirror(applicant)
    return application


@use_case
def apply(applicant_id: int, posting_id: int) -> Application:
    """The applicant applies to a posting (commits); ApplyError says why not."""
    applicant = db.session.scalar(
        select(Applicant).where(Applicant.id == applicant_id).with_for_update()
    )
    posting = db.session.get(Posting, posting_id)
    if applicant is None or posting is None:
        raise ApplyError("That posting or applicant does not exist.")
    problem = refusal(applicant, posting)
    if problem:
        raise ApplyError(problem)
    return start_application(applicant, posting, actor=applicant.user)


# An applicant withdraws an application themselves only before an offer (later, an offer or a
# contract is involved: they decline or end it on its own page).
SELF_WITHDRAW = frozenset(
    {
        "applied",
        "profile_complete",
        "assessed_passed",
        "assessed_failed",
        "shortlisted",
        "talent_pool",
    }
)


def can_withdraw(application: Application) -> bool:
    return application.stage in SELF_WITHDRAW


@use_case
def withdraw(applicant_id: int, posting_id: int) -> Application:
    """The applicant withdraws their application to one posting (commits); the others stay."""
    application = application_of(applicant_id, posting_id)
    if application is None:
        raise ApplyError("You have not applied to that posting.")
    if application.stage in pipeline.EXITS:
        raise ApplyError(f"Your application to {application.posting.title} is already closed.")
    if not can_withdraw(application):
        raise ApplyError(
            "This application cannot be withdrawn here: answer or decline the offer on its page."
        )
    pipeline.move(
        application,
        "withdrawn",
        actor=application.applicant.user,
        exit_reason="applicant_choice",
    )
    return application


def recruiters() -> list[User]:
    """The people who can own a candidate."""
    return list(
        db.session.scalars(
            select(User)
            .where(User.role.in_([Role.RECRUITER, Role.ADMIN]))
            .order_by(User.name, User.email)
        )
    )


@use_case
def set_owner(application_id: int, owner_id: int | None, *, actor: User) -> Application:
    """Make a recruiter (or nobody, with None) the owner of an application (commits)."""
    application = db.session.get(Application, application_id)
    if application is None:
        raise ApplyError("No such application.")
    if owner_id is not None:
        owner = db.session.get(User, owner_id)
        if owner is None or owner.role not in (Role.RECRUITER, Role.ADMIN):
            raise ApplyError("Only a recruiter can own a candidate.")
    before = application.owner_id
    application.owner_id = owner_id
    audit.record(
        "application.owner_set",
        actor=actor,
        subject_type="application",
        subject_id=application.id,
        applicant_id=application.applicant_id,
        posting_id=application.posting_id,
        owner_id=owner_id,
        previous_owner_id=before,
    )
    return application
