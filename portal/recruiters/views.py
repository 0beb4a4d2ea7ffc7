"""Recruiter dashboard."""

from flask import render_template
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Applicant
from portal.pipeline import STAGES
from portal.recruiters import bp


@bp.get("/")
def dashboard() -> str:
    counts = dict(
        db.session.execute(
            select(Applicant.stage, func.count())
            .where(Applicant.deleted_at.is_(None))
            .group_by(Applicant.stage)
        ).all()
    )
    return render_template(
        "recruiters/dashboard.html",
        stages=[(key, label, counts.get(key, 0)) for key, label in STAGES.items()],
    )
