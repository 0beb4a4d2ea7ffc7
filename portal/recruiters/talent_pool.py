"""The talent pool: shortlisted people for whom no project has a seat wait there.

It is not a stage we owe anything from (no SLA clock), and leaving it is an ordinary move:
an offer moves a person from the pool to `offered`, a recruiter can move them back by hand.
"""

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, select

from portal import clock, pipeline
from portal.extensions import db
from portal.models import Applicant, Assignment, Project
from portal.projects.services.rules import holds_seat
from portal.transactions import use_case

DEFAULT_IDLE_DAYS = 14


def open_seats(now: datetime) -> int:
    """Seats still free on open projects (headcount minus live offers and engaged people)."""
    held = (
        select(Assignment.project_id, func.count().label("n"))
        .where(holds_seat(now))
        .group_by(Assignment.project_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Project.headcount, func.coalesce(held.c.n, 0))
        .outerjoin(held, held.c.project_id == Project.id)
        .where(Project.status == "open")
    )
    return sum(max((headcount or 0) - taken, 0) for headcount, taken in rows)


def idle_days() -> int:
    return int(current_app.config.get("TALENT_POOL_IDLE_DAYS", DEFAULT_IDLE_DAYS))


@use_case
def pool_idle_shortlisted() -> int:
    """Move people shortlisted for `TALENT_POOL_IDLE_DAYS` or more into the talent pool when no
    open project has a free seat; returns how many moved. Idempotent (the daily beat task)."""
    now = clock.now()
    if open_seats(now):
        return 0
    days = idle_days()
    idle = db.session.scalars(
        select(Applicant)
        .where(
            Applicant.stage == "shortlisted",
            Applicant.deleted_at.is_(None),
            Applicant.stage_changed_at <= now - timedelta(days=days),
        )
        .order_by(Applicant.id)
        .with_for_update(skip_locked=True)
    ).all()
    for applicant in idle:
        pipeline.move(
            applicant,
            "talent_pool",
            actor=None,
            reason=f"Shortlisted {days}+ days and no open project has a seat.",
        )
    return len(idle)
