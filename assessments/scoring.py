"""Pure scoring of an attempt: agreement with gold, attention checks, flags, consistency,
rationales → an overall 0-100 score, a breakdown and a pass/fail decision.

Calibration: careful experts agree ~94% on objective pairs (LLMBar) and ~73-81% on subjective
pairs, so the bars are ~85% objective and ~72% consensus. A bar is the accuracy a qualified rater
should have; because an attempt holds only a dozen or so items per tier, a tier fails only when
the observed agreement is clearly below its bar: ``observed < bar - z * sqrt(bar(1-bar)/n_eff)``
(n_eff is the Kish effective size of the strength-weighted items). A separate bar on overall
gold agreement keeps chance-level raters out (see tests/assessments/test_assess_simulation.py).
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import Any

from assessments.draw import DrawnItem
from assessments.items import ItemValidationError, get_kind, pairwise_credit


@dataclass(frozen=True)
class ScoringConfig:
    """Weights and pass thresholds; every bar is configurable."""

    objective_bar: float = 0.85
    consensus_bar: float = 0.72
    tier_tolerance_z: float = 1.28
    min_gold_agreement: float = 0.70
    min_attention_rate: float = 1.0
    min_broken_flag_rate: float = 0.5
    min_consistency: float = 0.6
    min_rationale_rate: float = 0.75
    min_rationale_words: int = 20
    pass_score: float = 65.0
    false_flag_penalty: float = 1.5  # points per good item flagged
    min_strength_weight: float = 0.1
    weights: Mapping[str, float] = field(
        default_factory=lambda: {
            "gold": 0.70,
            "attention": 0.10,
            "broken": 0.10,
            "consistency": 0.05,
            "rationale": 0.05,
        }
    )


@dataclass
class ItemResult:
    """The outcome at one position."""

    position: int
    content_hash: str
    kind: str
    tier: str
    domain: str
    role: str  # gold | attention | broken | repeat
    answered: bool
    flagged: bool
    credit: float
    agree: bool
    weight: float
    rationale_required: bool
    rationale_ok: bool | None
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass
class AttemptScore:
    """Overall score, pass/fail with reasons, and the breakdown."""

    score: float
    passed: bool
    reasons: list[str]
    components: dict[str, float | None]
    per_tier: dict[str, dict[str, float]]
    per_kind: dict[str, dict[str, float]]
    per_domain: dict[str, dict[str, float]]
    items: list[ItemResult]
    cycles: list[list[str]]
    false_flags: int

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready breakdown (what a DB layer stores beside the score)."""
        return asdict(self)


def _words(text: str | None) -> int:
    return len((text or "").split())


def _norm(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()


def _group(results: list[ItemResult], key: str) -> dict[str, dict[str, float]]:
    sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0])
    for r in results:
        s = sums[getattr(r, key)]
        s[0] += r.weight * r.credit
        s[1] += r.weight
        s[2] += 1
    return {
        k: {"agreement": round(v[0] / v[1], 4) if v[1] else 0.0, "items": v[2]}
        for k, v in sorted(sums.items())
    }


@lru_cache(maxsize=4096)
def _node(prompt: str, response: str) -> str:
    return hashlib.sha256(f"{prompt}\0{response}".encode()).hexdigest()[:16]


def find_cycles(edges: Sequence[tuple[str, str]]) -> list[list[str]]:
    """Strongly connected groups of two or more nodes in a "better than" graph (Tarjan)."""
    graph: dict[str, set[str]] = defaultdict(set)
    for a, b in edges:
        graph[a].add(b)
        graph.setdefault(b, set())
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                out.append(sorted(group))

    for v in list(graph):
        if v not in index:
            visit(v)
    return out


def _consistent(first: Mapping[str, Any], again: Mapping[str, Any]) -> bool:
    a, b = first.get("choice"), again.get("choice")
    if a is None or b is None:
        return False
    return pairwise_credit(a, b) >= 0.5 if a != 0 else abs(b) <= 1


def tier_passes(observed: float, bar: float, n_eff: float, z: float) -> bool:
    """True unless ``observed`` is clearly (z standard errors) below ``bar``."""
    if n_eff <= 0:
        return True
    return observed >= bar - z * math.sqrt(bar * (1 - bar) / n_eff)


def score_attempt(
    drawn: Sequence[DrawnItem],
    answers: Mapping[int, Mapping[str, Any]],
    config: ScoringConfig | None = None,
) -> AttemptScore:
    """Score answers (keyed by position, in presented order as the browser sent them)."""
    cfg = config or ScoringConfig()
    results: list[ItemResult] = []
    canonical: dict[int, dict[str, Any]] = {}
    edges: list[tuple[str, str]] = []
    seen_rationales: set[str] = set()
    for d in sorted(drawn, key=lambda d: d.position):
        item, kind = d.item, get_kind(d.item.kind)
        raw = answers.get(d.position)
        answer: dict[str, Any] = {}
        if raw is not None:
            try:
                answer = kind.to_canonical(item, raw, d.permutation)
            except ItemValidationError as exc:
                answer = {"invalid": str(exc)}
        canonical[d.position] = answer
        flagged = bool(answer.get("flag"))
        value = answer.get(kind.answer_key)
        answered = value is not None or flagged
        role = (
            "repeat"
            if d.repeat_of is not None
            else "attention"
            if item.attention_check
            else "broken"
            if item.known_broken
            else "gold"
        )
        scored = kind.score(item, answer)
        credit, agree = scored.credit, scored.agree
        if role == "attention":
            strong = value is not None and (item.kind != "pairwise" or (agree and abs(value) >= 2))
            agree = bool(strong and scored.credit >= 0.75)
            credit = float(agree)
        elif role == "broken":
            agree, credit = flagged, float(flagged)
        rationale_ok = None
        if item.rationale_required and role != "repeat":
            text = answer.get("rationale") or ""
            key = _norm(text)
            rationale_ok = _words(text) >= cfg.min_rationale_words and key not in seen_rationales
            seen_rationales.add(key)
        results.append(
            ItemResult(
                position=d.position,
                content_hash=item.content_hash,
                kind=item.kind,
                tier=item.tier,
                domain=item.domain,
                role=role,
                answered=answered,
                flagged=flagged,
                credit=round(credit, 4),
                agree=agree,
                weight=max(cfg.min_strength_weight, item.gold_strength) if role == "gold" else 1.0,
                rationale_required=item.rationale_required,
                rationale_ok=rationale_ok,
                detail=scored.detail,
            )
        )
        if role == "gold" and value is not None:
            nodes = [_node(item.prompt, r) for r in item.responses]
            if item.kind == "pairwise" and value != 0:
                edges.append((nodes[0], nodes[1]) if value < 0 else (nodes[1], nodes[0]))
            elif item.kind == "ranking":
                for i, a in enumerate(value):
                    for j, b in enumerate(value):
                        if a < b:
                            edges.append((nodes[i], nodes[j]))

    gold = [r for r in results if r.role == "gold"]
    attention = [r for r in results if r.role == "attention"]
    broken = [r for r in results if r.role == "broken"]
    repeats = [d for d in drawn if d.repeat_of is not None]
    false_flags = sum(1 for r in gold if r.flagged)

    def rate(rs: list[ItemResult]) -> float | None:
        total = sum(r.weight for r in rs)
        return sum(r.weight * r.credit for r in rs) / total if total else None

    consistency = (
        sum(_consistent(canonical[d.repeat_of], canonical[d.position]) for d in repeats)
        / len(repeats)
        if repeats
        else None
    )
    required = [r for r in results if r.rationale_ok is not None]
    components: dict[str, float | None] = {
        "gold": rate(gold),
        "attention": sum(r.agree for r in attention) / len(attention) if attention else None,
        "broken": sum(r.agree for r in broken) / len(broken) if broken else None,
        "consistency": consistency,
        "rationale": sum(bool(r.rationale_ok) for r in required) / len(required)
        if required
        else None,
    }
    present = {k: v for k, v in components.items() if v is not None}
    weight_total = sum(cfg.weights[k] for k in present) or 1.0
    score = 100.0 * sum(cfg.weights[k] * v for k, v in present.items()) / weight_total
    score = max(0.0, min(100.0, score - cfg.false_flag_penalty * false_flags))

    reasons: list[str] = []
    per_tier = _group(gold, "tier")
    for tier, bar in (("objective", cfg.objective_bar), ("consensus", cfg.consensus_bar)):
        tier_items = [r for r in gold if r.tier == tier]
        if not tier_items:
            continue
        w = [r.weight for r in tier_items]
        n_eff = sum(w) ** 2 / sum(x * x for x in w)
        observed = rate(tier_items) or 0.0
        per_tier[tier]["bar"] = bar
        per_tier[tier]["n_eff"] = round(n_eff, 2)
        if not tier_passes(observed, bar, n_eff, cfg.tier_tolerance_z):
            reasons.append(f"{tier} agreement {observed:.0%} is below the {bar:.0%} bar")
    checks = (
        ("gold", cfg.min_gold_agreement, "agreement with gold"),
        ("attention", cfg.min_attention_rate, "attention checks passed"),
        ("broken", cfg.min_broken_flag_rate, "broken items flagged"),
        ("consistency", cfg.min_consistency, "self-consistency on repeated items"),
        ("rationale", cfg.min_rationale_rate, "required rationales written"),
    )
    for key, minimum, label in checks:
        value = components[key]
        if value is not None and value < minimum:
            reasons.append(f"{label} {value:.0%} is below {minimum:.0%}")
    if score < cfg.pass_score:
        reasons.append(f"score {score:.1f} is below {cfg.pass_score:.0f}")
    cycles = find_cycles(edges)
    return AttemptScore(
        score=round(score, 2),
        passed=not reasons,
        reasons=reasons,
        components={k: None if v is None else round(v, 4) for k, v in components.items()},
        per_tier=per_tier,
        per_kind=_group(gold, "kind"),
        per_domain=_group(gold, "domain"),
        items=results,
        cycles=cycles,
        false_flags=false_flags,
    )
