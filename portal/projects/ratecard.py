"""Hourly rate quotes from a configurable rate card (pure: no Flask, no database).

A quote is ``base + experience step + labelling step + assessment step + location tier``, each
part an integer number of cents, then clamped to the project's rate band. For every dimension only
the highest step reached counts (steps are not cumulative), so "6+ years" replaces "3+ years".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

from portal.money import format_cents

# Hard-coded on purpose: this is the default card, not a registry. Anything not listed is tier C.
TIER_A_COUNTRIES = frozenset(
    {"US", "GB", "CA", "AU", "NZ", "IE", "CH", "DE", "NL", "BE", "LU", "AT", "DK", "SE", "NO",
     "FI", "IS", "SG"}
)  # fmt: skip
TIER_B_COUNTRIES = frozenset(
    {"FR", "ES", "IT", "PT", "JP", "KR", "IL", "AE", "HK", "TW", "EE", "CZ", "SI", "PL", "LT",
     "LV", "SK", "HR", "GR", "CY", "MT", "QA", "SA"}
)  # fmt: skip


def _default_tiers() -> dict[str, str]:
    tiers = {code: "A" for code in TIER_A_COUNTRIES}
    tiers.update({code: "B" for code in TIER_B_COUNTRIES})
    return tiers


@dataclass(frozen=True)
class Step:
    """Adds ``bonus_cents`` once a measure reaches ``threshold``; ``label`` finishes the reason."""

    threshold: float
    bonus_cents: int
    label: str


@dataclass(frozen=True)
class RateCard:
    """The pricing rules; every amount is integer cents in ``currency``."""

    base_cents: int = 2500
    currency: str = "USD"
    experience_steps: tuple[Step, ...] = (
        Step(3, 100, "3+ years of experience"),
        Step(6, 200, "6+ years of experience"),
        Step(10, 300, "10+ years of experience"),
    )
    labelling_steps: tuple[Step, ...] = (
        Step(6, 100, "6+ months of labelling experience"),
        Step(18, 200, "18+ months of labelling experience"),
    )
    score_steps: tuple[Step, ...] = (
        Step(85, 100, "an assessment score of 85+"),
        Step(95, 200, "an assessment score of 95+"),
    )
    country_tiers: Mapping[str, str] = field(default_factory=_default_tiers)
    tier_adjust_cents: Mapping[str, int] = field(
        default_factory=lambda: {"A": 300, "B": 100, "C": 0}
    )
    default_tier: str = "C"

    def tier_for(self, country: str) -> str:
        """The location tier of an ISO 3166-1 alpha-2 country code (any case)."""
        return self.country_tiers.get(country.strip().upper(), self.default_tier)


class RatedPerson(Protocol):
    """What a quote reads; ``matching.CandidateFeatures`` satisfies it."""

    @property
    def country(self) -> str: ...
    @property
    def years_experience(self) -> float: ...
    @property
    def labelling_months(self) -> int: ...
    @property
    def overall_score(self) -> float: ...


@dataclass(frozen=True)
class RateQuote:
    cents: int
    reasons: list[str]
    currency: str = "USD"


def _best_step(steps: tuple[Step, ...], measure: float) -> Step | None:
    reached = [step for step in steps if measure >= step.threshold]
    return max(reached, key=lambda step: step.threshold) if reached else None


def quote_rate(
    card: RateCard, person: RatedPerson, project_band: tuple[int, int] | None = None
) -> RateQuote:
    """Quote ``person``'s hourly rate in cents, clamped to ``project_band`` (min, max) if given."""
    if project_band is not None:
        low, high = project_band
        if low < 0 or high < low:
            raise ValueError(f"invalid rate band {project_band!r}")

    def money(amount: int) -> str:
        return format_cents(amount, card.currency)

    cents = card.base_cents
    reasons = [f"Base {money(card.base_cents)}"]
    for steps, measure in (
        (card.experience_steps, person.years_experience),
        (card.labelling_steps, person.labelling_months),
        (card.score_steps, person.overall_score),
    ):
        step = _best_step(steps, measure)
        if step is not None and step.bonus_cents:
            cents += step.bonus_cents
            sign = "+" if step.bonus_cents > 0 else ""
            reasons.append(f"{sign}{money(step.bonus_cents)} for {step.label}")
    country = person.country.strip().upper()
    tier = card.tier_for(country)
    adjust = card.tier_adjust_cents.get(tier, 0)
    if adjust:
        cents += adjust
        sign = "+" if adjust > 0 else ""
        reasons.append(f"{sign}{money(adjust)} for location tier {tier} ({country})")
    else:
        reasons.append(f"No location adjustment (tier {tier}, {country})")
    if project_band is not None:
        low, high = project_band
        if cents > high:
            reasons.append(f"Clamped to the project's maximum {money(high)}")
            cents = high
        elif cents < low:
            reasons.append(f"Raised to the project's minimum {money(low)}")
            cents = low
    return RateQuote(cents=cents, reasons=reasons, currency=card.currency)
