"""What a rule would do to one subject, as a pure function of the facts (no database, no clock).

The engine, the dry run and the month simulation all call :func:`decide`, so what a dry run
shows is what the engine does. Safety comes first: integrity signals, a score within the
binomial tolerance of a tier's bar, or a flagged resume send a *move* to a person, never through.
"""

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from portal.automation.kinds import ACTIONS, TRIGGERS

# The same z the assessment's pass/fail uses (assessments.scoring.ScoringConfig.tier_tolerance_z).
TOLERANCE_Z = 1.28


@dataclass(frozen=True)
class Facts:
    """Everything a rule may look at about one subject, read beforehand."""

    stage: str
    stage_changed_at: datetime
    now: datetime
    score: float | None = None
    per_tier: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    signals: Sequence[Mapping[str, Any]] = ()
    resume_flag: str | None = None
    seat: Mapping[str, Any] | None = None  # shortlisted_seat: the proposal's offer, if any


@dataclass(frozen=True)
class RuleView:
    """The parts of a rule that decide (an AutomationRule or a simulated one)."""

    trigger: str
    action: str
    days: int | None = None
    min_score: float | None = None
    delay_hours: int = 0


@dataclass(frozen=True)
class Decision:
    verdict: str  # "skip" (trigger does not hold) | "act" | "hold" (a person decides)
    reasons: tuple[tuple[str, str], ...] = ()  # (REVIEW_REASONS code, detail) when held
    due_at: datetime | None = None

    @property
    def acts(self) -> bool:
        return self.verdict == "act"


SKIP = Decision("skip")


def borderline_tiers(
    per_tier: Mapping[str, Mapping[str, Any]], z: float = TOLERANCE_Z
) -> list[str]:
    """Tiers whose agreement lies within z binomial standard errors of their bar (either side)."""
    out = []
    for tier, row in sorted(per_tier.items()):
        bar, n_eff, observed = row.get("bar"), row.get("n_eff"), row.get("direction")
        if bar is None or not n_eff or observed is None:
            continue
        tolerance = z * math.sqrt(bar * (1 - bar) / n_eff)
        if abs(observed - bar) <= tolerance:
            out.append(f"{tier} {observed:.0%} vs bar {bar:.0%} (±{tolerance:.0%})")
    return out


def safety_reasons(facts: Facts, z: float = TOLERANCE_Z) -> list[tuple[str, str]]:
    """Why this subject must go to a person whatever a rule says (empty: nothing in the way)."""
    reasons: list[tuple[str, str]] = []
    if facts.signals:
        kinds = sorted({str(s.get("kind")) for s in facts.signals})
        reasons.append(("integrity", ", ".join(kinds)))
    near = borderline_tiers(facts.per_tier, z)
    if near:
        reasons.append(("borderline", "; ".join(near)))
    if facts.resume_flag:
        reasons.append(("resume_flag", facts.resume_flag))
    return reasons


def trigger_holds(rule: RuleView, facts: Facts) -> bool:
    if facts.stage != TRIGGERS[rule.trigger][1]:
        return False
    if rule.trigger == "profile_incomplete":
        return facts.now - facts.stage_changed_at >= timedelta(days=rule.days or 0)
    if rule.trigger == "shortlisted_seat":
        return facts.seat is not None
    return True


def decide(rule: RuleView, facts: Facts, z: float = TOLERANCE_Z) -> Decision:
    """Skip, act (now or at ``due_at``) or hold for a person, with the reasons."""
    if not trigger_holds(rule, facts):
        return SKIP
    moves = ACTIONS[rule.action][1] is not None or rule.action == "offer_confirm"
    if moves:
        reasons = safety_reasons(facts, z)
        if reasons:
            return Decision("hold", tuple(reasons))
    if rule.min_score is not None and (facts.score is None or facts.score < rule.min_score):
        shown = "no score" if facts.score is None else f"score {facts.score:.1f}"
        return Decision("hold", (("below_rule", f"{shown} < {rule.min_score:g}"),))
    due = facts.now + timedelta(hours=rule.delay_hours) if rule.delay_hours else None
    return Decision("act", due_at=due)
