"""Test data for the projects feature: clients, projects, and candidates who passed."""

from datetime import timedelta
from typing import Any

from portal.extensions import db
from portal.models import Applicant, Attempt, Client, Guideline, Project
from portal.models.base import utcnow
from tests import factories


def make_project(**fields: Any) -> Project:
    """An open project (10-20 h, $25-35, 2 seats) for a fresh client."""
    client = fields.pop("client", None)
    if client is None:
        client = Client(name=f"Lab {utcnow().timestamp()}-{id(fields)}")
        db.session.add(client)
        db.session.flush()
    values: dict[str, Any] = {
        "title": "Medical QA preference ranking",
        "domains": ["medicine"],
        "languages": ["English"],
        "min_score": 70,
        "hours_min": 10,
        "hours_max": 20,
        "rate_min_cents": 2500,
        "rate_max_cents": 3500,
        "headcount": 2,
        "status": "open",
    }
    values.update(fields)
    project = Project(client_id=client.id, **values)
    db.session.add(project)
    db.session.flush()
    return project


def make_candidate(
    score: float = 85,
    *,
    stage: str = "shortlisted",
    domain_scores: dict[str, float] | None = None,
    **profile: Any,
) -> Applicant:
    """An applicant who took the assessment (score 0-100), with a profile that fits make_project."""
    values: dict[str, Any] = {
        "country": "US",
        "timezone": "America/Chicago",
        "domains": ["medicine"],
        "skills": ["Pharmacology"],
        "languages": [{"language": "English", "level": "native"}],
        "weekly_hours": 20,
        "desired_rate_cents": 3000,
        "years_experience": 4,
        "stage": stage,
    }
    values.update(profile)
    applicant = factories.make_applicant(**values)
    now = utcnow()
    result = None
    if domain_scores:
        result = {
            "per_domain": {d: {"agreement": s / 100, "items": 5} for d, s in domain_scores.items()}
        }
    db.session.add(
        Attempt(
            applicant_id=applicant.id,
            status="submitted",
            started_at=now - timedelta(hours=1),
            deadline=now,
            ended_at=now,
            n_items=20,
            score=score,
            passed=score >= 65,
            result=result,
        )
    )
    db.session.flush()
    return applicant


def publish(
    project: Project, version: int = 1, body: str = "# Rules\n\nRank carefully."
) -> Guideline:
    guideline = Guideline(project_id=project.id, version=version, title="Guidelines", body_md=body)
    db.session.add(guideline)
    db.session.flush()
    return guideline
