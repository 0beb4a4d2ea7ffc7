"""Guideline versions per project and who acknowledged them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from portal import audit, guideline_checks
from portal.extensions import db
from portal.guidelines import add_version, latest_guideline
from portal.mail import external_url, send_email
from portal.models import (
    Applicant,
    Assignment,
    Guideline,
    GuidelineAck,
    Project,
    User,
)
from portal.projects.services.rules import ENGAGED


def current_guideline(project_id: int) -> Guideline | None:
    """The project's newest guideline version."""
    return latest_guideline(project_id)


def add_guideline_version(
    project: Project,
    *,
    title: str,
    body_md: str,
    changelog: str | None,
    actor: User | None,
    check_items: list[dict[str, Any]] | None = None,
) -> Guideline:
    """Add the next guideline version and ask working contractors to acknowledge it (no commit).

    A new version of a project with live work must come with its check (3–5 questions on the
    change): raters' queues wait until they pass it. CheckError when it is missing."""
    latest = current_guideline(project.id)
    if not check_items and guideline_checks.required_for(project.id, latest is not None):
        raise guideline_checks.CheckError(
            [
                "Raters are working on this project: write 3–5 check questions on what "
                "changed; their queues resume once they pass them."
            ]
        )
    guideline = add_version(
        project.id, title=title, body_md=body_md, changelog=changelog, actor=actor
    )
    guideline.check_items = list(check_items or [])
    if latest is not None:
        link = external_url("offers.guideline", project_id=project.id)
        engaged = db.session.scalars(
            select(Assignment).where(
                Assignment.project_id == project.id, Assignment.status.in_(ENGAGED)
            )
        )
        for assignment in engaged:
            applicant = db.session.get(Applicant, assignment.applicant_id)
            if applicant is None:
                continue
            send_email(
                applicant.user.email,
                f"New guidelines for {project.title} (version {guideline.version})",
                (
                    f"Hello {applicant.display_name},\n\n"
                    f"The guidelines for “{project.title}” changed"
                    + (f": {guideline.changelog}" if guideline.changelog else ".")
                    + f"\n\nPlease read and acknowledge version {guideline.version}"
                    + (" and answer its short check" if guideline.check_items else "")
                    + f" before working or logging more hours:\n{link}\n"
                ),
                template="guideline_update",
                applicant_id=applicant.id,
            )
    db.session.flush()
    return guideline


def publish_guideline(
    project: Project,
    *,
    title: str,
    body_md: str,
    changelog: str | None,
    actor: User | None,
    check_items: list[dict[str, Any]] | None = None,
) -> Guideline:
    """Publish the next guideline version, ask working contractors to acknowledge it; commit."""
    guideline = add_guideline_version(
        project,
        title=title,
        body_md=body_md,
        changelog=changelog,
        actor=actor,
        check_items=check_items,
    )
    db.session.commit()
    return guideline


def has_acknowledged(applicant_id: int, guideline_id: int) -> bool:
    return (
        db.session.scalar(
            select(GuidelineAck.id).where(
                GuidelineAck.applicant_id == applicant_id,
                GuidelineAck.guideline_id == guideline_id,
            )
        )
        is not None
    )


def needs_guideline_ack(applicant_id: int, project_id: int) -> Guideline | None:
    """The project's current guideline if this person has not acknowledged it yet, else None.

    Payments calls this before letting a contractor log more work on the project.
    """
    guideline = current_guideline(project_id)
    if guideline is None or has_acknowledged(applicant_id, guideline.id):
        return None
    return guideline


def record_acknowledgement(applicant: Applicant, guideline: Guideline) -> GuidelineAck:
    """Record that a person read a guideline version (idempotent; flushes, no commit)."""
    ack = db.session.scalar(
        select(GuidelineAck).where(
            GuidelineAck.applicant_id == applicant.id, GuidelineAck.guideline_id == guideline.id
        )
    )
    if ack is None:
        ack = GuidelineAck(applicant_id=applicant.id, guideline_id=guideline.id)
        db.session.add(ack)
        audit.record(
            "guideline.acknowledged",
            actor=applicant.user,
            subject_type="guideline",
            subject_id=guideline.id,
            applicant_id=applicant.id,
            project_id=guideline.project_id,
            version=guideline.version,
        )
        db.session.flush()
    return ack


def pending_acknowledgements(applicant: Applicant) -> list[tuple[Project, Guideline]]:
    """Projects this person works on whose current guidelines they have not acknowledged."""
    working_on = select(Assignment.project_id).where(
        Assignment.applicant_id == applicant.id, Assignment.status.in_(ENGAGED)
    )
    projects = db.session.scalars(
        select(Project).where(Project.id.in_(working_on)).order_by(Project.id)
    )
    pending = []
    for project in projects:
        guideline = needs_guideline_ack(applicant.id, project.id)
        if guideline is not None:
            pending.append((project, guideline))
    return pending


@dataclass(frozen=True)
class AckRow:
    assignment: Assignment
    applicant: Applicant
    version: int | None  # newest version acknowledged
    acknowledged_at: datetime | None
    current: bool


def acknowledgement_status(project: Project) -> list[AckRow]:
    """Who on the project has acknowledged which guideline version."""
    guideline = current_guideline(project.id)
    assignments = list(
        db.session.scalars(
            select(Assignment)
            .where(Assignment.project_id == project.id, Assignment.status.in_(ENGAGED))
            .order_by(Assignment.id)
        )
    )
    acks: dict[int, tuple[int, datetime]] = {}
    rows = db.session.execute(
        select(GuidelineAck.applicant_id, Guideline.version, GuidelineAck.acknowledged_at)
        .join(Guideline, Guideline.id == GuidelineAck.guideline_id)
        .where(Guideline.project_id == project.id)
    )
    for applicant_id, version, at in rows:
        if applicant_id not in acks or version > acks[applicant_id][0]:
            acks[applicant_id] = (version, at)
    result = []
    for assignment in assignments:
        applicant = db.session.get(Applicant, assignment.applicant_id)
        version, at = acks.get(assignment.applicant_id, (None, None))
        current = guideline is None or version == guideline.version
        result.append(AckRow(assignment, applicant, version, at, current))
    return result
