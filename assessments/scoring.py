"""Pure scoring of an attempt: agreement with gold (direction and margin, Kendall tau-b on
rankings), gates on attention checks, flags and self-consistency, graded rationales → a 0-100
score, a breakdown and a pass/fail decision.

The score is agreement with gold only (strength-weighted credit, 0-100), plus the rationale grade
once a reviewer has graded the rationales: attention checks, flags and consistency are gates, not
points, so nothing in the score is free for a careful taker.

Bars: each item's bar comes from the measured human agreement of its source (``bars.py``,
``bank/bars.json``); a tier's bar is its items' bars weighted like the items. Because an attempt
holds only a dozen or so items per tier, a tier fails only when its direction agreement is clearly
below its bar: ``observed < bar - z * sqrt(bar(1-bar)/n_eff)`` (n_eff is the Kish effective size
of the strength-weighted items). See ``simulate.py`` for the measured effect on taker profiles.
"""

from __future__ import annotations

import hashlib
import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import Any

from assessments import domains
from assessments.bars import shipped_bars, source_key, weighted_bar
from assessments.draw import DrawnItem
from assessments.items import ItemValidationError, get_kind, pairwise_credit

RUBRIC_MAX = 2  # rationale grade 0-2: names the criterion, cites evidence, consistent with choice


@dataclass(frozen=True)
class ScoringConfig:
    """Bars, gates and weights; every threshold is configurable."""

    source_bars: Mapping[str, float] = field(default_factory=shipped_bars)
    tier_tolerance_z: float = 1.28
    min_gold_agreement: float = 0.75  # direction agreement over all gold items
    min_attention_rate: float = 1.0
    min_broken_flag_rate: float = 0.5
    min_consistency: float = 0.6
    min_rationale_grade: float = 0.5  # mean grade / RUBRIC_MAX, once graded
    pass_score: float = 70.0
    false_flag_penalty: float = 1.5  # points per good item flagged
    min_strength_weight: float = 0.1
    rationale_weight: float = 0.10  # share of the score the rationale grade takes once graded
    min_domain_items: int = 6  # a per-domain score is reported only on this many items


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
    rationale_ok: bool | None  # graded 1-2 (None until graded, or when not required)
    detail: dict[str, Any] = field(default_factory=dict)
    source: str = ""
    rationale_grade: float | None = None
    version: int = 1  # the item's version (statistics are per version)


@dataclass
class AttemptScore:
    """Overall score, pass/fail with reasons, and the breakdown."""

    score: float
    passed: bool
    reasons: list[str]
    components: dict[str, float | None]
    per_tier: dict[str, dict[str, float]]
    per_kind: dict[str, dict[str, float]]
    per_domain: dict[str, dict[str, Any]]
    items: list[ItemResult]
    cycles: list[list[str]]
    false_flags: int
    rationales_graded: bool = True
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready breakdown (what a DB layer stores beside the score)."""
        return asdict(self)


def _rate(rs: Sequence[ItemResult], attr: str = "credit") -> float | None:
    total = sum(r.weight for r in rs)
    return sum(r.weight * float(getattr(r, attr)) for r in rs) / total if total else None


def _group(results: list[ItemResult], key: str, min_items: int = 0) -> dict[str, dict[str, Any]]:
    groups: dict[str, list[ItemResult]] = defaultdict(list)
    for r in results:
        groups[getattr(r, key)].append(r)
    out: dict[str, dict[str, Any]] = {}
    for k, rs in sorted(groups.items()):
        reported = len(rs) >= min_items
        rate = _rate(rs)
        out[k] = {
            "agreement": round(rate, 4) if reported and rate is not None else None,
            "items": len(rs),
        }
    return out


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


def _edges(item: Any, value: Any) -> list[tuple[str, str]]:
    nodes = [_node(item.prompt, r) for r in item.responses]
    if item.kind == "pairwise" and value:
        return [(nodes[0], nodes[1]) if value < 0 else (nodes[1], nodes[0])]
    if item.kind == "ranking":
        return [
            (nodes[i], nodes[j]) for i, a in enumerate(value) for j, b in enumerate(value) if a < b
        ]
    return []


def _role(d: DrawnItem) -> str:
    if d.repeat_of is not None:
        return "repeat"
    if d.item.attention_check:
        return "attention"
    return "broken" if d.item.known_broken else "gold"


def score_attempt(
    drawn: Sequence[DrawnItem],
    answers: Mapping[int, Mapping[str, Any]],
    config: ScoringConfig | None = None,
    rationale_grades: Mapping[int, float] | None = None,
) -> AttemptScore:
    """Score answers (keyed by position, in presented order as the browser sent them).

    ``rationale_grades`` (position → 0..2, from reviewers grading blind) replaces nothing until
    every required rationale is graded; until then the attempt notes "rationales not yet graded".
    """
    cfg = config or ScoringConfig()
    grades = dict(rationale_grades or {})
    results: list[ItemResult] = []
    canonical: dict[int, dict[str, Any]] = {}
    edges: list[tuple[str, str]] = []
    repeat_pairs: set[frozenset[str]] = set()
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
        role = _role(d)
        scored = kind.score(item, answer)
        credit, agree = scored.credit, scored.agree
        if role == "attention":
            strong = value is not None and (
                item.kind != "pairwise" or int(item.gold) == 0 or abs(value) >= 2
            )
            agree = bool(strong and agree and credit >= 0.75)
            credit = float(agree)
        elif role == "broken":
            agree, credit = flagged, float(flagged)
        required = item.rationale_required and role != "repeat"
        grade = grades.get(d.position) if required else None
        results.append(
            ItemResult(
                position=d.position,
                content_hash=item.content_hash,
                kind=item.kind,
                tier=item.tier,
                domain=domains.normalise(item.domain) or item.domain,
                role=role,
                answered=value is not None or flagged,
                flagged=flagged,
                credit=round(credit, 4),
                agree=agree,
                weight=max(cfg.min_strength_weight, item.gold_strength) if role == "gold" else 1.0,
                rationale_required=required,
                rationale_ok=None if grade is None else grade >= 1,
                detail=scored.detail,
                source=source_key(item.source, item.gold_strength),
                rationale_grade=grade,
                version=item.version,
            )
        )
        if role in ("gold", "repeat") and value is not None:
            new = _edges(item, value)
            edges += new
            if role == "repeat":
                repeat_pairs |= {frozenset(e) for e in new}

    gold = [r for r in results if r.role == "gold"]
    attention = [r for r in results if r.role == "attention"]
    broken = [r for r in results if r.role == "broken"]
    repeats = [d for d in drawn if d.repeat_of is not None]
    false_flags = sum(1 for r in gold if r.flagged)
    cycles = find_cycles(edges)
    # A reversed repeat is already an inconsistent repeat; any other cycle counts once more.
    extra_cycles = [c for c in cycles if not (len(c) == 2 and frozenset(c) in repeat_pairs)]
    consistent = sum(_consistent(canonical[d.repeat_of], canonical[d.position]) for d in repeats)
    checks = len(repeats) + len(extra_cycles)
    required = [r for r in results if r.rationale_required]
    graded = bool(required) and all(r.rationale_grade is not None for r in required)
    components: dict[str, float | None] = {
        "gold": _rate(gold),
        "gold_direction": _rate(gold, "agree"),
        "attention": sum(r.agree for r in attention) / len(attention) if attention else None,
        "broken": sum(r.agree for r in broken) / len(broken) if broken else None,
        "consistency": consistent / checks if checks else None,
        "rationale": sum(r.rationale_grade or 0 for r in required) / (RUBRIC_MAX * len(required))
        if graded
        else None,
    }
    gold_part = components["gold"] or 0.0
    if components["rationale"] is not None:
        w = cfg.rationale_weight
        score = 100.0 * ((1 - w) * gold_part + w * components["rationale"])
    else:
        score = 100.0 * gold_part
    score = max(0.0, min(100.0, score - cfg.false_flag_penalty * false_flags))

    reasons: list[str] = []
    per_tier = _group(gold, "tier")
    bars = dict(cfg.source_bars)
    for tier in sorted({r.tier for r in gold}):
        tier_items = [r for r in gold if r.tier == tier]
        w = [r.weight for r in tier_items]
        n_eff = sum(w) ** 2 / sum(x * x for x in w)
        bar = weighted_bar([r.source for r in tier_items], w, bars)
        observed = _rate(tier_items, "agree") or 0.0
        per_tier[tier].update(
            bar=round(bar, 4), n_eff=round(n_eff, 2), direction=round(observed, 4)
        )
        if not tier_passes(observed, bar, n_eff, cfg.tier_tolerance_z):
            reasons.append(f"{tier} agreement {observed:.0%} is below the {bar:.0%} bar")
    gates = (
        ("gold_direction", cfg.min_gold_agreement, "agreement with gold"),
        ("attention", cfg.min_attention_rate, "attention checks passed"),
        ("broken", cfg.min_broken_flag_rate, "broken items flagged"),
        ("consistency", cfg.min_consistency, "self-consistency on repeats and cycles"),
        ("rationale", cfg.min_rationale_grade, "rationale grade"),
    )
    for key, minimum, label in gates:
        value = components[key]
        if value is not None and value < minimum:
            reasons.append(f"{label} {value:.0%} is below {minimum:.0%}")
    if score < cfg.pass_score:
        reasons.append(f"score {score:.1f} is below {cfg.pass_score:.0f}")
    notes = ["rationales not yet graded"] if required and not graded else []
    return AttemptScore(
        score=round(score, 2),
        passed=not reasons,
        reasons=reasons,
        components={k: None if v is None else round(v, 4) for k, v in components.items()},
        per_tier=per_tier,
        per_kind=_group(gold, "kind"),
        per_domain=_group(gold, "domain", cfg.min_domain_items),
        items=results,
        cycles=cycles,
        false_flags=false_flags,
        rationales_graded=graded or not required,
        notes=notes,
    )
