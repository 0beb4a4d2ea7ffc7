"""Simulated takers through real draws and real scoring: the assessment's validity figures.

Each simulated applicant gets an attempt drawn with exposure control (the counts of the last
``exposure_window`` attempts), and every profile answers that same attempt, so profiles are
compared on identical draws. One applicant in five retakes (a second draw excluding what they saw).
Profiles:

- ``random``: any point of the scale, any ranking; never flags.
- ``attention_only``: perfect on attention checks and flags, random on gold (worst case).
- ``careful``: right 90 % of the time on objective gold; on consensus gold agrees with the majority
  at the source's measured human rate (``bars.json``); margin exact 60 %, one step off 40 %;
  flags broken items; re-derives repeats (gives the same answer 80 % of the time).
- ``fluent_careless``: prefers the longer, more confident response (strongly); diligent on
  attention checks and flags.
- ``position_bias``: always the first response shown; diligent on attention checks and flags.
"""

from __future__ import annotations

import json
import random
import re
from collections import Counter, deque
from collections.abc import Callable, Sequence
from typing import Any

from assessments.bars import BARS_FILE, shipped_bars, source_key
from assessments.draw import Blueprint, DrawnItem, draw_items, shown_hashes
from assessments.items import Item
from assessments.scoring import ScoringConfig, score_attempt

PROFILES = ("random", "attention_only", "careful", "fluent_careless", "position_bias")
STICKINESS = 0.8
RETAKE_EVERY = 5
OBJECTIVE_ACCURACY = 0.9
HEDGES = re.compile(r"\b(not sure|might|may|perhaps|possibly|i think|unclear|depends)\b", re.I)

Rater = Callable[[DrawnItem, random.Random], dict[str, Any]]


def _sign(x: int) -> int:
    return (x > 0) - (x < 0)


def human_rates() -> dict[str, float]:
    """Human agreement per source key (what the careful profile reaches on consensus gold)."""
    if not BARS_FILE.exists():
        return {}
    doc = json.loads(BARS_FILE.read_text())
    return {k: float(v["human_agreement"]) for k, v in doc["sources"].items()}


def to_presented(drawn: DrawnItem, canonical: dict[str, Any]) -> dict[str, Any]:
    """Map a canonical-order answer into the order the taker saw."""
    answer = dict(canonical)
    if "choice" in answer and list(drawn.permutation) == [1, 0]:
        answer["choice"] = -answer["choice"]
    if "ranking" in answer:
        answer["ranking"] = [answer["ranking"][c] for c in drawn.permutation]
    return answer


def _rationale(item: Item, rng: random.Random) -> str:
    return (
        f"Response {rng.choice('AB')} follows the instruction more closely and is accurate on "
        f"the key facts of this {item.domain} item, while the other pads and makes claims it "
        "cannot support."
    )


def _ranks_by(scores: Sequence[float]) -> list[int]:
    order = sorted(range(len(scores)), key=lambda i: -scores[i])
    ranks = [0] * len(scores)
    for rank, i in enumerate(order, start=1):
        ranks[i] = rank
    return ranks


def _diligent(drawn: DrawnItem) -> dict[str, Any] | None:
    """The right answer on attention checks and broken items (None for gold)."""
    item = drawn.item
    if item.known_broken:
        return {"flag": {"reason": "a response is empty, cut off or garbled"}}
    if item.attention_check:
        if item.kind == "pairwise":
            return {"choice": int(item.gold)}
        return {"ranking": list(item.gold)}  # type: ignore[arg-type]
    return None


def random_taker(drawn: DrawnItem, rng: random.Random) -> dict[str, Any]:
    """Clicks anywhere; never flags, never writes."""
    if drawn.item.kind == "pairwise":
        return {"choice": rng.randint(-3, 3)}
    n = len(drawn.item.responses)
    return {"ranking": [rng.randint(1, n) for _ in range(n)]}


def attention_only(drawn: DrawnItem, rng: random.Random) -> dict[str, Any]:
    """Perfect on checks and flags, random on gold, writes rationales."""
    answer = _diligent(drawn) or random_taker(drawn, rng)
    if drawn.item.rationale_required:
        answer["rationale"] = _rationale(drawn.item, rng)
    return answer


def careful(rates: dict[str, float] | None = None) -> Rater:
    """Right at 90 % on objective gold and at the source's human rate on consensus gold."""
    human = rates if rates is not None else human_rates()

    def rate(drawn: DrawnItem, rng: random.Random) -> dict[str, Any]:
        item = drawn.item
        fixed = _diligent(drawn)
        if fixed is not None:
            return fixed
        p = (
            OBJECTIVE_ACCURACY
            if item.tier == "objective"
            else human.get(source_key(item.source, item.gold_strength), 0.75)
        )
        right = rng.random() < p
        if item.kind == "pairwise":
            gold = int(item.gold)
            if right:
                off = 0 if rng.random() < 0.6 else rng.choice((-1, 1))
                choice = 0 if gold == 0 else _sign(gold) * max(1, min(3, abs(gold) + off))
            elif gold == 0:
                choice = rng.choice((-1, 1))
            else:
                choice = rng.choice((0, -_sign(gold)))
            answer: dict[str, Any] = {"choice": choice}
        else:
            ranks = list(item.gold)  # type: ignore[arg-type]
            if not right:
                order = sorted(range(len(ranks)), key=lambda i: (ranks[i], i))
                k = rng.randrange(len(order) - 1)
                a, b = order[k], order[k + 1]
                ranks[a], ranks[b] = ranks[b], ranks[a]
            answer = {"ranking": ranks}
        if item.rationale_required:
            answer["rationale"] = _rationale(item, rng)
        return answer

    return rate


def _appeal(text: str) -> float:
    return len(text) - 200 * len(HEDGES.findall(text))


def fluent_careless(drawn: DrawnItem, rng: random.Random) -> dict[str, Any]:
    """Prefers the longer, more confident response, strongly; diligent on checks and flags."""
    fixed = _diligent(drawn)
    if fixed is not None:
        return fixed
    item = drawn.item
    appeal = [_appeal(r) for r in item.responses]
    if item.kind == "pairwise":
        answer: dict[str, Any] = {"choice": -2 if appeal[0] >= appeal[1] else 2}
    else:
        answer = {"ranking": _ranks_by(appeal)}
    if item.rationale_required:
        answer["rationale"] = _rationale(item, rng)
    return answer


def position_bias(drawn: DrawnItem, rng: random.Random) -> dict[str, Any]:
    """Always the first response shown (canonical answer built from the presented order)."""
    fixed = _diligent(drawn)
    if fixed is not None:
        return fixed
    item, perm = drawn.item, drawn.permutation
    if item.kind == "pairwise":
        answer: dict[str, Any] = {"choice": -2 if perm[0] == 0 else 2}
    else:
        ranks = [0] * len(perm)
        for shown, canonical in enumerate(perm):
            ranks[canonical] = shown + 1
        answer = {"ranking": ranks}
    if item.rationale_required:
        answer["rationale"] = _rationale(item, rng)
    return answer


def profiles() -> dict[str, Rater]:
    """The simulated profiles by name."""
    return {
        "random": random_taker,
        "attention_only": attention_only,
        "careful": careful(),
        "fluent_careless": fluent_careless,
        "position_bias": position_bias,
    }


def answer_attempt(
    drawn: Sequence[DrawnItem], rater: Rater, rng: random.Random
) -> dict[int, dict[str, Any]]:
    """One taker's answers in presented order (repeats sticky, as people remember)."""
    memory: dict[str, dict[str, Any]] = {}
    answers: dict[int, dict[str, Any]] = {}
    for d in drawn:
        key = d.item.content_hash
        if d.repeat_of is not None and key in memory and rng.random() < STICKINESS:
            canonical = memory[key]
        else:
            canonical = rater(d, rng)
        memory.setdefault(key, canonical)
        answers[d.position] = to_presented(d, canonical)
    return answers


def simulate(
    pool: list[Item],
    takers: int,
    blueprint: Blueprint | None = None,
    config: ScoringConfig | None = None,
    seed: int = 1,
) -> dict[str, Any]:
    """Run ``takers`` applicants (each profile answers every draw); the figures as a dict."""
    bp = blueprint or Blueprint()
    cfg = config or ScoringConfig()
    rng = random.Random(seed)
    raters = profiles()
    passed: Counter[str] = Counter()
    window: deque[set[str]] = deque()
    exposure: Counter[str] = Counter()
    shown_total: Counter[str] = Counter()
    max_window_share = 0.0
    attempts = 0
    overlap_seen = overlap_total = 0
    effective: dict[str, list[float]] = {"objective": [], "consensus": []}

    def draw(exclude: set[str]) -> list[DrawnItem]:
        nonlocal attempts, max_window_share
        drawn = draw_items(pool, bp, rng, exposure=exposure, exclude=exclude)
        hashes = shown_hashes(drawn)
        window.append(hashes)
        exposure.update(hashes)
        if len(window) > bp.exposure_window:
            exposure.subtract(window.popleft())
        if len(window) == bp.exposure_window:
            top = max(exposure.values(), default=0)
            max_window_share = max(max_window_share, top / bp.exposure_window)
        shown_total.update(hashes)
        attempts += 1
        return drawn

    for n in range(takers):
        drawn = draw(set())
        for name, rater in raters.items():
            result = score_attempt(drawn, answer_attempt(drawn, rater, rng), cfg)
            passed[name] += result.passed
            if name == "careful":
                for tier, stats in result.per_tier.items():
                    bar, n_eff = stats["bar"], stats["n_eff"]
                    se = (bar * (1 - bar) / n_eff) ** 0.5
                    effective[tier].append(bar - cfg.tier_tolerance_z * se)
        if n % RETAKE_EVERY == 0:
            first = shown_hashes(drawn)
            again = draw(first)
            overlap_seen += len(first & shown_hashes(again))
            overlap_total += len(shown_hashes(again))
    return {
        "takers": takers,
        "track": bp.track if bp.language is None else f"{bp.track}:{bp.language}",
        "pass_rate": {name: round(passed[name] / takers, 4) for name in raters},
        "max_item_share": round(max(shown_total.values(), default=0) / attempts, 4),
        "max_item_share_window": round(max_window_share, 4),
        "retake_overlap": round(overlap_seen / overlap_total, 4) if overlap_total else 0.0,
        "attempts_drawn": attempts,
        "items_per_attempt": bp.n_items,
        "bars": {
            "sources": dict(sorted(cfg.source_bars.items())) or shipped_bars(),
            "effective": {
                tier: round(sum(v) / len(v), 4) if v else None for tier, v in effective.items()
            },
            "min_gold_agreement": cfg.min_gold_agreement,
            "pass_score": cfg.pass_score,
        },
    }
