"""A Lagrangian bound for the assignment that prices seats and keeps people's hours exact.

Relaxing only the seat constraints with prices ``λ ≥ 0`` splits the problem into one small
knapsack per person: choose projects maximising ``Σ (score - λ_project)`` within the person's
free hours. ``L(λ) = Σ λ_j seats_j + Σ_i knapsack_i(λ)`` caps every assignment's total, and it is
tighter than the LP relaxation because the knapsacks are solved in whole projects (the LP's
fractional hours are exactly what made it loose). Hours are counted in units of their greatest
common divisor, so each knapsack is a dynamic program over a handful of capacities, run for all
people at once with numpy.

The same tables give a bound per pair: the best total of any assignment that uses pair ``e`` is
at most ``L - knapsack_i(C_i) + profit_e + knapsack_i(C_i - h_e)``. A pair whose bound is below
a known total can be in no better assignment, so the exact program only needs the others.
The prices are improved by subgradient steps (Polyak's rule) from the LP's seat prices.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np

MAX_UNITS = 400  # capacities above this many hour units: no knapsack tables (use the LP bound)


@dataclass(frozen=True)
class LagrangianBound:
    bound: float  # no assignment scores more
    keep: np.ndarray  # pairs that can still be in an assignment scoring at least the target
    iterations: int


def hour_unit(hours: np.ndarray, capacity: np.ndarray) -> int | None:
    """The common unit of every pair's hours (integers only), or None when hours are fractional."""
    if not (np.all(hours == np.round(hours)) and np.all(hours >= 0)):
        return None
    unit = 0
    for value in np.unique(hours.astype(np.int64)):
        unit = math.gcd(unit, int(value))
    unit = max(unit, 1)
    if np.floor(capacity.max(initial=0) / unit) > MAX_UNITS:
        return None
    return unit


class _Tables:
    """Knapsack tables of every person at one price vector."""

    def __init__(
        self,
        rows: np.ndarray,
        cols: np.ndarray,
        gains: np.ndarray,
        units: np.ndarray,
        capacity_units: np.ndarray,
        n_projects: int,
        prices: np.ndarray,
    ) -> None:
        self.profit = gains - prices[cols]
        width = int(capacity_units.max(initial=0)) + 1
        self.best = np.zeros((len(capacity_units), width))
        order = np.argsort(cols, kind="stable")
        starts = np.searchsorted(cols[order], np.arange(n_projects + 1))
        self.steps: list[tuple[np.ndarray, int, np.ndarray] | None] = []
        for j in range(n_projects):
            sel = order[starts[j] : starts[j + 1]]
            sel = sel[self.profit[sel] > 0]
            if not len(sel):
                self.steps.append(None)
                continue
            who, u, gain = rows[sel], int(units[sel[0]]), self.profit[sel]
            before = self.best[who]
            candidate = before[:, : width - u] + gain[:, None]
            take = np.zeros((len(who), width), dtype=bool)
            take[:, u:] = candidate > before[:, u:]
            before[:, u:] = np.maximum(before[:, u:], candidate)
            self.best[who] = before
            self.steps.append((who, u, take))
        people = np.arange(len(capacity_units))
        self.knapsack = self.best[people, capacity_units]
        self._capacity_units = capacity_units

    def seats_taken(self, n_projects: int) -> np.ndarray:
        """How many people each project's knapsack solutions chose (the subgradient)."""
        left = self._capacity_units.copy()
        taken = np.zeros(n_projects)
        for j in range(n_projects - 1, -1, -1):
            step = self.steps[j]
            if step is None:
                continue
            who, u, take = step
            chosen = take[np.arange(len(who)), left[who]]
            taken[j] = chosen.sum()
            left[who[chosen]] -= u
        return taken


def lagrangian_bound(
    rows: np.ndarray,
    cols: np.ndarray,
    gains: np.ndarray,
    hours: np.ndarray,
    capacity: np.ndarray,
    seats: np.ndarray,
    prices: np.ndarray,
    target: float,
    *,
    keep_at_most: int,
    max_iterations: int = 60,
    time_limit: float = 10.0,
) -> LagrangianBound | None:
    """Improve the seat ``prices`` until few pairs can reach ``target``; None if hours do not fit.

    ``rows``/``cols``/``gains``/``hours`` describe every eligible pair (person row, project,
    score, hours booked), ``capacity`` each person's free hours, ``seats`` each project's open
    seats. Stops when at most ``keep_at_most`` pairs survive, when the bound meets ``target``,
    after ``max_iterations`` steps or ``time_limit`` seconds; returns the best bound seen.
    """
    unit = hour_unit(hours, capacity)
    if unit is None or not len(rows):
        return None
    units = (hours // unit).astype(np.int64)
    capacity_units = np.floor(capacity / unit + 1e-9).astype(np.int64)
    n_projects = len(seats)
    started = time.monotonic()
    best: LagrangianBound | None = None
    step = 1.0
    lam = np.maximum(prices, 0.0)
    for iteration in range(1, max_iterations + 1):
        tables = _Tables(rows, cols, gains, units, capacity_units, n_projects, lam)
        value = float(lam @ seats + tables.knapsack.sum())
        pair_bound = (
            value
            - tables.knapsack[rows]
            + tables.profit
            + tables.best[rows, capacity_units[rows] - units]
        )
        keep = pair_bound >= target - 1e-6 * max(1.0, abs(target))
        if best is None or value < best.bound:
            best = LagrangianBound(value, keep, iteration)
        else:
            step *= 0.8
        if (
            int(best.keep.sum()) <= keep_at_most
            or value <= target + 1e-9
            or time.monotonic() - started > time_limit
        ):
            break
        gradient = tables.seats_taken(n_projects) - seats
        norm = float(gradient @ gradient)
        if norm == 0:
            break  # the knapsack solutions fill every seat exactly: the bound is tight
        lam = np.maximum(lam + step * max(value - target, 1e-6) / norm * gradient, 0.0)
    return best
