"""Fixtures for the assessment flow: the shipped bank and published guidelines.

The frozen clock (``now``, starting at ``START``) comes from the root conftest.
"""

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from assessments import BANK_ITEMS
from portal.assessment import attempts
from portal.assessment.bank import import_items, publish_guideline
from portal.extensions import db
from portal.models import Attempt
from tests import factories


@pytest.fixture
def app_config() -> dict[str, Any]:
    return {
        "ASSESSMENT_ITEMS": 12,
        "ASSESSMENT_TIME_LIMIT_MINUTES": 45,
        "ASSESSMENT_MAX_ATTEMPTS": 2,
        "ASSESSMENT_RETAKE_COOLDOWN_DAYS": 7,
    }


@pytest.fixture
def bank(app: Any) -> None:
    import_items(BANK_ITEMS, "native", status="live")
    publish_guideline("Guidelines v1", "# v1\n\nRank honestly.", None, actor=None)
    publish_guideline(
        "Guidelines v2", "# Labelling guidelines v2\n\nPrefer *correct* answers.", None, actor=None
    )


@pytest.fixture
def applicant(auth: Any, bank: None) -> Any:
    """A signed-in applicant with a complete profile and a verified email."""
    return auth.as_role("applicant", applicant={"stage": "profile_complete"})


def the_attempt(user: Any) -> Attempt:
    db.session.expire_all()
    attempt = db.session.scalars(
        select(Attempt).where(Attempt.applicant_id == user.applicant.id).order_by(Attempt.id)
    ).all()[-1]
    return attempt


def shown_answer(attempt_item: Any, correct: bool = True) -> dict[str, Any]:
    """An answer in shown order that agrees with gold (or its opposite)."""
    item, perm = attempt_item.item, list(attempt_item.permutation)
    if item.known_broken:
        return {"flag": {"reason": "garbled"}}
    if item.kind == "pairwise":
        gold = item.gold if perm == [0, 1] else -item.gold
        answer: dict[str, Any] = {"choice": (gold if correct else -gold) or (0 if correct else 3)}
    else:
        ranks = [item.gold[c] for c in perm]
        answer = {"ranking": ranks if correct else [max(ranks) + 1 - r for r in ranks]}
    if item.rationale_required and correct:
        answer["rationale"] = f"Position {attempt_item.position}: " + " ".join(
            f"word{attempt_item.position}x{i}" for i in range(25)
        )
    return answer


def make_attempt_for(user: Any, **kwargs: Any) -> Attempt:
    return attempts.start_attempt(user, **kwargs)


@pytest.fixture
def other_applicant() -> Iterator[Any]:
    user = factories.make_user("applicant", applicant={"stage": "profile_complete"})
    db.session.commit()
    yield user
