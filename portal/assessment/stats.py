"""Item statistics from scored attempts, and the items surfaced for review (a wrong key?)."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import select

from portal.extensions import db
from portal.models import Attempt, Item


class ItemStats:
    answered: int = 0
    flagged: int = 0
    agreement: float | None = None
    correlation: float | None = None
    strong_answered: int = 0
    strong_wrong: int = 0
    strong_flagged: int = 0

    @property
    def flag_rate(self) -> float | None:
        return self.flagged / self.answered if self.answered else None

    @property
    def strong_problem_rate(self) -> float | None:
        if not self.strong_answered:
            return None
        return (self.strong_wrong + self.strong_flagged) / self.strong_answered


def _pearson(xs: list[float], ys: list[float]) -> float | None:
    n = len(xs)
    if n < 3:
        return None
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return None
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / (sxx * syy) ** 0.5


def item_statistics() -> dict[str, ItemStats]:
    """Per content hash, from every scored attempt: answered, agreement, flags, item-total r.

    "Strong" applicants are those in the top half of scores; an item they often get wrong or flag
    is a candidate for a wrong answer key. Repeats count once (their first showing).
    """
    rows = db.session.execute(
        select(Attempt.score, Attempt.result).where(Attempt.result.is_not(None))
    ).all()
    current = dict(db.session.execute(select(Item.content_hash, Item.version)).all())
    scores = sorted(r.score for r in rows if r.score is not None)
    median = scores[len(scores) // 2] if scores else None
    credits: dict[str, list[tuple[float, float]]] = {}
    stats: dict[str, ItemStats] = {}
    for score, result in rows:
        strong = median is not None and score is not None and score >= median
        for r in result.get("items", []):
            if r["role"] == "repeat" or not r["answered"]:
                continue
            if r.get("version", 1) != current.get(r["content_hash"], 1):
                continue  # answered under an earlier version of the item
            s = stats.setdefault(r["content_hash"], ItemStats())
            s.answered += 1
            s.flagged += bool(r["flagged"])
            credits.setdefault(r["content_hash"], []).append((r["credit"], score or 0.0))
            if strong:
                s.strong_answered += 1
                s.strong_flagged += bool(r["flagged"]) and r["role"] != "broken"
                s.strong_wrong += (not r["agree"]) and not r["flagged"]
    for h, pairs in credits.items():
        xs = [p[0] for p in pairs]
        stats[h].agreement = sum(xs) / len(xs)
        stats[h].correlation = _pearson(xs, [p[1] for p in pairs])
    return stats


def surfaced_for_review(
    stats: Mapping[str, ItemStats], min_strong: int = 3, threshold: float = 0.5
) -> dict[str, ItemStats]:
    """Items that at least ``threshold`` of strong applicants got wrong or flagged."""
    return {
        h: s
        for h, s in stats.items()
        if s.strong_answered >= min_strong and (s.strong_problem_rate or 0) >= threshold
    }
