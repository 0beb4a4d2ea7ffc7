"""The global assignment: fill every open project at once (an integer program, HiGHS)."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

from portal.projects.matching.bound import lagrangian_bound
from portal.projects.matching.model import (
    DEFAULT_WEIGHTS,
    CandidateFeatures,
    MatchWeights,
    ProjectRequirements,
)
from portal.projects.matching.pool import CandidatePool, score_pool


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
    lp_bound: float = 0.0  # the LP relaxation's bound (looser: fractional hours)

    @property
    def gap(self) -> float:
        """How far from the optimum the total may be, as a fraction (0 when proved optimal)."""
        if self.optimal or self.upper_bound <= 0:
            return 0.0
        return max(self.upper_bound - self.total_score, 0.0) / self.upper_bound


_TOL = 1e-7


def propose_assignment(
    candidates: Sequence[CandidateFeatures] | CandidatePool,
    projects: Sequence[ProjectRequirements],
    weights: MatchWeights = DEFAULT_WEIGHTS,
    shortlist: int = 10,
    time_limit: float = 60.0,
    on_step: Callable[[str], None] | None = None,
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
    upper bound for the unpruned problem, but a loose one: it books fractions of people's hours.
    The proof uses a tighter bound (``bound.lagrangian_bound``): seats priced, each person's
    hours kept whole as a small knapsack, the prices improved by subgradient steps from the LP's.
    It bounds, for every eligible pair, the best total of any assignment using it; pairs that
    cannot reach the pruned program's total are dropped and the program is solved again over
    all the others with a relative gap of 0. Its optimum is then the whole problem's optimum
    (``optimal``, ``gap`` 0). Should that program stop at ``time_limit``, or hours have no common
    whole unit (the older reduced-cost enlargement is used then), the result is the best found and
    ``upper_bound`` caps the true optimum. ``shortlist`` only tunes speed. Output is
    deterministic and independent of the order of the inputs. ``on_step`` hears "priced",
    "incumbent" and "bounded" as the phases end (a progress bar's hook).
    """
    step = on_step or (lambda name: None)
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
        bound, reduced, seat_price = pairs.relaxation(active)
        missing = ~active & (reduced > _TOL)
        if not missing.any():
            break
        active |= missing
    step("priced")
    chosen, solved = pairs.integer(active, time_limit)
    best = float(pairs.gains[chosen].sum())
    upper = bound
    step("incumbent")
    lagrangian = lagrangian_bound(
        pairs.rows, pairs.cols, pairs.gains, pairs.hours, pairs.capacity, pairs.seats,
        seat_price, best, keep_at_most=max(int(active.sum()), 1000),
        time_limit=time_limit / 4,
    )  # fmt: skip
    if lagrangian is not None:
        # Every assignment scoring at least ``best`` uses only kept pairs: the program over them
        # is the whole problem's, and proving it optimal (gap 0) proves the whole.
        upper = min(bound, lagrangian.bound)
        keep = lagrangian.keep.copy()
        keep[chosen] = True
        step("bounded")
        exact, solved = pairs.integer(keep, time_limit)
        if float(pairs.gains[exact].sum()) >= best:
            chosen, best = exact, float(pairs.gains[exact].sum())
        needed = np.zeros(len(keep), dtype=bool) if solved else ~keep
    else:
        # Hours in no common unit: enlarge the pruned program by reduced costs instead. A
        # pruned-out pair e can only be in a better solution if best - bound <= reduced[e].
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
    return Proposal(
        assignments,
        total,
        unfilled,
        optimal=optimal,
        upper_bound=total if optimal else max(upper, total),
        lp_bound=max(bound, total),
    )


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

    def relaxation(self, active: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
        """LP optimum over the active pairs, every pair's reduced cost and the seat prices."""
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
        return -float(result.fun), reduced, seat_price

    def integer(self, active: np.ndarray, time_limit: float) -> tuple[np.ndarray, bool]:
        """Best 0/1 choice among the active pairs: (chosen pair indices, proved optimal)."""
        idx = np.flatnonzero(active)
        matrix, upper, _ = self._constraints(idx)
        result = milp(
            -self.gains[idx],
            integrality=np.ones(len(idx)),
            bounds=Bounds(0, 1),
            constraints=[LinearConstraint(matrix, -np.inf, upper)],
            options={"time_limit": time_limit, "mip_rel_gap": 0.0, "disp": False},
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
