"""What recruiters see of an attempt: the per-item breakdown (staff only, never the applicant).

``attempt_breakdown(attempt)`` is the one function a candidate page needs; everything in it is
already in the database (answers, permutations, the stored scoring result and signals).
"""

from __future__ import annotations

from typing import Any

from assessments.items import LABELS
from portal.models import Attempt, AttemptItem

PAIRWISE_LABELS = {
    -3: "A much better",
    -2: "A better",
    -1: "A slightly better",
    0: "Tie",
    1: "B slightly better",
    2: "B better",
    3: "B much better",
}


def _summary(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def shown_gold(ai: AttemptItem) -> int | list[int]:
    """The gold answer mapped into the order the applicant saw (permutation[shown] = canonical)."""
    gold, permutation = ai.item.gold, list(ai.permutation)
    if ai.item.kind == "pairwise":
        return gold if permutation == [0, 1] else -gold
    return [gold[canonical] for canonical in permutation]


def describe(kind: str, value: Any) -> str:
    """A person-readable answer: 'A better', or 'B > A = C' for a ranking."""
    if value is None:
        return "—"
    if kind == "pairwise":
        return PAIRWISE_LABELS.get(value, str(value))
    order = sorted(range(len(value)), key=lambda i: value[i])
    out = LABELS[order[0]]
    for prev, cur in zip(order, order[1:], strict=False):
        out += (" = " if value[cur] == value[prev] else " > ") + LABELS[cur]
    return out


def attempt_breakdown(attempt: Attempt) -> dict[str, Any]:
    """The full breakdown of one attempt, for recruiters and admins.

    Returns ``{"attempt": {...summary...}, "components": {...}, "reasons": [...],
    "per_tier": {...}, "signals": [...], "items": [...]}`` where each item is::

        {"position", "item_id", "kind", "domain", "tier", "role" (gold|attention|broken|repeat),
         "repeat_of", "prompt_summary", "responses" (shown order, labelled A..D),
         "answer" / "answer_text" (as shown), "gold" / "gold_text" (mapped into the shown order),
         "credit" (0..1 or None before scoring), "agree", "flagged", "flag_reason",
         "rationale", "rationale_ok", "seconds" (time from shown to first save, or None),
         "revisions", "signals" (integrity signals at this position)}
    """
    result = attempt.result or {}
    scored = {r["position"]: r for r in result.get("items", [])}
    signals = list(attempt.signals or [])
    items = []
    for ai in attempt.items:
        answer = ai.answer or {}
        key = "choice" if ai.item.kind == "pairwise" else "ranking"
        r = scored.get(ai.position, {})
        gold = shown_gold(ai)
        start = ai.shown_at
        seconds = (
            round((ai.first_answered_at - start).total_seconds(), 1)
            if start is not None and ai.first_answered_at is not None
            else None
        )
        items.append(
            {
                "position": ai.position,
                "item_id": ai.item_id,
                "kind": ai.item.kind,
                "domain": ai.item.domain,
                "tier": ai.item.tier,
                "role": r.get("role"),
                "repeat_of": ai.repeat_of,
                "prompt_summary": _summary(ai.item.prompt),
                "responses": [
                    {"label": LABELS[shown], "summary": _summary(ai.item.responses[canonical], 120)}
                    for shown, canonical in enumerate(ai.permutation)
                ],
                "answer": answer.get(key),
                "answer_text": describe(ai.item.kind, answer.get(key)),
                "gold": gold,
                # A known-broken item has no right answer to give: flagging it is the answer.
                "gold_text": (
                    "Flag it (broken item)"
                    if ai.item.known_broken
                    else describe(ai.item.kind, gold)
                ),
                "gold_strength": ai.item.gold_strength,
                "credit": r.get("credit"),
                "agree": r.get("agree"),
                "flagged": bool(answer.get("flag")),
                "flag_reason": (answer.get("flag") or {}).get("reason"),
                "rationale": answer.get("rationale"),
                "rationale_ok": r.get("rationale_ok"),
                "seconds": seconds,
                "revisions": ai.revisions,
                "signals": [s for s in signals if s.get("position") == ai.position],
            }
        )
    return {
        "attempt": {
            "id": attempt.id,
            "status": attempt.status,
            "started_at": attempt.started_at,
            "deadline": attempt.deadline,
            "ended_at": attempt.ended_at,
            "score": attempt.score,
            "passed": attempt.passed,
            "guideline_version": attempt.guideline_version,
            "n_items": attempt.n_items,
            "answered": sum(1 for i in items if i["answer"] is not None or i["flagged"]),
            "focus_losses": attempt.focus_losses,
        },
        "components": result.get("components", {}),
        "reasons": result.get("reasons", []),
        "notes": result.get("notes", []),
        "per_tier": result.get("per_tier", {}),
        "cycles": result.get("cycles", []),
        "signals": signals,
        "items": items,
    }
