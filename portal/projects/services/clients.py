"""Clients and projects: create and edit."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from portal import audit
from portal.extensions import db
from portal.models import (
    Client,
    Project,
    User,
)
from portal.projects.services.features import seats_filled
from portal.projects.services.guidelines import add_guideline_version, current_guideline
from portal.projects.services.rules import ProjectError


def save_client(
    client: Client | None, *, name: str, contact_email: str | None, actor: User
) -> Client:
    """Create or rename a client; names are unique (case-insensitive); commit."""
    name = name.strip()
    clash = db.session.scalar(select(Client).where(func.lower(Client.name) == name.lower()))
    if clash is not None and clash is not client:
        raise ProjectError(f"A client called “{clash.name}” already exists.")
    created = client is None
    if client is None:
        client = Client(name=name)
        db.session.add(client)
    client.name = name
    client.contact_email = (contact_email or "").strip() or None
    db.session.flush()
    audit.record(
        "client.created" if created else "client.updated",
        actor=actor,
        subject_type="client",
        subject_id=client.id,
        name=name,
    )
    db.session.commit()
    return client


PROJECT_FIELDS = (
    "client_id",
    "title",
    "description",
    "domains",
    "skills",
    "languages",
    "min_score",
    "domain_min_scores",
    "hours_min",
    "hours_max",
    "rate_min_cents",
    "rate_max_cents",
    "allowed_countries",
    "timezone_window",
    "headcount",
    "starts_on",
    "ends_on",
    "status",
)


def save_project(
    project: Project | None,
    values: dict[str, Any],
    *,
    actor: User,
    guideline_md: str | None = None,
) -> Project:
    """Create or update a project from validated form values (and its first guidelines); commit."""
    created = project is None
    if project is None:
        project = Project()
        db.session.add(project)
    before = {f: getattr(project, f) for f in PROJECT_FIELDS} if not created else {}
    for name in PROJECT_FIELDS:
        if name in values:
            setattr(project, name, values[name])
    if not created and project.headcount < before["headcount"]:
        filled = seats_filled([project.id]).get(project.id, 0)
        if project.headcount < filled:
            db.session.rollback()
            raise ProjectError(
                f"{filled} people already hold seats; the headcount cannot go below that."
            )
    db.session.flush()
    changed = sorted(f for f in PROJECT_FIELDS if not created and before[f] != values.get(f))
    audit.record(
        "project.created" if created else "project.updated",
        actor=actor,
        subject_type="project",
        subject_id=project.id,
        fields=changed if not created else list(PROJECT_FIELDS),
    )
    if guideline_md and guideline_md.strip() and current_guideline(project.id) is None:
        add_guideline_version(
            project,
            title=f"{project.title} guidelines",
            body_md=guideline_md,
            changelog="First version",
            actor=actor,
        )
    db.session.commit()
    return project
