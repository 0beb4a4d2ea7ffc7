"""A rater posting with the default rules switched on, and applicants at the assessment's end."""

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from portal import pipeline
from portal.automation import rules
from portal.extensions import db
from portal.models import Attempt, AutomationRule, Posting, User
from portal.models.base import utcnow
from tests import factories

CLEAR = {"objective": {"bar": 0.84, "n_eff": 12.0, "direction": 1.0}}
NEAR_BAR = {"objective": {"bar": 0.84, "n_eff": 12.0, "direction": 0.8333}}
CLEAR_FAIL = {"objective": {"bar": 0.84, "n_eff": 12.0, "direction": 0.4167}}


@pytest.fixture
def admin() -> User:
    user = factories.make_user("admin")
    db.session.commit()
    return user


@pytest.fixture
def posting(app, now, admin) -> Posting:
    posting = Posting(slug="ai-response-rater", title="AI Response Rater", status="open")
    db.session.add(posting)
    db.session.flush()
    rules.add_default_rules(posting, actor=admin, enabled=True)
    return posting


def rule(posting: Posting, trigger: str, action: str | None = None) -> AutomationRule:
    query = select(AutomationRule).where(
        AutomationRule.posting_id == posting.id, AutomationRule.trigger == trigger
    )
    if action:
        query = query.where(AutomationRule.action == action)
    return db.session.scalars(query).one()


def assessed(
    *,
    passed: bool,
    score: float,
    per_tier: dict[str, Any] | None = None,
    signals: list[dict[str, Any]] | None = None,
    **profile: Any,
):
    """An applicant whose assessment was just scored, moved as the assessment moves them."""
    applicant = factories.make_applicant(**profile)
    pipeline.move(applicant, "profile_complete", actor=None)
    now = utcnow()
    db.session.add(
        Attempt(
            applicant_id=applicant.id,
            status="submitted",
            started_at=now - timedelta(minutes=40),
            deadline=now,
            ended_at=now,
            n_items=20,
            score=score,
            passed=passed,
            result={"score": score, "passed": passed, "per_tier": per_tier or {}},
            signals=signals or [],
        )
    )
    pipeline.move(applicant, "assessed_passed" if passed else "assessed_failed", actor=None)
    db.session.commit()
    return applicant
