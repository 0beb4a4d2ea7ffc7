"""Blind rationale grading: reviewers grade written rationales 0-2 without seeing the score.

Rubric (one point each, capped at 2): names the decisive criterion; cites evidence from the
responses; is consistent with the choice made. One rationale in ten (chosen by its id, so the
choice is stable) is marked by two reviewers, and Cohen's kappa is shown per reviewer pair.
Once every required rationale of an attempt has a grade, the attempt is re-scored with the
grades in place of "rationales not yet graded".
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from assessments.audit import cohen_kappa, near_duplicates
from assessments.scoring import RUBRIC_MAX, score_attempt
from portal import audit, pipeline
from portal.applications import tracks
from portal.extensions import db
from portal.models import Applicant, Attempt, AttemptItem, Item, RationaleGrade, User

DOUBLE_MARK_EVERY = 10  # one rationale in ten is marked twice


class GradingError(ValueError):
    """A grade that cannot be recorded; the message says why."""


def marks_needed(attempt_item_id: int) -> int:
    """Two reviewers for one rationale in ten, one for the rest."""
    return 2 if attempt_item_id % DOUBLE_MARK_EVERY == 0 else 1


def _required_rationales() -> Any:
    return (
        select(AttemptItem)
        .join(Item, Item.id == AttemptItem.item_id)
        .join(Attempt, Attempt.id == AttemptItem.attempt_id)
        .where(
            Item.rationale_required.is_(True),
            AttemptItem.repeat_of.is_(None),
            Attempt.result.is_not(None),
        )
    )


@dataclass(frozen=True)
class QueueEntry:
    """What a reviewer sees: the item as shown, the choice and the rationale; no score."""

    attempt_item: AttemptItem
    prompt: str
    responses: list[dict[str, str]]
    choice: Any
    rationale: str


def queue(reviewer: User, limit: int = 20) -> list[QueueEntry]:
    """Rationales waiting for this reviewer: not graded by them, still short of marks."""
    counts = (
        select(RationaleGrade.attempt_item_id, func.count().label("n"))
        .group_by(RationaleGrade.attempt_item_id)
        .subquery()
    )
    mine = select(RationaleGrade.attempt_item_id).where(RationaleGrade.reviewer_id == reviewer.id)
    rows = db.session.execute(
        _required_rationales()
        .add_columns(func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.attempt_item_id == AttemptItem.id)
        .where(AttemptItem.id.not_in(mine))
        .order_by(AttemptItem.id)
    )
    out: list[QueueEntry] = []
    for ai, n in rows:
        text = ((ai.answer or {}).get("rationale") or "").strip()
        if n >= marks_needed(ai.id):
            continue
        item = ai.item
        labels = "ABCD"
        responses = [
            {"label": labels[shown], "text": item.responses[canonical]}
            for shown, canonical in enumerate(ai.permutation)
        ]
        answer = ai.answer or {}
        choice = answer.get("choice", answer.get("ranking"))
        out.append(QueueEntry(ai, item.prompt, responses, choice, text))
        if len(out) >= limit:
            break
    return out


def grade(reviewer: User, attempt_item_id: int, value: int) -> Attempt | None:
    """Record a reviewer's grade; re-score the attempt once all its rationales are graded.

    Returns the re-scored attempt, or None while grades are still missing. Commits.
    """
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= RUBRIC_MAX:
        raise GradingError(f"A grade is 0, 1 or {RUBRIC_MAX}.")
    ai = db.session.scalar(_required_rationales().where(AttemptItem.id == attempt_item_id))
    if ai is None:
        raise GradingError("That rationale is not waiting for a grade.")
    already = db.session.scalar(
        select(RationaleGrade).where(
            RationaleGrade.attempt_item_id == ai.id, RationaleGrade.reviewer_id == reviewer.id
        )
    )
    if already is not None:
        raise GradingError("You have already graded this rationale.")
    db.session.add(RationaleGrade(attempt_item_id=ai.id, reviewer_id=reviewer.id, grade=value))
    db.session.flush()
    audit.record(
        "assessment.rationale_graded",
        actor=reviewer,
        subject_type="attempt",
        subject_id=ai.attempt_id,
        position=ai.position,
        grade=value,
    )
    attempt = db.session.get(Attempt, ai.attempt_id)
    assert attempt is not None
    rescored = _rescore(attempt)
    db.session.commit()
    return attempt if rescored else None


def grades_for(attempt: Attempt) -> dict[int, float]:
    """Mean grade per position for the attempt's graded rationales."""
    rows = db.session.execute(
        select(AttemptItem.position, RationaleGrade.grade)
        .join(RationaleGrade, RationaleGrade.attempt_item_id == AttemptItem.id)
        .where(AttemptItem.attempt_id == attempt.id)
    )
    by_position: dict[int, list[int]] = defaultdict(list)
    for position, value in rows:
        by_position[position].append(value)
    return {p: sum(v) / len(v) for p, v in by_position.items()}


def _rescore(attempt: Attempt) -> bool:
    from portal.assessment.attempts import drawn_items, scoring_config

    drawn = drawn_items(attempt)
    answers = {ai.position: ai.answer for ai in attempt.items if ai.answer}
    result = score_attempt(drawn, answers, scoring_config(), rationale_grades=grades_for(attempt))
    if not result.rationales_graded:
        return False
    before = attempt.passed
    attempt.score, attempt.passed, attempt.result = result.score, result.passed, result.to_dict()
    applicant = db.session.get(Applicant, attempt.applicant_id)
    to_stage = "assessed_passed" if result.passed else "assessed_failed"
    if applicant is not None and before != result.passed:
        for application in tracks.decided_by(applicant, attempt.track):
            if application.stage != to_stage and pipeline.can_move(application.stage, to_stage):
                reason = f"rationales graded ({attempt.id})"
                pipeline.move(application, to_stage, actor=None, reason=reason)
    audit.record(
        "assessment.rescored",
        actor=None,
        subject_type="attempt",
        subject_id=attempt.id,
        score=attempt.score,
        passed=attempt.passed,
    )
    return True


def kappa_by_pair() -> list[dict[str, Any]]:
    """Cohen's kappa per pair of reviewers over the rationales both graded."""
    rows = db.session.execute(
        select(RationaleGrade.attempt_item_id, RationaleGrade.reviewer_id, RationaleGrade.grade)
    )
    by_item: dict[int, dict[int, int]] = defaultdict(dict)
    for item_id, reviewer_id, value in rows:
        if reviewer_id is not None:
            by_item[item_id][reviewer_id] = value
    pairs: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
    for marks in by_item.values():
        reviewers = sorted(marks)
        for i, a in enumerate(reviewers):
            for b in reviewers[i + 1 :]:
                pairs[(a, b)].append((marks[a], marks[b]))
    ids = {reviewer for pair in pairs for reviewer in pair}
    users = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(ids)))}
    return [
        {
            "first": users[a].email if a in users else a,
            "second": users[b].email if b in users else b,
            "n": len(table),
            "kappa": cohen_kappa(table),
        }
        for (a, b), table in sorted(pairs.items())
    ]


def near_duplicate_rationales(limit: int = 2000) -> list[dict[str, Any]]:
    """Rationales across different applicants with shingled Jaccard ≥ 0.8 (integrity signal)."""
    rows = db.session.execute(
        _required_rationales()
        .add_columns(Attempt.applicant_id)
        .order_by(AttemptItem.id.desc())
        .limit(limit)
    )
    texts, owner = {}, {}
    for ai, applicant_id in rows:
        text = ((ai.answer or {}).get("rationale") or "").strip()
        if text:
            texts[ai.id], owner[ai.id] = text, applicant_id
    return [
        {"first": a, "second": b, "similarity": score, "applicants": (owner[a], owner[b])}
        for a, b, score in near_duplicates(texts)
        if owner[a] != owner[b]
    ]


def collusion_signals(limit: int = 500) -> list[dict[str, Any]]:
    """Applicant pairs who agree on more than 95 % of shared items and wrote near-identical
    rationales (over the latest ``limit`` scored attempts); recorded for a person to review."""
    from assessments.audit import collusion_pairs
    from assessments.items import ItemValidationError, get_kind
    from portal.assessment.bank import to_engine

    attempts = db.session.scalars(
        select(Attempt).where(Attempt.result.is_not(None)).order_by(Attempt.id.desc()).limit(limit)
    ).all()
    answers: dict[int, dict[str, Any]] = defaultdict(dict)
    rationales: dict[int, dict[str, str]] = defaultdict(dict)
    for attempt in attempts:
        for ai in attempt.items:
            if ai.repeat_of is not None or not ai.answer:
                continue
            item = to_engine(ai.item)
            kind = get_kind(item.kind)
            try:
                canonical = kind.to_canonical(item, ai.answer, ai.permutation)
            except ItemValidationError:
                continue
            value = canonical.get(kind.answer_key)
            key = tuple(value) if isinstance(value, list) else value
            answers[attempt.applicant_id][item.content_hash] = key
            if canonical.get("rationale"):
                rationales[attempt.applicant_id][item.content_hash] = canonical["rationale"]
    return [
        {
            "applicants": (s.first, s.second),
            "shared_items": s.shared_items,
            "agreement": s.agreement,
            "similar_rationales": s.similar_rationales,
        }
        for s in collusion_pairs(answers, rationales)
    ]
