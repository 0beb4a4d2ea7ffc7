"""Every applicant has an application: session hooks that keep applicant and applications in step.

An applicant added without an application (a sign-up with no posting, a factory, an import)
gets one on the default posting when first flushed, with the applicant's stage. While an
applicant has exactly one application, a stage written onto the applicant directly (demo
seeders, tests) is copied onto that application, so the two never disagree; with several,
only ``portal.pipeline.move`` changes stages. Attached by ``init_app`` from the factory.
"""

from typing import Any

from flask import Flask
from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from portal import clock
from portal.models import Applicant, Application, Posting

DEFAULT_SLUG = "ai-response-rater"
DEFAULT_TITLE = "AI Response Rater (remote, freelance)"
_MIRRORED = ("stage", "stage_changed_at", "exit_reason", "exit_note", "exit_stage")
_DEFAULT_ID = "applications_default_posting"


def default_posting(session: Session) -> Posting:
    """The posting applicants belong to when they applied to none (migration 0018 creates it;
    a database built from the models gets it on first need)."""
    with session.no_autoflush:
        posting = session.scalar(select(Posting).where(Posting.slug == DEFAULT_SLUG))
        if posting is None:
            posting = next(
                (p for p in session.new if isinstance(p, Posting) and p.slug == DEFAULT_SLUG),
                None,
            )
        if posting is None:
            now = clock.now()
            posting = Posting(
                slug=DEFAULT_SLUG,
                title=DEFAULT_TITLE,
                summary="Compare and rank AI model responses and explain why.",
                status="open",
                opened_at=now,
                created_at=now,
                updated_at=now,
            )
            session.add(posting)
    return posting


def _stage_written(applicant: Applicant) -> bool:
    state = inspect(applicant)
    return any(state.attrs[name].history.has_changes() for name in _MIRRORED)


def _before_flush(session: Session, flush_context: Any, instances: Any) -> None:
    new = [o for o in session.new if isinstance(o, Applicant)]
    dirty = [o for o in session.dirty if isinstance(o, Applicant) and _stage_written(o)]
    if not new and not dirty:
        return
    with session.no_autoflush:
        for applicant in new:
            if applicant.applications:
                continue
            now = clock.now()
            session.add(
                Application(
                    applicant=applicant,
                    posting=default_posting(session),
                    stage=applicant.stage or "applied",
                    stage_changed_at=applicant.stage_changed_at or now,
                    exit_reason=applicant.exit_reason,
                    exit_note=applicant.exit_note,
                    exit_stage=applicant.exit_stage,
                    created_at=applicant.created_at or now,
                )
            )
        for applicant in dirty:
            if applicant.deleted_at is not None or len(applicant.applications) != 1:
                continue
            only = applicant.applications[0]
            for name in _MIRRORED:
                value = getattr(applicant, name)
                if getattr(only, name) != value and (value is not None or name != "stage"):
                    setattr(only, name, value)


def init_app(app: Flask) -> None:
    """Attach the hook (once per process, for every session)."""
    if not event.contains(Session, "before_flush", _before_flush):
        event.listen(Session, "before_flush", _before_flush)
