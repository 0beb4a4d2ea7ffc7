"""The same rule over a whole pool with numpy: ``CandidatePool``, ``score_pool``, rankings."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from portal.projects.matching.model import (
    DEFAULT_WEIGHTS,
    LABELLING_MONTHS_FOR_FULL_CREDIT,
    YEARS_FOR_FULL_CREDIT,
    CandidateFeatures,
    MatchWeights,
    ProjectRequirements,
    explain,
)


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
