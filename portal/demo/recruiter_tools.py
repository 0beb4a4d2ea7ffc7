"""Demo of the recruiters' day-one tools: saved searches, templates with posting variables, and
structured reasons on the people who left (so "Why people leave" has something to show)."""

from collections.abc import Iterator

from sqlalchemy import or_, select

from portal import pipeline
from portal.extensions import db
from portal.models import Application, EmailTemplate, SavedSearch, StageSpan, User

TEMPLATES = [
    (
        "posting_update",
        "Application update (posting details)",
        None,
        "Your application for {{ posting_title }}",
        "Hi {{ first_name }},\n\nThanks for applying for {{ posting_title }}. The role pays "
        "{{ pay_band }} for {{ hours_band }}, remote and asynchronous.\n\nWe will answer by "
        "{{ answer_by }}. Your next step: {{ next_step_url }}\n\nThe Talent Portal team",
    ),
    (
        "assessment_nudge",
        "Nudge: take the assessment",
        None,
        "{{ first_name }}, one step left for {{ posting_title }}",
        "Hi {{ first_name }},\n\nYour profile is complete. The last step is a short ranking "
        "assessment: {{ next_step_url }}\n\nThe Talent Portal team",
    ),
]
# (owner, name, query string, shared)
SEARCHES = [
    ("recruiter@demo.example", "Overdue and passed", "sla=overdue&result=pass", False),
    ("recruiter@demo.example", "Medical experts", "domain=medicine&sort=score", True),
    ("recruiter2@demo.example", "Law, labelling experience", "domain=law&labelling=yes", True),
]
# Why the demo's leavers left, by the stage they left from.
REASON_BY_STAGE = {"assessed_failed": "assessment", "applied": "no_response"}


def _seed_templates() -> int:
    added = 0
    for key, name, stage, subject, body in TEMPLATES:
        if db.session.scalar(select(EmailTemplate.id).where(EmailTemplate.key == key)) is None:
            db.session.add(
                EmailTemplate(key=key, name=name, stage=stage, subject=subject, body=body)
            )
            added += 1
    return added


def _seed_searches() -> int:
    added = 0
    for email, name, query, shared in SEARCHES:
        owner = db.session.scalar(select(User).where(User.email == email))
        if owner is None:
            continue
        exists = db.session.scalar(
            select(SavedSearch.id).where(SavedSearch.owner_id == owner.id, SavedSearch.name == name)
        )
        if exists is None:
            db.session.add(SavedSearch(owner_id=owner.id, name=name, query=query, shared=shared))
            added += 1
    return added


def _record_exits() -> int:
    """Leavers seeded without the stage they left from get it from their last stage span."""
    leavers = db.session.scalars(
        select(Application).where(
            Application.stage.in_(pipeline.EXITS), Application.exit_stage.is_(None)
        )
    ).all()
    for application in leavers:
        last = db.session.scalar(
            select(StageSpan.stage)
            .where(
                StageSpan.applicant_id == application.applicant_id,
                or_(
                    StageSpan.application_id == application.id,
                    StageSpan.application_id.is_(None),
                ),
            )
            .order_by(StageSpan.left_at.desc(), StageSpan.id.desc())
            .limit(1)
        )
        application.exit_stage = last or "applied"
        if application.exit_reason in (None, "other"):
            default = "applicant_choice" if application.stage == "withdrawn" else "experience"
            application.exit_reason = REASON_BY_STAGE.get(application.exit_stage, default)
        pipeline.mirror(application.applicant)
    return len(leavers)


def seed_recruiter_tools() -> Iterator[str]:
    templates, searches, exits = _seed_templates(), _seed_searches(), _record_exits()
    db.session.commit()
    yield (
        f"recruiter tools: {templates} templates with posting variables, {searches} saved "
        f"searches, {exits} leavers given a structured reason"
    )
