"""Build candidates with a resume, an attempt and notes for the recruiter tests."""

from datetime import timedelta
from typing import Any

from portal.extensions import db
from portal.models import Applicant, Attempt, AttemptItem, Item, Note, Resume
from portal.models.base import utcnow
from tests import factories


def candidate(
    *,
    resume_text: str | None = None,
    score: float | None = None,
    passed: bool | None = None,
    note: str | None = None,
    days_in_stage: float = 0,
    **profile: Any,
) -> Applicant:
    """An applicant (committed) with optional resume text, a scored attempt and a note."""
    profile.setdefault("stage", "applied")
    profile["stage_changed_at"] = utcnow() - timedelta(days=days_in_stage)
    applicant = factories.make_applicant(**profile)
    if resume_text is not None:
        db.session.add(
            Resume(
                applicant_id=applicant.id,
                sha256=f"{applicant.id:064x}",
                size=len(resume_text),
                kind="txt",
                filename="cv.txt",
                status="parsed",
                text=resume_text,
                parsed={"skills": profile.get("skills", [])},
            )
        )
    if score is not None:
        db.session.add(
            Attempt(
                applicant_id=applicant.id,
                status="submitted",
                deadline=utcnow(),
                n_items=1,
                score=score,
                passed=passed if passed is not None else score >= 65,
            )
        )
    if note is not None:
        db.session.add(Note(applicant_id=applicant.id, body=note))
    db.session.commit()
    return applicant


def attempt_with_items(applicant: Applicant) -> Attempt:
    """A scored attempt as the assessment stores it: two pairwise items, the first shown with
    its responses swapped, a rationale, a paste and repeated focus loss."""
    now = utcnow()
    items = [
        Item(
            content_hash=f"h{applicant.id}-{n}",
            kind="pairwise",
            domain="law",
            prompt=f"Which answer is better for case {n}?",
            responses=["Cites the statute.", "Guesses."],
            gold=-2,  # canonical order: A (the statute) is better
            gold_strength=0.9,
        )
        for n in range(2)
    ]
    db.session.add_all(items)
    db.session.flush()
    attempt = Attempt(
        applicant_id=applicant.id,
        status="submitted",
        deadline=now,
        n_items=2,
        score=71.5,
        passed=True,
        focus_losses=6,
        result={
            "score": 71.5,
            "passed": True,
            "reasons": [],
            "components": {"agreement": 0.5},
            "items": [
                {"position": 0, "role": "gold", "credit": 1.0, "agree": True},
                {"position": 1, "role": "gold", "credit": 0.0, "agree": False},
            ],
            "cycles": [],
        },
        signals=[
            {"kind": "paste", "position": 1, "detail": "1 paste event(s)"},
            {"kind": "focus_loss", "position": None, "detail": "left the page 6 times"},
        ],
    )
    attempt.items = [
        AttemptItem(
            position=i,
            item_id=item.id,
            permutation=[1, 0] if i == 0 else [0, 1],
            shown_at=now - timedelta(seconds=40),
            first_answered_at=now - timedelta(seconds=5),
            answered_at=now - timedelta(seconds=5),
            # Answers are stored in the shown order: item 0 showed "Guesses." first, so B is
            # the statute.
            answer={"choice": 2, "rationale": "B cites the statute"} if i == 0 else {"choice": 1},
            paste_count=i,
        )
        for i, item in enumerate(items)
    ]
    db.session.add(attempt)
    db.session.commit()
    return attempt
