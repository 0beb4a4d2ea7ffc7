"""Versioned labelling guidelines, shared by the assessment (project_id None) and projects.

One place for what both need: the newest version, publishing the next one (audited), and
rendering the Markdown safely. Each feature adds its own side effects (emails, commits).
"""

from datetime import datetime

from markdown_it import MarkdownIt
from markupsafe import Markup
from sqlalchemy import select

from portal import audit, clock
from portal.extensions import db
from portal.models import Guideline, User

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False})


def render_markdown(text: str) -> Markup:
    """Guideline Markdown as HTML; raw HTML is shown as text and unsafe link schemes refused."""
    return Markup(_markdown.render(text or ""))  # noqa: S704 - html is disabled above


def latest_guideline(project_id: int | None) -> Guideline | None:
    """The newest version for a project, or of the assessment's own guidelines (None)."""
    return db.session.scalar(
        select(Guideline)
        .where(
            Guideline.project_id.is_(None)
            if project_id is None
            else Guideline.project_id == project_id
        )
        .order_by(Guideline.version.desc())
        .limit(1)
    )


def add_version(
    project_id: int | None,
    *,
    title: str,
    body_md: str,
    changelog: str | None,
    actor: User | None,
    published_at: datetime | None = None,
) -> Guideline:
    """Add the next version (audited, flushed, not committed)."""
    latest = latest_guideline(project_id)
    guideline = Guideline(
        project_id=project_id,
        version=(latest.version + 1) if latest else 1,
        title=title.strip(),
        body_md=body_md,
        changelog=(changelog or "").strip() or None,
        published_at=published_at or clock.now(),
        published_by_id=actor.id if actor is not None else None,
    )
    db.session.add(guideline)
    db.session.flush()
    details = {"version": guideline.version}
    if project_id is not None:
        details["project_id"] = project_id
    audit.record(
        "guideline.published",
        actor=actor,
        subject_type="guideline",
        subject_id=guideline.id,
        **details,
    )
    return guideline
