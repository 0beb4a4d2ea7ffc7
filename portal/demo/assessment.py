"""Demo data for the assessment: the shipped bank, guidelines v1 and v2, scored attempts, and
two items with the gold audit panel."""

import random
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from assessments import BANK_ITEMS
from portal import clock
from portal.assessment import attempts, bank
from portal.extensions import db
from portal.models import Applicant, Attempt, AttemptItem, Guideline, Item, User

# Demo applicants who already took the assessment: email -> passed?
FINISHED = {
    "sofia@demo.example": True,
    "daniel@demo.example": False,
    "grace@demo.example": True,
    "tom@demo.example": True,
    "yuki@demo.example": True,
    "chloe@demo.example": True,
    "omar@demo.example": True,
}

_RATIONALE = (
    "response follows the instruction more closely and its claims check out while the other "
    "misses a required detail and states something inaccurate so I prefer it clearly here"
)


def _rationale(rng: random.Random, position: int) -> str:
    words = _RATIONALE.split(" ")
    rng.shuffle(words)
    return f"Item {position + 1}: " + " ".join(words[:24]) + "."


def simulated_answer(ai: AttemptItem, rng: random.Random, skilled: bool) -> dict[str, Any]:
    """A plausible answer in shown order: a skilled rater mostly agrees with gold and flags
    broken items; an unskilled one clicks at random."""
    item = ai.item
    answer: dict[str, Any] = {}
    if item.known_broken and skilled:
        return {"flag": {"reason": "One response is empty or garbled; it cannot be judged."}}
    n = len(item.responses)
    if skilled and (item.attention_check or rng.random() < 0.85):
        if item.kind == "pairwise":
            answer["choice"] = item.gold if list(ai.permutation) == [0, 1] else -item.gold
        else:
            answer["ranking"] = [item.gold[c] for c in ai.permutation]
    elif item.kind == "pairwise":
        answer["choice"] = rng.randint(-3, 3)
    else:
        answer["ranking"] = [rng.randint(1, n) for _ in range(n)]
    if item.rationale_required:
        answer["rationale"] = _rationale(rng, ai.position) if skilled else "B seems fine."
    return answer


def _finished_attempt(applicant: Applicant, skilled: bool, end: datetime) -> Attempt:
    rng = random.Random(applicant.id * 7919)
    minutes = rng.randint(25, 40)
    attempt = attempts.open_attempt(
        applicant, end - timedelta(minutes=minutes), seed=rng.randrange(2**31)
    )
    step = timedelta(seconds=minutes * 60 / (attempt.n_items + 1))
    at = attempt.started_at
    for ai in attempt.items:
        ai.shown_at = at + timedelta(seconds=2)
        at = at + step
        ai.answer = simulated_answer(ai, rng, skilled)
        ai.first_answered_at = ai.answered_at = at
        ai.revisions = 1
    attempt.status = "submitted"
    attempt.ended_at = end
    db.session.flush()
    return attempt


def seed_assessment() -> Iterator[str]:
    """Import the shipped bank, publish guidelines v1 and v2, score demo applicants' attempts."""
    result = bank.import_items(BANK_ITEMS, "native", status="live")
    yield f"assessment items: {result.added} added, {result.skipped} already there"
    admin = db.session.scalar(select(User).where(User.email == "admin@demo.example"))
    published = 0
    now = clock.now()
    for version, title, body in bank.shipped_guidelines():
        exists = db.session.scalar(
            select(Guideline.id).where(Guideline.project_id.is_(None), Guideline.version == version)
        )
        if exists is None:
            db.session.add(
                Guideline(
                    project_id=None,
                    version=version,
                    title=title,
                    body_md=body,
                    changelog="Shipped with the portal.",
                    published_at=now - timedelta(days=60 // version),
                    published_by_id=admin.id if admin else None,
                )
            )
            published += 1
    db.session.commit()
    yield f"assessment guidelines: {published} version(s) published"
    scored = 0
    for email, passed in FINISHED.items():
        user = db.session.scalar(select(User).where(User.email == email))
        if user is None or user.applicant is None:
            continue
        applicant = user.applicant
        if db.session.scalar(select(Attempt.id).where(Attempt.applicant_id == applicant.id)):
            continue
        end = applicant.stage_changed_at - timedelta(hours=2)
        attempt = _finished_attempt(applicant, passed, end)
        attempts.finalize(attempt.id, now=end, notify=False, move_stage=False)
        scored += 1
    yield f"assessment attempts: {scored} scored demo attempt(s)"
    yield _seed_panel()


def _seed_panel() -> str:
    """Two law items waiting for the gold audit panel (once; the panel page shows them)."""
    if db.session.scalar(select(Item.id).where(Item.status.in_(("audit", "review")))):
        return "assessment panel: items already with the panel"
    rows = db.session.scalars(
        select(Item).where(Item.domain == "law", Item.status == "live").order_by(Item.id).limit(2)
    ).all()
    for row in rows:
        row.status = "audit"
    db.session.commit()
    return f"assessment panel: {len(rows)} item(s) sent to the gold audit panel"
