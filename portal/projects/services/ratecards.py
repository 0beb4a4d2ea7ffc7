"""The rate card: stored versions, the current card, quotes for a person on a project."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select

from portal import audit
from portal.extensions import db
from portal.models import (
    Project,
    RateCardConfig,
    User,
)
from portal.projects import matching
from portal.projects.ratecard import RateCard, RateQuote, Step, quote_rate


def card_to_dict(card: RateCard) -> dict[str, Any]:
    """The rate card as JSON-ready data (what RateCardConfig stores)."""

    def steps(items: Iterable[Step]) -> list[list[Any]]:
        return [[s.threshold, s.bonus_cents, s.label] for s in items]

    tiers: dict[str, list[str]] = defaultdict(list)
    for country, tier in sorted(card.country_tiers.items()):
        tiers[tier].append(country)
    return {
        "base_cents": card.base_cents,
        "currency": card.currency,
        "experience_steps": steps(card.experience_steps),
        "labelling_steps": steps(card.labelling_steps),
        "score_steps": steps(card.score_steps),
        "country_tiers": dict(tiers),
        "tier_adjust_cents": dict(card.tier_adjust_cents),
        "default_tier": card.default_tier,
    }


def card_from_dict(data: dict[str, Any]) -> RateCard:
    """Rebuild a RateCard from `card_to_dict` data."""

    def steps(rows: list[list[Any]]) -> tuple[Step, ...]:
        return tuple(Step(float(t), int(b), str(label)) for t, b, label in rows)

    tiers = {
        country: tier
        for tier, countries in data.get("country_tiers", {}).items()
        for country in countries
    }
    return RateCard(
        base_cents=int(data["base_cents"]),
        currency=data.get("currency", "USD"),
        experience_steps=steps(data.get("experience_steps", [])),
        labelling_steps=steps(data.get("labelling_steps", [])),
        score_steps=steps(data.get("score_steps", [])),
        country_tiers=tiers,
        tier_adjust_cents={k: int(v) for k, v in data.get("tier_adjust_cents", {}).items()},
        default_tier=data.get("default_tier", "C"),
    )


def current_rate_card() -> RateCard:
    """The newest saved rate card, or the built-in default."""
    row = db.session.scalar(
        select(RateCardConfig).order_by(RateCardConfig.created_at.desc(), RateCardConfig.id.desc())
    )
    return card_from_dict(row.data) if row is not None else RateCard()


def save_rate_card(card: RateCard, *, actor: User | None) -> RateCardConfig:
    """Store a new version of the rate card (older versions stay for the record) and commit."""
    row = RateCardConfig(data=card_to_dict(card), created_by_id=actor.id if actor else None)
    db.session.add(row)
    db.session.flush()
    audit.record(
        "ratecard.saved", actor=actor, subject_type="rate_card", subject_id=row.id, **row.data
    )
    db.session.commit()
    return row


EXAMPLE_PERSON = matching.CandidateFeatures(
    id=0,
    country="FR",
    utc_offset_hours=1,
    domains=frozenset(),
    skills=frozenset(),
    languages=frozenset(),
    overall_score=88,
    domain_scores={},
    passed=True,
    years_experience=7,
    labelling_months=8,
    weekly_hours=20,
    booked_hours=0,
    desired_rate_cents=3000,
)


def quote_for(
    project: Project, features: matching.CandidateFeatures, card: RateCard | None = None
) -> RateQuote:
    """The rate card's hourly rate for a person on a project, clamped to its band."""
    return quote_rate(
        card or current_rate_card(),
        features,
        project_band=(project.rate_min_cents, project.rate_max_cents),
    )
