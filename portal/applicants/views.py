"""Applicant dashboard."""

from flask import render_template
from flask_login import current_user

from portal.applicants import bp
from portal.applicants.services import next_steps
from portal.pipeline import STAGES


@bp.get("/")
def dashboard() -> str:
    applicant = current_user.applicant
    return render_template(
        "applicants/dashboard.html",
        applicant=applicant,
        stage_label=STAGES[applicant.stage],
        steps=next_steps(current_user),
    )
