"""The API's use cases: each calls the same service the web pages use, in one transaction."""

from datetime import date, datetime

from sqlalchemy import select

from portal.extensions import db
from portal.models import Applicant, Assignment, AuditEvent, EmailTemplate, Project, User
from portal.pipeline import Move
from portal.projects.services import offers as projects
from portal.projects.services.rules import ProjectError
from portal.recruiters import services as recruiters
from portal.transactions import use_case


class NotFound(LookupError):
    """The thing named does not exist (or is deleted)."""


class Refused(ValueError):
    """The service refused; the message says why (shown as the problem's detail)."""


def live_applicant(applicant_id: int) -> Applicant:
    applicant = db.session.get(Applicant, applicant_id)
    if applicant is None or applicant.deleted_at is not None:
        raise NotFound(f"There is no candidate {applicant_id}.")
    return applicant


@use_case
def move_stage(
    applicant_id: int,
    to_stage: str,
    *,
    actor: User,
    reason: str | None,
    template_id: int | None,
    exit_reason: str | None = None,
) -> tuple[Move, AuditEvent]:
    """Move a candidate as the candidate page does (same rules, audit and email)."""
    applicant = live_applicant(applicant_id)
    template = None
    if template_id is not None:
        template = db.session.get(EmailTemplate, template_id)
        if template is None:
            raise Refused(f"There is no email template {template_id}.")
    try:
        done = recruiters.move_candidate(
            applicant,
            to_stage,
            actor=actor,
            reason=reason,
            exit_reason=exit_reason,
            template=template,
        )
    except recruiters.ActionError as exc:
        raise Refused(str(exc)) from exc
    db.session.flush()
    event = db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.applicant_id == applicant.id, AuditEvent.action == "stage.moved")
        .order_by(AuditEvent.id.desc())
        .limit(1)
    ).one()
    return done, event


def make_offer(
    project_id: int,
    applicant_id: int,
    *,
    actor: User,
    hours: int | None,
    rate_cents: int | None,
    starts_on: date | None,
    expires_at: datetime | None,
) -> Assignment:
    """Offer a seat as the project page does (capacity, eligibility, rate card, email); the
    projects service commits."""
    project = db.session.get(Project, project_id)
    if project is None:
        raise NotFound(f"There is no project {project_id}.")
    live_applicant(applicant_id)
    try:
        return projects.make_offer(
            project,
            applicant_id,
            actor=actor,
            hours=hours,
            rate_cents=rate_cents,
            starts_on=starts_on,
            expires_at=expires_at,
        )
    except ProjectError as exc:
        raise Refused(str(exc)) from exc


def withdraw_offer(assignment_id: int, *, actor: User) -> Assignment:
    """Take back an open offer as the project page does; the projects service commits."""
    assignment = db.session.get(Assignment, assignment_id)
    if assignment is None:
        raise NotFound(f"There is no offer {assignment_id}.")
    try:
        return projects.withdraw_offer(assignment, actor=actor)
    except ProjectError as exc:
        raise Refused(str(exc)) from exc
