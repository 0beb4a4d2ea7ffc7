"""Match contractors to client projects: explain, rank and assign (pure: no Flask, no database).

Three layers share one scoring rule:

- ``explain`` is the readable per-pair reference: hard constraints, then six soft factors, each a
  value in [0, 1] times a normalised weight, summed into a score out of 100.
- ``CandidatePool`` + ``score_pool`` compute the same numbers for a whole pool with numpy (sparse
  incidence matrices for domains, skills and languages); ``rank_candidates`` sits on top. The
  arithmetic is written in the same order as ``explain`` so the scores agree to the last bit.
- ``propose_assignment`` fills every open project at once with an optimal assignment, solved as
  an integer program (HiGHS through ``scipy.optimize.milp``) over pruned candidate lists.

Scores are on a 0-100 scale; assessment scores are expected on 0-100 too. Money is integer cents.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

from portal import domains as vocabulary
from portal.money import format_cents

YEARS_FOR_FULL_CREDIT = 10.0
LABELLING_MONTHS_FOR_FULL_CREDIT = 24.0


def _names(values: Iterable[str]) -> frozenset[str]:
    return frozenset(v.strip().lower() for v in values if v and v.strip())


def _domains(values: Iterable[str]) -> frozenset[str]:
    """Domain names on the shared vocabulary's keys ("Medicine & health" -> "medicine")."""
    return frozenset(vocabulary.normalise(v) or v.strip().lower() for v in _names(values))


def _domain_map(values: Mapping[str, float]) -> dict[str, float]:
    return {vocabulary.normalise(k) or k.strip().lower(): float(v) for k, v in values.items()}


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


def _incidence(rows: list[Iterable[str]], vocab: dict[str, int]) -> sparse.csr_matrix:
    indptr = [0]
    indices: list[int] = []
    for names in rows:
        for name in names:
            indices.append(vocab.setdefault(name, len(vocab)))
        indptr.append(len(indices))
    data = np.ones(len(indices), dtype=np.float64)
    return sparse.csr_matrix(
        (data, np.asarray(indices, dtype=np.int64), np.asarray(indptr, dtype=np.int64)),
        shape=(len(rows), max(len(vocab), 1)),
    )


@dataclass(frozen=True, eq=False)
class CandidatePool:
    """A column-oriented encoding of many candidates; build once, score against many projects."""

    ids: np.ndarray
    countries: np.ndarray  # int index into country_vocab, -1 for none
    utc_offsets: np.ndarray
    domains: sparse.csr_matrix  # candidates x domain_vocab, 1.0 where held
    skills: sparse.csr_matrix
    languages: sparse.csr_matrix
    overall_scores: np.ndarray
    domain_scores: np.ndarray  # candidates x score_vocab, NaN where missing
    passed: np.ndarray
    years: np.ndarray
    labelling_months: np.ndarray
    remaining_hours: np.ndarray
    desired_rates: np.ndarray
    country_vocab: dict[str, int]
    domain_vocab: dict[str, int]
    skill_vocab: dict[str, int]
    language_vocab: dict[str, int]
    score_vocab: dict[str, int]

    @classmethod
    def from_candidates(cls, candidates: Sequence[CandidateFeatures]) -> CandidatePool:
        """Encode ``candidates`` in the given order."""
        country_vocab: dict[str, int] = {}
        domain_vocab: dict[str, int] = {}
        skill_vocab: dict[str, int] = {}
        language_vocab: dict[str, int] = {}
        score_vocab: dict[str, int] = {}
        for c in candidates:
            for name in c.domain_scores:
                score_vocab.setdefault(name, len(score_vocab))
        domain_scores = np.full((len(candidates), len(score_vocab)), np.nan)
        for row, c in enumerate(candidates):
            for name, value in c.domain_scores.items():
                domain_scores[row, score_vocab[name]] = value
        countries = [country_vocab.setdefault(c.country, len(country_vocab)) for c in candidates]

        def column(attr: str, dtype: type) -> np.ndarray:
            return np.fromiter((getattr(c, attr) for c in candidates), dtype, len(candidates))

        return cls(
            ids=column("id", np.int64),
            countries=np.asarray(countries, dtype=np.int64),
            utc_offsets=column("utc_offset_hours", np.float64),
            domains=_incidence([c.domains for c in candidates], domain_vocab),
            skills=_incidence([c.skills for c in candidates], skill_vocab),
            languages=_incidence([c.languages for c in candidates], language_vocab),
            overall_scores=column("overall_score", np.float64),
            domain_scores=domain_scores,
            passed=column("passed", np.bool_),
            years=column("years_experience", np.float64),
            labelling_months=column("labelling_months", np.int64),
            remaining_hours=np.maximum(
                column("weekly_hours", np.float64) - column("booked_hours", np.float64), 0.0
            ),
            desired_rates=column("desired_rate_cents", np.int64),
            country_vocab=country_vocab,
            domain_vocab=domain_vocab,
            skill_vocab=skill_vocab,
            language_vocab=language_vocab,
            score_vocab=score_vocab,
        )

    def __len__(self) -> int:
        return len(self.ids)


def _hits(matrix: sparse.csr_matrix, vocab: dict[str, int], wanted: frozenset[str]) -> np.ndarray:
    """Per candidate, how many of ``wanted`` they hold (names nobody holds count for nobody)."""
    vector = np.zeros(matrix.shape[1])
    for name in wanted:
        if name in vocab:
            vector[vocab[name]] = 1.0
    return matrix @ vector


def _share(matrix: sparse.csr_matrix, vocab: dict[str, int], wanted: frozenset[str]) -> np.ndarray:
    return _hits(matrix, vocab, wanted) / len(wanted)


def score_pool(
    project: ProjectRequirements,
    pool: CandidatePool,
    weights: MatchWeights = DEFAULT_WEIGHTS,
) -> tuple[np.ndarray, np.ndarray]:
    """Vectorised ``explain``: (eligible mask, score per candidate; 0 where not eligible)."""
    p = project
    n = len(pool)
    eligible = pool.passed.copy()
    eligible &= pool.overall_scores >= p.min_score
    for domain, minimum in p.domain_min_scores.items():
        if domain in pool.score_vocab:
            eligible &= pool.domain_scores[:, pool.score_vocab[domain]] >= minimum
        else:
            eligible[:] = False
    if p.allowed_countries:
        allowed = [pool.country_vocab[c] for c in p.allowed_countries if c in pool.country_vocab]
        eligible &= np.isin(pool.countries, allowed)
    if p.timezone_window is not None:
        start, end = p.timezone_window
        after, before = pool.utc_offsets >= start, pool.utc_offsets <= end
        eligible &= (after & before) if start <= end else (after | before)
    if p.languages:
        spoken = _hits(pool.languages, pool.language_vocab, p.languages)
        eligible &= spoken == len(p.languages)
    eligible &= pool.remaining_hours >= p.hours_band[0]
    eligible &= pool.desired_rates <= p.rate_band_cents[1]

    one = np.ones(n)
    domains = _share(pool.domains, pool.domain_vocab, p.domains) if p.domains else one
    skills = _share(pool.skills, pool.skill_vocab, p.skills) if p.skills else one
    score = np.minimum(np.maximum(pool.overall_scores / 100.0, 0.0), 1.0)
    years = np.minimum(np.maximum(pool.years / YEARS_FOR_FULL_CREDIT, 0.0), 1.0)
    months = np.minimum(
        np.maximum(pool.labelling_months / LABELLING_MONTHS_FOR_FULL_CREDIT, 0.0), 1.0
    )
    experience = 0.5 * years + 0.5 * months
    max_hours = p.hours_band[1]
    availability = np.minimum(pool.remaining_hours / max_hours, 1.0) if max_hours > 0 else one
    low, high = p.rate_band_cents
    if high > low:
        rate = np.minimum(np.maximum((high - pool.desired_rates) / (high - low), 0.0), 1.0)
    else:
        rate = (pool.desired_rates <= high).astype(np.float64)
    values = {
        "domains": domains,
        "skills": skills,
        "score": score,
        "experience": experience,
        "availability": availability,
        "rate": rate,
    }
    total = np.zeros(n)
    for name, weight in weights.normalised().items():
        total += 100.0 * weight * values[name]
    return eligible, np.where(eligible, total, 0.0)


def _top(scores: np.ndarray, ids: np.ndarray, limit: int | None) -> np.ndarray:
    """Positions of the ``limit`` best scores, best first, ties broken by ascending id."""
    if limit is not None and limit < len(scores):
        if limit <= 0:
            return np.zeros(0, dtype=np.int64)
        kth = np.partition(scores, len(scores) - limit)[len(scores) - limit]
        keep = np.flatnonzero(scores >= kth)
    else:
        keep = np.arange(len(scores))
    order = np.lexsort((ids[keep], -scores[keep]))
    return keep[order[:limit]] if limit is not None else keep[order]


def rank_candidates(
    project: ProjectRequirements,
    candidates: Sequence[CandidateFeatures] | CandidatePool,
    limit: int | None = None,
    weights: MatchWeights = DEFAULT_WEIGHTS,
) -> list[tuple[int, float]]:
    """Eligible candidates for ``project`` as (candidate id, score), best first, ties by id."""
    pool = (
        candidates
        if isinstance(candidates, CandidatePool)
        else CandidatePool.from_candidates(candidates)
    )
    eligible, scores = score_pool(project, pool, weights)
    rows = np.flatnonzero(eligible)
    best = rows[_top(scores[rows], pool.ids[rows], limit)]
    return [(int(i), float(s)) for i, s in zip(pool.ids[best], scores[best], strict=True)]


def rank_projects(
    candidate: CandidateFeatures,
    projects: Sequence[ProjectRequirements],
    limit: int | None = None,
    weights: MatchWeights = DEFAULT_WEIGHTS,
) -> list[tuple[int, float]]:
    """Projects ``candidate`` is eligible for as (project id, score), best first, ties by id.

    Seats are not looked at: pass the projects that are open.
    """
    scored = []
    for project in projects:
        result = explain(candidate, project, weights)
        if result.eligible:
            scored.append((project.id, result.score))
    scored.sort(key=lambda pair: (-pair[1], pair[0]))
    return scored if limit is None else scored[: max(limit, 0)]


class Assignment(NamedTuple):
    candidate_id: int
    project_id: int
    hours: float
    score: float


@dataclass(frozen=True)
class Proposal:
    """The assignment, with its proof status.

    ``optimal`` is True when the total is proved to be the best possible over *all* eligible
    pairs; otherwise ``upper_bound`` (an LP bound over all eligible pairs) says how far from the
    optimum it can at most be.
    """

    assignments: list[Assignment]  # sorted by project id, then best score, then candidate id
    total_score: float
    unfilled: dict[int, int]  # project id -> seats left open (only projects with some)
    optimal: bool = True
    upper_bound: float = 0.0  # no assignment can score more than this


_TOL = 1e-7


def propose_assignment(
    candidates: Sequence[CandidateFeatures] | CandidatePool,
    projects: Sequence[ProjectRequirements],
    weights: MatchWeights = DEFAULT_WEIGHTS,
    shortlist: int = 10,
    time_limit: float = 60.0,
) -> Proposal:
    """Fill every open project at once, maximising the total match score.

    Rules: only eligible pairs; a project gets at most its open seats; a person gets at most one
    seat per project and may hold several projects while the projects' minimum hours fit in their
    remaining weekly hours. Each assignment books the project's *minimum* weekly hours: that is
    the commitment an offer guarantees, and reserving more would only crowd other projects out;
    hours above it are agreed in the offer.

    Hours differ per project, so this is a generalised assignment problem rather than a plain
    bipartite matching (an expanded seat x capacity-unit matrix would misprice hours); it is
    solved as a 0/1 integer program with HiGHS (``scipy.optimize.milp``), which proves
    optimality over the pairs it is given. To keep that program small, each project starts from
    its best ``open seats + shortlist`` eligible candidates (by score, ties by id). Pruning is
    then repaired by pricing over *every* eligible pair: the LP relaxation of the pruned program
    is solved, each pruned-out pair is priced with its duals (seat and hour prices), pairs with a
    positive reduced cost are added, and this repeats until none is left. The LP value is then an
    upper bound for the unpruned problem. A pruned-out pair can only be part of a better integer
    solution if its reduced cost is within the gap between that bound and the integer optimum;
    those pairs are added (at most as many again as are already in) and the program re-solved.
    ``optimal`` is set only when no such pair remains outside: then the result is proved optimal
    for the whole problem. Otherwise (large instances whose LP relaxation is fractional because
    of hours) the result is the proved optimum of the enlarged pruned problem and
    ``upper_bound`` caps the true optimum. ``shortlist`` only tunes speed. Output is
    deterministic and independent of the order of the inputs.
    """
    pool = candidates if isinstance(candidates, CandidatePool) else None
    if pool is None:
        pool = CandidatePool.from_candidates(sorted(candidates, key=lambda c: c.id))
    open_projects = sorted((p for p in projects if p.open_seats > 0), key=lambda p: p.id)
    seats = np.array([p.open_seats for p in open_projects], dtype=np.float64)

    # Every eligible pair, grouped by project and best first within it (ties by candidate id).
    rows_list, cols_list, gains_list, active_list = [], [], [], []
    for column, project in enumerate(open_projects):
        eligible, scores = score_pool(project, pool, weights)
        rows = np.flatnonzero(eligible)
        rows = rows[np.lexsort((pool.ids[rows], -scores[rows]))]
        rows_list.append(rows)
        cols_list.append(np.full(len(rows), column, dtype=np.int64))
        gains_list.append(scores[rows])
        active_list.append(np.arange(len(rows)) < project.open_seats + max(shortlist, 0))
    if not rows_list or not sum(len(r) for r in rows_list):
        return Proposal([], 0.0, {p.id: p.open_seats for p in open_projects})
    pairs = _Pairs(
        rows=np.concatenate(rows_list),
        cols=np.concatenate(cols_list),
        gains=np.concatenate(gains_list),
        hours=np.array([p.hours_band[0] for p in open_projects])[np.concatenate(cols_list)],
        capacity=pool.remaining_hours,
        seats=seats,
    )
    active = np.concatenate(active_list)

    while True:
        bound, reduced = pairs.relaxation(active)
        missing = ~active & (reduced > _TOL)
        if not missing.any():
            break
        active |= missing
    chosen, solved = pairs.integer(active, time_limit)
    best = float(pairs.gains[chosen].sum())
    # A pruned-out pair e can only be in a better solution if best - bound <= reduced[e] (< 0).
    needed = ~active & (reduced >= best - bound - _TOL)
    if needed.any():
        extra = np.flatnonzero(needed)
        extra = extra[np.argsort(-reduced[extra], kind="stable")[: max(int(active.sum()), 1)]]
        active[extra] = True
        chosen, solved = pairs.integer(active, time_limit)
        best = float(pairs.gains[chosen].sum())
        needed = ~active & (reduced >= best - bound - _TOL)
    pairs.check(chosen)

    assignments = sorted(
        (
            Assignment(
                candidate_id=int(pool.ids[pairs.rows[e]]),
                project_id=open_projects[pairs.cols[e]].id,
                hours=float(pairs.hours[e]),
                score=float(pairs.gains[e]),
            )
            for e in chosen
        ),
        key=lambda a: (a.project_id, -a.score, a.candidate_id),
    )
    filled = np.bincount(pairs.cols[chosen], minlength=len(open_projects))
    unfilled = {
        p.id: p.open_seats - int(filled[i])
        for i, p in enumerate(open_projects)
        if p.open_seats > filled[i]
    }
    total = math.fsum(a.score for a in assignments)
    optimal = solved and not needed.any()
    return Proposal(assignments, total, unfilled, optimal=optimal, upper_bound=max(bound, total))


@dataclass(frozen=True, eq=False)
class _Pairs:
    """Candidate-project pairs as parallel arrays, and the programs built over a subset of them."""

    rows: np.ndarray  # pool row of the candidate
    cols: np.ndarray  # index of the open project
    gains: np.ndarray  # match score
    hours: np.ndarray  # hours the pair books
    capacity: np.ndarray  # remaining hours per pool row
    seats: np.ndarray  # open seats per project

    def _constraints(self, idx: np.ndarray) -> tuple[sparse.csr_matrix, np.ndarray, np.ndarray]:
        """Seat rows, then an hours row for each person whose listed pairs could overfill them."""
        n = len(idx)
        rows, cols, hours = self.rows[idx], self.cols[idx], self.hours[idx]
        people, person_of = np.unique(rows, return_inverse=True)
        load = np.bincount(person_of, weights=hours, minlength=len(people))
        tight = np.flatnonzero(load > self.capacity[people] + 1e-9)
        remap = np.full(len(people), -1)
        remap[tight] = np.arange(len(tight))
        mask = remap[person_of] >= 0
        n_seats = len(self.seats)
        matrix = sparse.csr_matrix(
            (
                np.concatenate([np.ones(n), hours[mask]]),
                (
                    np.concatenate([cols, n_seats + remap[person_of[mask]]]),
                    np.concatenate([np.arange(n), np.flatnonzero(mask)]),
                ),
            ),
            shape=(n_seats + len(tight), n),
        )
        upper = np.concatenate([self.seats, self.capacity[people[tight]]])
        return matrix, upper, people[tight]

    def relaxation(self, active: np.ndarray) -> tuple[float, np.ndarray]:
        """LP optimum over the active pairs, and every pair's reduced cost under its duals."""
        idx = np.flatnonzero(active)
        matrix, upper, tight_people = self._constraints(idx)
        result = linprog(-self.gains[idx], A_ub=matrix, b_ub=upper, bounds=(0, 1), method="highs")
        if result.status != 0:
            raise RuntimeError(f"assignment relaxation failed: {result.message}")
        prices = np.maximum(-result.ineqlin.marginals, 0.0)  # value of one more seat or hour
        seat_price = prices[: len(self.seats)]
        hour_price = np.zeros(len(self.capacity))
        hour_price[tight_people] = prices[len(self.seats) :]
        reduced = self.gains - seat_price[self.cols] - self.hours * hour_price[self.rows]
        return -float(result.fun), reduced

    def integer(self, active: np.ndarray, time_limit: float) -> tuple[np.ndarray, bool]:
        """Best 0/1 choice among the active pairs: (chosen pair indices, proved optimal)."""
        idx = np.flatnonzero(active)
        matrix, upper, _ = self._constraints(idx)
        result = milp(
            -self.gains[idx],
            integrality=np.ones(len(idx)),
            bounds=Bounds(0, 1),
            constraints=[LinearConstraint(matrix, -np.inf, upper)],
            options={"time_limit": time_limit, "mip_rel_gap": 1e-9, "disp": False},
        )
        if result.x is None:
            raise RuntimeError(f"assignment solver failed: {result.message}")
        return idx[result.x > 0.5], result.status == 0

    def check(self, chosen: np.ndarray) -> None:
        """Refuse to return an assignment that breaks a headcount or a person's hours."""
        per_project = np.bincount(self.cols[chosen], minlength=len(self.seats))
        if np.any(per_project > self.seats):
            raise RuntimeError("assignment solver exceeded a headcount")
        booked = np.bincount(
            self.rows[chosen], weights=self.hours[chosen], minlength=len(self.capacity)
        )
        if np.any(booked > self.capacity + 1e-6):
            raise RuntimeError("assignment solver exceeded a person's hours")
        if len(np.unique(self.rows[chosen] * len(self.seats) + self.cols[chosen])) != len(chosen):
            raise RuntimeError("assignment solver used a pair twice")
