from dataclasses import dataclass

import pytest

from portal.money import format_cents
from portal.projects.matching import CandidateFeatures
from portal.projects.ratecard import RateCard, Step, quote_rate


@dataclass(frozen=True)
class Person:
    country: str = "IN"
    years_experience: float = 0.0
    labelling_months: int = 0
    overall_score: float = 70.0


CARD = RateCard()


def test_base_rate_only():
    quote = quote_rate(CARD, Person(), project_band=(2500, 3500))
    assert quote.cents == 2500
    assert quote.currency == "USD"
    assert quote.reasons == ["Base $25.00", "No location adjustment (tier C, IN)"]


def test_highest_step_counts_not_every_step():
    quote = quote_rate(CARD, Person(years_experience=7), project_band=(2500, 3500))
    assert quote.cents == 2700
    assert "+$2.00 for 6+ years of experience" in quote.reasons
    assert not any("3+ years" in reason for reason in quote.reasons)


def test_every_component_and_tier():
    person = Person(country="gb", years_experience=4, labelling_months=20, overall_score=90)
    quote = quote_rate(CARD, person, project_band=(2500, 3500))
    assert quote.cents == 2500 + 100 + 200 + 100 + 300
    assert quote.reasons == [
        "Base $25.00",
        "+$1.00 for 3+ years of experience",
        "+$2.00 for 18+ months of labelling experience",
        "+$1.00 for an assessment score of 85+",
        "+$3.00 for location tier A (GB)",
    ]


def test_clamped_to_maximum():
    person = Person(country="US", years_experience=12, labelling_months=30, overall_score=97)
    quote = quote_rate(CARD, person, project_band=(2500, 3200))
    assert quote.cents == 3200
    assert quote.reasons[-1] == "Clamped to the project's maximum $32.00"


def test_raised_to_minimum():
    quote = quote_rate(CARD, Person(), project_band=(3000, 4000))
    assert quote.cents == 3000
    assert quote.reasons[-1] == "Raised to the project's minimum $30.00"


def test_no_band_means_no_clamp():
    person = Person(country="US", years_experience=12, labelling_months=30, overall_score=97)
    quote = quote_rate(CARD, person)
    assert quote.cents == 2500 + 300 + 200 + 200 + 300  # the default card tops out at $35.00
    assert not any("project" in reason for reason in quote.reasons)


@pytest.mark.parametrize("band", [(3000, 2000), (-1, 100)])
def test_invalid_band(band):
    with pytest.raises(ValueError):
        quote_rate(CARD, Person(), project_band=band)


def test_custom_card_and_negative_adjustment():
    card = RateCard(
        base_cents=3000,
        currency="EUR",
        experience_steps=(Step(1, 50, "1+ year of experience"),),
        labelling_steps=(),
        score_steps=(),
        country_tiers={"PT": "B"},
        tier_adjust_cents={"A": 0, "B": -250, "C": -500},
    )
    quote = quote_rate(card, Person(country="PT", years_experience=1), project_band=(0, 10_000))
    assert quote.cents == 3000 + 50 - 250
    assert quote.currency == "EUR"
    assert quote.reasons == [
        "Base €30.00",
        "+€0.50 for 1+ year of experience",
        "-€2.50 for location tier B (PT)",
    ]


def test_candidate_features_can_be_quoted():
    candidate = CandidateFeatures(
        id=1,
        country="ca",
        utc_offset_hours=-5,
        domains=frozenset(),
        skills=frozenset(),
        languages=frozenset(),
        overall_score=96,
        domain_scores={},
        passed=True,
        years_experience=0,
        labelling_months=0,
        weekly_hours=20,
        booked_hours=0,
        desired_rate_cents=3000,
    )
    assert quote_rate(CARD, candidate, project_band=(2500, 3500)).cents == 2500 + 200 + 300


@pytest.mark.parametrize(
    ("cents", "text"), [(0, "$0.00"), (5, "$0.05"), (2500, "$25.00"), (-300, "-$3.00"),
                        (123456, "$1,234.56"), (None, "—")]
)  # fmt: skip
def test_format_cents(cents, text):
    assert format_cents(cents) == text
    assert format_cents(990, "CHF") == "9.90 CHF" and format_cents(990, "gbp") == "£9.90"
