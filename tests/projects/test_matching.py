import itertools
import random

import numpy as np
import pytest

from portal.projects.matching import (
    CandidateFeatures,
    CandidatePool,
    MatchWeights,
    ProjectRequirements,
    explain,
    propose_assignment,
    rank_candidates,
    rank_projects,
    score_pool,
)

DOMAINS = ["coding", "math", "law", "medicine", "writing"]
SKILLS = [f"s{i}" for i in range(12)]


def person(id=1, **overrides):
    fields = dict(
        id=id,
        country="US",
        utc_offset_hours=-5,
        domains=frozenset({"coding"}),
        skills=frozenset({"python"}),
        languages=frozenset({"english"}),
        overall_score=80,
        domain_scores={"coding": 80},
        passed=True,
        years_experience=5,
        labelling_months=12,
        weekly_hours=20,
        booked_hours=0,
        desired_rate_cents=3000,
    )
    fields.update(overrides)
    return CandidateFeatures(**fields)


def project(id=1, **overrides):
    fields = dict(
        id=id,
        domains=frozenset({"coding"}),
        skills=frozenset({"python"}),
        languages=frozenset({"english"}),
        min_score=70,
        hours_band=(10, 20),
        rate_band_cents=(2500, 3500),
    )
    fields.update(overrides)
    return ProjectRequirements(**fields)


def random_candidate(rng, id):
    domains = rng.sample(DOMAINS, rng.randint(1, 3))
    return CandidateFeatures(
        id=id,
        country=rng.choice(["US", "GB", "IN", "BR"]),
        utc_offset_hours=rng.choice([-8, -5, 0, 1, 5.5, 9, 12]),
        domains=frozenset(domains),
        skills=frozenset(rng.sample(SKILLS, rng.randint(0, 5))),
        languages=frozenset(rng.sample(["english", "german", "hindi"], rng.randint(0, 2))),
        overall_score=rng.choice([55, 65, 70, 75, 80, 85, 90, 99.5]),
        domain_scores={d: rng.choice([50, 70, 85, 95]) for d in domains if rng.random() < 0.8},
        passed=rng.random() < 0.85,
        years_experience=rng.choice([0, 1.5, 4, 10, 25]),
        labelling_months=rng.randint(0, 40),
        weekly_hours=rng.choice([10, 15, 20, 30, 40]),
        booked_hours=rng.choice([0, 0, 5, 10]),
        desired_rate_cents=rng.randrange(2000, 4001, 250),
    )


def random_project(rng, id, headcount=None):
    domains = rng.sample(DOMAINS, rng.randint(0, 2))
    low_hours = rng.choice([0, 5, 10, 15])
    low_rate = rng.choice([2000, 2500, 3000])
    return ProjectRequirements(
        id=id,
        domains=frozenset(domains),
        skills=frozenset(rng.sample(SKILLS, rng.randint(0, 4))),
        languages=frozenset(rng.sample(["english", "german"], rng.randint(0, 1))),
        min_score=rng.choice([0, 60, 70]),
        domain_min_scores={domains[0]: 60} if domains and rng.random() < 0.3 else {},
        hours_band=(low_hours, low_hours + rng.choice([0, 5, 10])),
        rate_band_cents=(low_rate, low_rate + rng.choice([0, 500, 1000])),
        allowed_countries=frozenset(rng.sample(["US", "GB", "IN"], 2))
        if rng.random() < 0.2
        else frozenset(),
        timezone_window=rng.choice([None, None, (-6, 2), (8, -6)]),
        headcount=headcount if headcount is not None else rng.randint(1, 4),
        seats_filled=rng.choice([0, 0, 1]),
    )


# explain


def test_explain_eligible_pair_adds_up():
    result = explain(person(), project())
    assert result.eligible
    assert result.failed_constraints == []
    names = [f.name for f in result.factors]
    assert names == ["domains", "skills", "score", "experience", "availability", "rate"]
    assert sum(f.weight for f in result.factors) == pytest.approx(1.0)
    assert sum(f.contribution for f in result.factors) == pytest.approx(result.score)
    by_name = {f.name: f for f in result.factors}
    assert by_name["domains"].value == 1.0
    assert by_name["score"].value == pytest.approx(0.8)
    assert by_name["experience"].value == pytest.approx(0.5 * 0.5 + 0.5 * 0.5)
    assert by_name["rate"].value == pytest.approx(0.5)
    assert by_name["rate"].reason == "Asks $30.00/h; band $25.00-$35.00"
    assert 0 <= result.score <= 100


def test_partial_overlap_reason():
    p = project(domains={"coding", "math", "law"})
    factor = explain(person(domains={"coding", "math"}), p).factors[0]
    assert factor.value == pytest.approx(2 / 3)
    # domains meet on the shared vocabulary's keys ("math" is "mathematics")
    assert factor.reason == "Covers 2 of 3 project domains (coding, mathematics); missing law"


def test_domains_and_domain_minimums_meet_on_the_vocabulary():
    p = project(domains={"Medicine & health"}, domain_min_scores={"medicine": 70})
    c = person(domains={"medicine"}, domain_scores={"Medicine": 80})
    assert explain(c, p).factors[0].value == 1.0
    assert p.domain_min_scores == {"medicine": 70.0} and c.domain_scores == {"medicine": 80.0}


@pytest.mark.parametrize(
    ("candidate", "requirements", "message"),
    [
        ({"passed": False}, {}, "Has not passed the assessment"),
        ({"overall_score": 65}, {}, "Overall score 65 is below the minimum 70"),
        ({}, {"domain_min_scores": {"coding": 85}}, "coding score 80 is below the minimum 85"),
        ({}, {"domain_min_scores": {"law": 60}}, "No law score (minimum 60)"),
        ({}, {"allowed_countries": {"gb", "ca"}}, "Country US is not allowed (allowed: CA, GB)"),
        ({}, {"timezone_window": (0, 3)}, "UTC-5 is outside the timezone window UTC+0 to UTC+3"),
        ({}, {"languages": {"english", "German"}}, "Does not speak: german"),
        ({"booked_hours": 12}, {}, "Only 8 h/week free; the project needs at least 10"),
        ({"desired_rate_cents": 3600}, {}, "Asks $36.00/h, above the band maximum $35.00"),
    ],
)
def test_each_hard_constraint(candidate, requirements, message):
    result = explain(person(**candidate), project(**requirements))
    assert not result.eligible
    assert result.score == 0.0
    assert result.failed_constraints == [message]
    assert len(result.factors) == 6


def test_timezone_window_wraps_round_the_date_line():
    p = project(timezone_window=(8, -6))
    assert explain(person(utc_offset_hours=10), p).eligible
    assert explain(person(utc_offset_hours=-8), p).eligible
    assert not explain(person(utc_offset_hours=0), p).eligible


def test_invalid_bands_are_refused():
    with pytest.raises(ValueError):
        project(hours_band=(20, 10))
    with pytest.raises(ValueError):
        project(rate_band_cents=(3000, 2000))
    with pytest.raises(ValueError):
        MatchWeights(0, 0, 0, 0, 0, 0).normalised()


# vectorised scoring is the same computation as explain


@pytest.mark.parametrize("weights", [MatchWeights(), MatchWeights(1, 0, 3, 0, 2, 7)])
def test_score_pool_matches_explain(weights):
    rng = random.Random(11)
    candidates = [random_candidate(rng, i) for i in range(250)]
    pool = CandidatePool.from_candidates(candidates)
    eligible_total = 0
    for j in range(25):
        p = random_project(rng, j)
        eligible, scores = score_pool(p, pool, weights)
        expected = [explain(c, p, weights) for c in candidates]
        assert eligible.tolist() == [e.eligible for e in expected]
        assert scores.tolist() == [e.score for e in expected]  # bit for bit
        eligible_total += int(eligible.sum())
    assert eligible_total > 200  # the random cases do exercise eligible pairs


def test_rank_candidates_order_limit_and_ties():
    same = dict(years_experience=5, labelling_months=12)
    candidates = [
        person(5, overall_score=90, **same),
        person(3, overall_score=80, **same),
        person(4, overall_score=80, **same),
        person(1, overall_score=60, **same),  # below the minimum
        person(2, overall_score=95, passed=False),
    ]
    p = project()
    ranked = rank_candidates(p, candidates)
    assert [i for i, _ in ranked] == [5, 3, 4]
    assert ranked[1][1] == ranked[2][1]
    assert [i for i, _ in rank_candidates(p, candidates, limit=2)] == [5, 3]
    assert rank_candidates(p, candidates, limit=0) == []
    pool = CandidatePool.from_candidates(candidates)
    assert rank_candidates(p, pool, limit=2) == rank_candidates(p, candidates, limit=2)
    assert ranked[0][1] == explain(candidates[0], p).score


def test_rank_candidates_agrees_with_sorting_explain():
    rng = random.Random(5)
    candidates = [random_candidate(rng, i) for i in range(300)]
    pool = CandidatePool.from_candidates(candidates)
    for j in range(10):
        p = random_project(rng, j)
        slow = sorted(
            ((c.id, e.score) for c in candidates if (e := explain(c, p)).eligible),
            key=lambda pair: (-pair[1], pair[0]),
        )
        assert rank_candidates(p, pool, limit=15) == slow[:15]


def test_rank_projects():
    projects = [
        project(1, skills={"python", "rust"}),
        project(2),
        project(3, min_score=90),
        project(4, skills={"python", "rust"}),
    ]
    ranked = rank_projects(person(), projects)
    assert [i for i, _ in ranked] == [2, 1, 4]
    assert rank_projects(person(), projects, limit=1) == ranked[:1]


def test_unknown_names_match_nobody():
    pool = CandidatePool.from_candidates([person(1), person(2)])
    assert rank_candidates(project(languages={"klingon"}), pool) == []
    assert rank_candidates(project(domain_min_scores={"law": 1}), pool) == []
    assert rank_candidates(project(allowed_countries={"FR"}), pool) == []


# global assignment


def brute_force(candidates, projects):
    """Best total over every feasible assignment, by enumeration."""
    open_projects = [p for p in projects if p.open_seats > 0]
    options = []
    for c in candidates:
        eligible = [(p, explain(c, p)) for p in open_projects]
        eligible = [(p.id, p.hours_band[0], e.score) for p, e in eligible if e.eligible]
        subsets = []
        for size in range(len(eligible) + 1):
            for combo in itertools.combinations(eligible, size):
                if sum(h for _, h, _ in combo) <= c.remaining_hours:
                    subsets.append(combo)
        options.append(subsets)
    best = 0.0
    for choice in itertools.product(*options):
        used = {}
        total = 0.0
        for combo in choice:
            for pid, _, score in combo:
                used[pid] = used.get(pid, 0) + 1
                total += score
        if all(used.get(p.id, 0) <= p.open_seats for p in open_projects):
            best = max(best, total)
    return best


def assert_valid(proposal, candidates, projects):
    by_c = {c.id: c for c in candidates}
    by_p = {p.id: p for p in projects}
    hours, seats = {}, {}
    pairs = set()
    for a in proposal.assignments:
        c, p = by_c[a.candidate_id], by_p[a.project_id]
        result = explain(c, p)
        assert result.eligible, "ineligible pair assigned"
        assert a.score == pytest.approx(result.score)
        assert a.hours == p.hours_band[0]
        assert (c.id, p.id) not in pairs
        pairs.add((c.id, p.id))
        hours[c.id] = hours.get(c.id, 0) + a.hours
        seats[p.id] = seats.get(p.id, 0) + 1
    for cid, booked in hours.items():
        assert booked <= by_c[cid].remaining_hours + 1e-9
    for pid, taken in seats.items():
        assert taken <= by_p[pid].open_seats
    for p in projects:
        left = p.open_seats - seats.get(p.id, 0)
        assert proposal.unfilled.get(p.id, 0) == left
    assert proposal.total_score == pytest.approx(sum(a.score for a in proposal.assignments))


@pytest.mark.parametrize("seed", range(25))
def test_assignment_is_optimal_against_brute_force(seed):
    rng = random.Random(seed)
    candidates = [random_candidate(rng, i) for i in range(rng.randint(3, 5))]
    projects = [random_project(rng, 100 + j) for j in range(3)]
    expected = brute_force(candidates, projects)
    for shortlist in (0, 10):
        proposal = propose_assignment(candidates, projects, shortlist=shortlist)
        assert_valid(proposal, candidates, projects)
        assert proposal.optimal
        assert proposal.total_score == pytest.approx(expected, abs=1e-6)
        assert proposal.upper_bound >= proposal.total_score - 1e-6


def test_person_can_hold_several_projects_when_hours_allow():
    candidates = [person(1, weekly_hours=30), person(2, weekly_hours=10, overall_score=71)]
    projects = [project(10, hours_band=(10, 10)), project(11, hours_band=(15, 20))]
    proposal = propose_assignment(candidates, projects)
    assert {(a.candidate_id, a.project_id) for a in proposal.assignments} == {(1, 10), (1, 11)}
    # With 20 free hours person 1 cannot take both: person 2 takes the 10-hour project.
    tighter = propose_assignment([person(1, weekly_hours=20), candidates[1]], projects)
    assert {(a.candidate_id, a.project_id) for a in tighter.assignments} == {(1, 11), (2, 10)}


def test_optimal_beats_greedy_on_a_classic_case():
    # Greedy takes the best pair (1 on A) and leaves B empty; optimal puts 1 on B and 2 on A.
    a = project(1, skills={"python"})
    b = project(2, skills={"python", "rust"}, min_score=85)
    candidates = [
        person(1, overall_score=90, weekly_hours=10),
        person(2, overall_score=84, weekly_hours=10),
    ]
    proposal = propose_assignment(candidates, [a, b])
    assert {(x.candidate_id, x.project_id) for x in proposal.assignments} == {(1, 2), (2, 1)}
    assert proposal.unfilled == {}


def test_headcount_seats_and_unfilled():
    candidates = [person(i, overall_score=70 + i) for i in range(1, 6)]
    p = project(7, headcount=4, seats_filled=1)
    proposal = propose_assignment(candidates, [p, project(8, headcount=2, seats_filled=2)])
    assert [a.candidate_id for a in proposal.assignments] == [5, 4, 3]
    assert proposal.unfilled == {}
    few = propose_assignment(candidates[:2], [p])
    assert few.unfilled == {7: 1}
    assert propose_assignment([], [p]).unfilled == {7: 3}
    assert propose_assignment(candidates, []).assignments == []


def test_assignment_is_deterministic_and_order_independent():
    rng = random.Random(99)
    candidates = [random_candidate(rng, i) for i in range(120)]
    projects = [random_project(rng, 500 + j, headcount=rng.randint(1, 6)) for j in range(12)]
    first = propose_assignment(candidates, projects, shortlist=2)
    assert_valid(first, candidates, projects)
    assert first.optimal
    again = propose_assignment(list(reversed(candidates)), list(reversed(projects)), shortlist=2)
    assert again == first
    wide = propose_assignment(candidates, projects, shortlist=1000)
    assert wide.total_score == pytest.approx(first.total_score, abs=1e-6)


def test_pool_can_be_passed_directly():
    rng = random.Random(3)
    candidates = sorted((random_candidate(rng, i) for i in range(50)), key=lambda c: c.id)
    projects = [random_project(rng, j) for j in range(5)]
    pool = CandidatePool.from_candidates(candidates)
    assert propose_assignment(pool, projects) == propose_assignment(candidates, projects)
    assert np.array_equal(pool.ids, np.arange(50))


def _crowded(seed: int, people: int, projects: int):
    """Everyone is eligible almost everywhere and hours are short: the LP relaxation is loose."""
    rng = random.Random(seed)
    candidates = [
        person(
            i,
            overall_score=rng.uniform(65, 100),
            skills=set(rng.sample(SKILLS, 3)),
            years_experience=rng.uniform(0, 20),
            labelling_months=rng.randint(0, 48),
            weekly_hours=rng.choice([10, 15, 20, 30, 40]),
            booked_hours=rng.choice([0, 0, 5]),
            desired_rate_cents=rng.randrange(2000, 3001, 100),
        )
        for i in range(1, people + 1)
    ]
    offers = [
        project(
            1000 + j,
            skills=set(rng.sample(SKILLS, 2)),
            hours_band=(h := rng.choice([5, 10, 15, 20]), h + 10),
            headcount=rng.randint(1, 10),
            min_score=rng.choice([60, 70]),
        )
        for j in range(projects)
    ]
    return candidates, offers


def test_optimality_is_proved_when_the_lp_relaxation_is_fractional():
    candidates, projects = _crowded(3, 500, 30)
    proposal = propose_assignment(candidates, projects)
    assert_valid(proposal, candidates, projects)
    # Fractional hours make the LP bound loose, yet the total is proved optimal: gap 0.
    assert proposal.lp_bound > proposal.total_score + 1
    assert proposal.optimal and proposal.gap == 0
    assert proposal.upper_bound == proposal.total_score
    everything = propose_assignment(candidates, projects, shortlist=10_000)
    assert proposal.total_score == pytest.approx(everything.total_score, abs=1e-6)
