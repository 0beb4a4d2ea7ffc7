"""Benchmark matching: vectorised ranking vs a per-pair loop, optimal vs greedy assignment.

Run: ``.venv/bin/python bench/matching.py [--applicants 100000] [--pool 10000] [--projects 200]``
(``--quick``: 10,000 applicants, 2,000 x 40 assignment). The assignment prints its time and its
proved gap (0 when optimality is proved within the time limit, else the bound's distance).
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from portal.projects.matching import (  # noqa: E402
    CandidateFeatures,
    CandidatePool,
    ProjectRequirements,
    explain,
    propose_assignment,
    rank_candidates,
)

DOMAINS = [
    "coding", "math", "physics", "chemistry", "biology", "medicine", "law", "finance",
    "writing", "history", "philosophy", "economics",
]  # fmt: skip
SKILLS = [f"skill{i:03d}" for i in range(200)]
LANGUAGES = ["english", "spanish", "german", "french", "portuguese", "japanese", "hindi", "polish"]
COUNTRIES = {  # country -> UTC offset
    "US": -5, "CA": -5, "GB": 0, "IE": 0, "DE": 1, "FR": 1, "PL": 1, "ES": 1, "CH": 1,
    "IN": 5.5, "PH": 8, "JP": 9, "AU": 10, "NZ": 12, "BR": -3, "MX": -6, "NG": 1, "KE": 3,
    "ZA": 2, "AR": -3,
}  # fmt: skip


def make_candidates(n: int, seed: int = 1) -> list[CandidateFeatures]:
    rng = random.Random(seed)
    codes = list(COUNTRIES)
    out = []
    for i in range(n):
        country = rng.choice(codes)
        domains = rng.sample(DOMAINS, rng.randint(1, 3))
        overall = min(100.0, max(0.0, rng.gauss(74, 12)))
        weekly = rng.choice([10, 15, 20, 20, 30, 40])
        languages = {"english"} if rng.random() < 0.9 else set()
        languages |= set(rng.sample(LANGUAGES, rng.randint(0, 2)))
        out.append(
            CandidateFeatures(
                id=i + 1,
                country=country,
                utc_offset_hours=COUNTRIES[country],
                domains=frozenset(domains),
                skills=frozenset(rng.sample(SKILLS, rng.randint(2, 8))),
                languages=frozenset(languages),
                overall_score=round(overall, 1),
                domain_scores={d: round(min(100.0, rng.gauss(overall, 8)), 1) for d in domains},
                passed=overall >= 60 and rng.random() < 0.9,
                years_experience=round(rng.uniform(0, 20), 1),
                labelling_months=rng.randint(0, 48),
                weekly_hours=weekly,
                booked_hours=rng.choice([0, 0, 0, 5, 10]) if weekly > 10 else 0,
                desired_rate_cents=rng.randrange(2000, 4001, 100),
            )
        )
    return out


def make_projects(m: int, seed: int = 2) -> list[ProjectRequirements]:
    rng = random.Random(seed)
    out = []
    for j in range(m):
        domains = rng.sample(DOMAINS, rng.randint(1, 2))
        min_hours = rng.choice([5, 10, 10, 15, 20])
        low = rng.choice([2000, 2500, 2500, 3000])
        out.append(
            ProjectRequirements(
                id=j + 1,
                domains=frozenset(domains),
                skills=frozenset(rng.sample(SKILLS, rng.randint(2, 5))),
                languages=frozenset({"english"}),
                min_score=rng.choice([60, 65, 70, 75]),
                domain_min_scores={domains[0]: 65} if rng.random() < 0.5 else {},
                hours_band=(min_hours, min_hours + rng.choice([5, 10, 20])),
                rate_band_cents=(low, low + 1000),
                allowed_countries=(
                    frozenset(rng.sample(list(COUNTRIES), 8)) if rng.random() < 0.3 else frozenset()
                ),
                timezone_window=(-6, 3) if rng.random() < 0.2 else None,
                headcount=rng.randint(1, 10),
                seats_filled=0,
            )
        )
    return out


def naive_rank(project, candidates, limit):
    scored = []
    for c in candidates:
        e = explain(c, project)
        if e.eligible:
            scored.append((c.id, e.score))
    scored.sort(key=lambda pair: (-pair[1], pair[0]))
    return scored[:limit]


def greedy_assignment(candidates, projects):
    """Best pair first, take it if the seat and the hours are still free."""
    pool = CandidatePool.from_candidates(sorted(candidates, key=lambda c: c.id))
    from portal.projects.matching import score_pool

    pairs = []
    for project in projects:
        eligible, scores = score_pool(project, pool)
        for row in eligible.nonzero()[0]:
            pairs.append((-scores[row], int(pool.ids[row]), project.id, int(row)))
    pairs.sort()
    seats = {p.id: p.open_seats for p in projects}
    hours = {p.id: p.hours_band[0] for p in projects}
    left = pool.remaining_hours.copy()
    total, count = 0.0, 0
    for neg, _cid, pid, row in pairs:
        if seats[pid] > 0 and left[row] >= hours[pid]:
            seats[pid] -= 1
            left[row] -= hours[pid]
            total += -neg
            count += 1
    return total, count


def timed(fn, *args, **kwargs):
    start = time.perf_counter()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applicants", type=int, default=100_000)
    parser.add_argument("--naive-sample", type=int, default=10_000)
    parser.add_argument("--pool", type=int, default=10_000)
    parser.add_argument("--projects", type=int, default=200)
    parser.add_argument("--time-limit", type=float, default=60.0, help="solver limit, seconds")
    parser.add_argument("--quick", action="store_true", help="small sizes for a smoke run")
    args = parser.parse_args()
    if args.quick:
        args.applicants, args.naive_sample, args.pool, args.projects = 10_000, 1_000, 2_000, 40

    print(f"== Ranking {args.applicants:,} applicants for one project")
    candidates, secs = timed(make_candidates, args.applicants)
    print(f"  generate data                       {secs:8.3f} s")
    project = make_projects(1, seed=7)[0]
    pool, encode = timed(CandidatePool.from_candidates, candidates)
    print(f"  encode pool (once, reusable)        {encode:8.3f} s")
    ranked, rank = timed(rank_candidates, project, pool, 50)
    print(f"  vectorised rank_candidates (pool)   {rank:8.3f} s")
    _, both = timed(rank_candidates, project, candidates, 50)
    print(f"  rank_candidates from dataclasses    {both:8.3f} s  (encode + rank)")
    sample = candidates[: args.naive_sample]
    _, naive = timed(naive_rank, project, sample, 50)
    per_pair = naive / len(sample)
    extrapolated = per_pair * len(candidates)
    label = "measured" if len(sample) == len(candidates) else "extrapolated"
    print(
        f"  naive explain() loop                {extrapolated:8.3f} s  ({label} from "
        f"{len(sample):,} pairs in {naive:.3f} s)"
    )
    print(f"  speed-up of the ranking step        {extrapolated / rank:8.0f} x")
    check = naive_rank(project, candidates[:2000], 10)
    fast = rank_candidates(project, candidates[:2000], 10)
    assert [i for i, _ in check] == [i for i, _ in fast], "vectorised and naive disagree"
    assert all(math.isclose(a, b, abs_tol=1e-9) for (_, a), (_, b) in zip(check, fast, strict=True))
    print(f"  eligible: {len(rank_candidates(project, pool)):,}; top score {ranked[0][1]:.2f}")
    print(f"rank {args.applicants} applicants: {rank * 1000:.1f} ms")
    print(f"rank speed-up over a per-pair loop: {extrapolated / rank:.0f} x")

    print(f"\n== Global assignment: {args.pool:,} applicants x {args.projects} projects")
    people = make_candidates(args.pool, seed=3)
    projects = make_projects(args.projects, seed=4)
    seats = sum(p.open_seats for p in projects)
    print(f"  {seats:,} open seats")
    proposal, secs = timed(propose_assignment, people, projects, time_limit=args.time_limit)
    print(
        f"  optimal propose_assignment          {secs:8.3f} s  total {proposal.total_score:10.2f}"
        f"  seats filled {len(proposal.assignments):,}  proved optimal: {proposal.optimal}"
    )
    lp_gap = proposal.lp_bound - proposal.total_score
    print(
        f"  LP upper bound over all pairs                 {proposal.lp_bound:10.2f}"
        f"  (LP relaxation {lp_gap:.2f} points = {100 * lp_gap / proposal.lp_bound:.3f}% above)"
    )
    print(
        f"  proved upper bound (Lagrangian)               {proposal.upper_bound:10.2f}"
        f"  (gap {100 * proposal.gap:.4f}%)"
    )
    size = f"{args.pool}x{args.projects}"
    print(f"assignment_{size}_seconds: {secs:.3f} s")
    print(f"assignment_{size}_gap: {100 * proposal.gap:.4f} %")
    print(f"assignment_{size}_proved_optimal: {int(proposal.optimal)} bool")
    (greedy_total, greedy_count), gsecs = timed(greedy_assignment, people, projects)
    print(
        f"  greedy (best pair first)            {gsecs:8.3f} s  total {greedy_total:10.2f}"
        f"  seats filled {greedy_count:,}"
    )
    print(
        f"  optimal - greedy                    {proposal.total_score - greedy_total:+.2f} points"
    )
    print(f"assignment {size} over greedy: {proposal.total_score - greedy_total:.2f} points")
    capped, csecs = timed(propose_assignment, people, projects, shortlist=20)
    print(
        f"  shortlist=20 (wider start)          {csecs:8.3f} s  total {capped.total_score:10.2f}"
        f"  proved optimal: {capped.optimal}"
    )


if __name__ == "__main__":
    main()
