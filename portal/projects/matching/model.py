"""The scoring rule, readable: candidate features, project requirements, weights, ``explain``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from portal import domains as vocabulary
from portal.money import format_cents

YEARS_FOR_FULL_CREDIT = 10.0
LABELLING_MONTHS_FOR_FULL_CREDIT = 24.0


@lru_cache(maxsize=4096)
def _domain_key(name: str) -> str:
    """The vocabulary key of a domain name, or the name (a pool repeats a few names many times)."""
    return vocabulary.normalise(name) or name


def _domains(values: Iterable[str]) -> frozenset[str]:
    """Domain names on the shared vocabulary's keys ("Medicine & health" -> "medicine")."""
    return frozenset(_domain_key(v) for v in _names(values))


def _domain_map(values: Mapping[str, float]) -> dict[str, float]:
    return {_domain_key(k.strip().lower()): float(v) for k, v in values.items()}


def _names(values: Iterable[str]) -> frozenset[str]:
    return frozenset(v.strip().lower() for v in values if v and v.strip())


def _codes(values: Iterable[str]) -> frozenset[str]:
    return frozenset(v.strip().upper() for v in values if v and v.strip())


@dataclass(frozen=True)
class CandidateFeatures:
    """What matching knows about one person; sets and keys are normalised on construction."""

    id: int
    country: str
    utc_offset_hours: float
    domains: frozenset[str]
    skills: frozenset[str]
    languages: frozenset[str]
    overall_score: float
    domain_scores: Mapping[str, float]
    passed: bool
    years_experience: float
    labelling_months: int
    weekly_hours: float
    booked_hours: float
    desired_rate_cents: int

    def __post_init__(self) -> None:
        object.__setattr__(self, "country", self.country.strip().upper())
        object.__setattr__(self, "domains", _domains(self.domains))
        object.__setattr__(self, "skills", _names(self.skills))
        object.__setattr__(self, "languages", _names(self.languages))
        object.__setattr__(self, "domain_scores", _domain_map(self.domain_scores))

    @property
    def remaining_hours(self) -> float:
        """Weekly hours not yet booked (never negative)."""
        return max(self.weekly_hours - self.booked_hours, 0.0)


@dataclass(frozen=True)
class ProjectRequirements:
    """What a project asks for.

    ``languages`` are all required; ``allowed_countries`` empty means any country;
    ``timezone_window`` is an inclusive (from, to) range of UTC offsets in hours, wrapping round
    the date line when from > to, or None for any timezone.
    """

    id: int
    domains: frozenset[str] = frozenset()
    skills: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()
    min_score: float = 0.0
    domain_min_scores: Mapping[str, float] = field(default_factory=dict)
    hours_band: tuple[float, float] = (10.0, 20.0)
    rate_band_cents: tuple[int, int] = (2500, 3500)
    allowed_countries: frozenset[str] = frozenset()
    timezone_window: tuple[float, float] | None = None
    headcount: int = 1
    seats_filled: int = 0

    def __post_init__(self) -> None:
        object.__setattr__(self, "domains", _domains(self.domains))
        object.__setattr__(self, "skills", _names(self.skills))
        object.__setattr__(self, "languages", _names(self.languages))
        object.__setattr__(self, "allowed_countries", _codes(self.allowed_countries))
        object.__setattr__(self, "domain_min_scores", _domain_map(self.domain_min_scores))
        low, high = self.hours_band
        if low < 0 or high < low:
            raise ValueError(f"project {self.id}: invalid hours band {self.hours_band!r}")
        low_rate, high_rate = self.rate_band_cents
        if low_rate < 0 or high_rate < low_rate:
            raise ValueError(f"project {self.id}: invalid rate band {self.rate_band_cents!r}")

    @property
    def open_seats(self) -> int:
        return max(self.headcount - self.seats_filled, 0)


@dataclass(frozen=True)
class MatchWeights:
    """Relative weights of the soft factors; only their proportions matter."""

    domains: float = 30.0
    skills: float = 20.0
    score: float = 25.0
    experience: float = 10.0
    availability: float = 10.0
    rate: float = 5.0

    def normalised(self) -> dict[str, float]:
        """Factor name -> weight as a fraction of the total, in display order."""
        raw = {
            "domains": self.domains,
            "skills": self.skills,
            "score": self.score,
            "experience": self.experience,
            "availability": self.availability,
            "rate": self.rate,
        }
        if any(w < 0 for w in raw.values()) or sum(raw.values()) <= 0:
            raise ValueError("match weights must be non-negative and not all zero")
        total = sum(raw.values())
        return {name: w / total for name, w in raw.items()}


DEFAULT_WEIGHTS = MatchWeights()


@dataclass(frozen=True)
class Factor:
    name: str
    weight: float  # fraction of the total weight, 0-1
    value: float  # how well this factor is met, 0-1
    contribution: float  # points out of 100: 100 * weight * value
    reason: str


@dataclass(frozen=True)
class MatchExplanation:
    """``score`` is 0 when not eligible; the factors still show what the score would have been."""

    eligible: bool
    score: float
    factors: list[Factor]
    failed_constraints: list[str]


def _num(x: float) -> str:
    return f"{x:g}"


def _utc(offset: float) -> str:
    return f"UTC{offset:+g}"


def _in_window(offset: float, window: tuple[float, float]) -> bool:
    start, end = window
    if start <= end:
        return start <= offset <= end
    return offset >= start or offset <= end


def _failed_constraints(c: CandidateFeatures, p: ProjectRequirements) -> list[str]:
    failed = []
    if not c.passed:
        failed.append("Has not passed the assessment")
    if not c.overall_score >= p.min_score:
        failed.append(
            f"Overall score {_num(c.overall_score)} is below the minimum {_num(p.min_score)}"
        )
    for domain, minimum in sorted(p.domain_min_scores.items()):
        got = c.domain_scores.get(domain)
        if got is None:
            failed.append(f"No {domain} score (minimum {_num(minimum)})")
        elif not got >= minimum:
            failed.append(f"{domain} score {_num(got)} is below the minimum {_num(minimum)}")
    if p.allowed_countries and c.country not in p.allowed_countries:
        allowed = ", ".join(sorted(p.allowed_countries))
        failed.append(f"Country {c.country or '(unknown)'} is not allowed (allowed: {allowed})")
    if p.timezone_window is not None and not _in_window(c.utc_offset_hours, p.timezone_window):
        start, end = p.timezone_window
        window = f"{_utc(start)} to {_utc(end)}"
        failed.append(f"{_utc(c.utc_offset_hours)} is outside the timezone window {window}")
    missing_languages = p.languages - c.languages
    if missing_languages:
        failed.append(f"Does not speak: {', '.join(sorted(missing_languages))}")
    if not c.remaining_hours >= p.hours_band[0]:
        failed.append(
            f"Only {_num(c.remaining_hours)} h/week free; "
            f"the project needs at least {_num(p.hours_band[0])}"
        )
    if c.desired_rate_cents > p.rate_band_cents[1]:
        failed.append(
            f"Asks {format_cents(c.desired_rate_cents)}/h, "
            f"above the band maximum {format_cents(p.rate_band_cents[1])}"
        )
    return failed


def _overlap_reason(noun: str, have: frozenset[str], want: frozenset[str]) -> str:
    if not want:
        return f"The project lists no {noun}"
    hit, miss = sorted(have & want), sorted(want - have)
    text = f"Covers {len(hit)} of {len(want)} project {noun}"
    if hit:
        text += f" ({', '.join(hit)})"
    if miss:
        text += f"; missing {', '.join(miss)}"
    return text


def _factor_values(c: CandidateFeatures, p: ProjectRequirements) -> dict[str, float]:
    # Keep in step with score_pool: same operations in the same order.
    domains = len(c.domains & p.domains) / len(p.domains) if p.domains else 1.0
    skills = len(c.skills & p.skills) / len(p.skills) if p.skills else 1.0
    score = min(max(c.overall_score / 100.0, 0.0), 1.0)
    years = min(max(c.years_experience / YEARS_FOR_FULL_CREDIT, 0.0), 1.0)
    months = min(max(c.labelling_months / LABELLING_MONTHS_FOR_FULL_CREDIT, 0.0), 1.0)
    experience = 0.5 * years + 0.5 * months
    max_hours = p.hours_band[1]
    availability = min(c.remaining_hours / max_hours, 1.0) if max_hours > 0 else 1.0
    low, high = p.rate_band_cents
    if high > low:
        rate = min(max((high - c.desired_rate_cents) / (high - low), 0.0), 1.0)
    else:
        rate = 1.0 if c.desired_rate_cents <= high else 0.0
    return {
        "domains": domains,
        "skills": skills,
        "score": score,
        "experience": experience,
        "availability": availability,
        "rate": rate,
    }


def explain(
    candidate: CandidateFeatures,
    project: ProjectRequirements,
    weights: MatchWeights = DEFAULT_WEIGHTS,
) -> MatchExplanation:
    """Score one candidate for one project, with a reason per factor and every failed constraint."""
    c, p = candidate, project
    values = _factor_values(c, p)
    low, high = p.rate_band_cents
    reasons = {
        "domains": _overlap_reason("domains", c.domains, p.domains),
        "skills": _overlap_reason("skills", c.skills, p.skills),
        "score": f"Assessment score {_num(c.overall_score)}/100",
        "experience": (
            f"{_num(c.years_experience)} years of experience, "
            f"{c.labelling_months} months of labelling"
        ),
        "availability": (
            f"{_num(c.remaining_hours)} h/week free; the project takes up to "
            f"{_num(p.hours_band[1])}"
        ),
        "rate": (
            f"Asks {format_cents(c.desired_rate_cents)}/h; "
            f"band {format_cents(low)}-{format_cents(high)}"
        ),
    }
    factors = []
    total = 0.0
    for name, weight in weights.normalised().items():
        contribution = 100.0 * weight * values[name]
        total += contribution
        factors.append(Factor(name, weight, values[name], contribution, reasons[name]))
    failed = _failed_constraints(c, p)
    eligible = not failed
    return MatchExplanation(eligible, total if eligible else 0.0, factors, failed)
