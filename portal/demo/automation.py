"""Demo of pipeline automation: the default rules on for the rater posting, one applicant moved
by rule (see the audit trail), one held for a person, one rejection waiting out its delay.

Idempotent: people are looked up by email, rules by name, and the engine's ledger does the rest.
"""

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from portal import clock, pipeline
from portal.automation import engine, rules
from portal.automation.subjects import DEFAULT_POSTING_SLUG
from portal.demo.people import _user
from portal.extensions import db
from portal.models import Applicant, Attempt, Posting, Role, User

CLEAR = {"objective": {"bar": 0.84, "n_eff": 12.0, "direction": 1.0}}
NEAR = {"objective": {"bar": 0.84, "n_eff": 12.0, "direction": 0.83}}
LOW = {"objective": {"bar": 0.84, "n_eff": 12.0, "direction": 0.5}}
TOO_FAST = [{"kind": "too_fast", "position": 4, "detail": "3s for ~28s of reading"}]

# (name, email, passed, score, per_tier, signals, note)
PEOPLE: list[tuple[str, str, bool, float, dict[str, Any], list[dict[str, Any]], str]] = [
    ("Noor Haddad", "noor@demo.example", True, 91.0, CLEAR, [], "moved by rule"),
    ("Ravi Menon", "ravi@demo.example", True, 88.0, CLEAR, TOO_FAST, "integrity: to a person"),
    ("Elif Demir", "elif@demo.example", True, 77.0, NEAR, [], "borderline: to a person"),
    ("Tomás Silva", "tomas@demo.example", False, 41.0, LOW, [], "rejection in 24 h (undo)"),
]


def _posting() -> Posting:
    posting = db.session.scalar(select(Posting).where(Posting.slug == DEFAULT_POSTING_SLUG))
    if posting is None:  # a database built without migrations (tests): the migration's row
        posting = Posting(
            slug=DEFAULT_POSTING_SLUG, title="AI Response Rater (remote, freelance)", status="open"
        )
        db.session.add(posting)
        db.session.flush()
    return posting


def _assessed(name: str, email: str, passed: bool, score: float, tiers: Any, signals: Any) -> int:
    user, new = _user(email, name, Role.APPLICANT)
    if not new:
        return user.applicant.id if user.applicant else 0
    now = clock.now()
    user.applicant = Applicant(
        full_name=name,
        country="GB",
        timezone="Europe/London",
        domains=["law"],
        languages=[{"language": "English", "level": "fluent"}],
        weekly_hours=15,
        created_at=now - timedelta(days=2),
        stage_changed_at=now - timedelta(days=2),
        profile_completed_at=now - timedelta(days=1),
        consented_at=now - timedelta(days=1),
    )
    db.session.flush()
    pipeline.move(user.applicant, "profile_complete", actor=None, reason="Profile submitted")
    db.session.add(
        Attempt(
            applicant_id=user.applicant.id,
            status="submitted",
            started_at=now - timedelta(minutes=45),
            deadline=now,
            ended_at=now - timedelta(minutes=5),
            n_items=20,
            score=score,
            passed=passed,
            result={"score": score, "passed": passed, "per_tier": tiers, "reasons": []},
            signals=signals,
        )
    )
    to_stage = "assessed_passed" if passed else "assessed_failed"
    pipeline.move(user.applicant, to_stage, actor=None, reason="Assessment scored")
    db.session.commit()
    return user.applicant.id


def seed_automation() -> Iterator[str]:
    posting = _posting()
    admin = db.session.scalar(select(User).where(User.email == "admin@demo.example"))
    added = rules.add_default_rules(posting, actor=admin, enabled=True)
    lines = []
    for name, email, passed, score, tiers, signals, note in PEOPLE:
        applicant_id = _assessed(name, email, passed, score, tiers, signals)
        # Only these people: the rest of the demo keeps its hand-placed stages.
        engine.run_for_applicant(applicant_id)
        stage = db.session.get(Applicant, applicant_id).stage
        lines.append(f"  {name}: {pipeline.STAGES[stage]} ({note})")
    yield f"automation: {len(added)} default rules on for {posting.title}; /recruiter/queue/"
    yield from lines
