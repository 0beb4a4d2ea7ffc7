"""Rater quality as pure functions (no Flask, no database): labels in, statistics out.

A judgement is reduced to a *label* per comparison: for a pairwise task the side preferred
(-1 = first response, +1 = second, 0 = tie). Gold accuracy is the share of gold tasks where the
rater picked gold's side, with a Wilson score interval; agreement is with the majority of the
*other* raters of the same task (leave-one-out); Krippendorff's α (nominal) comes from the
``krippendorff`` package.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

Z95 = 1.959963984540054
Z99 = 2.5758293035489004


def sign(x: float) -> int:
    """-1, 0 or +1."""
    return (x > 0) - (x < 0)


def wilson(successes: int, n: int, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval for a binomial proportion; (0, 1) when n is 0."""
    if n == 0:
        return 0.0, 1.0
    p = successes / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass(frozen=True)
class PauseRule:
    """Pause a rater once ``min_gold`` gold tasks are in and the Wilson upper bound is below
    ``bar``. The rule is checked after every gold answer, so it uses a 99 % interval: checking
    a 95 % one that often would pause too many raters who are in fact above the bar."""

    bar: float = 0.7
    min_gold: int = 10
    probation_gold: int = 40  # gold answers front-loaded for a new rater (see needs_gold)

    def should_pause(self, correct: int, n: int) -> bool:
        """True when the evidence says the rater is below the bar."""
        return n >= self.min_gold and wilson(correct, n, Z99)[1] < self.bar


def needs_gold(gold_done: int, total_done: int, probation_gold: int) -> bool:
    """Front-load gold: until a rater has ``probation_gold`` gold answers, two tasks in three
    that they get are gold (so the pause rule can act within their first tasks); afterwards gold
    comes at the batch's share, in the order it was mixed in."""
    return gold_done < probation_gold and 3 * gold_done <= 2 * total_done


def majority(labels: Iterable[Hashable]) -> Hashable | None:
    """The most frequent label, or None on a tie for first place (or no labels)."""
    counts = Counter(labels).most_common()
    if not counts or (len(counts) > 1 and counts[0][1] == counts[1][1]):
        return None
    return counts[0][0]


Triple = tuple[Hashable, Hashable, Hashable]  # (task, rater, label)


def _by_task(triples: Iterable[Triple]) -> dict[Hashable, list[tuple[Hashable, Hashable]]]:
    tasks: dict[Hashable, list[tuple[Hashable, Hashable]]] = defaultdict(list)
    for task, rater, label in triples:
        tasks[task].append((rater, label))
    return tasks


def majority_vote(triples: Iterable[Triple]) -> dict[Hashable, Hashable | None]:
    """Per task, the majority label (None where the vote ties)."""
    return {t: majority(lab for _, lab in rl) for t, rl in _by_task(triples).items()}


def loo_agreement(triples: Iterable[Triple]) -> dict[Hashable, tuple[int, int]]:
    """Per rater, (agreements, comparisons) with the majority of the other raters of each task;
    tasks where the others tie (or there are none) are left out."""
    result: dict[Hashable, list[int]] = defaultdict(lambda: [0, 0])
    for rater_labels in _by_task(triples).values():
        for i, (rater, label) in enumerate(rater_labels):
            others = majority(lab for j, (_, lab) in enumerate(rater_labels) if j != i)
            if others is None:
                continue
            result[rater][1] += 1
            result[rater][0] += int(label == others)
    return {r: (a, n) for r, (a, n) in result.items()}


def krippendorff_alpha(triples: Iterable[Triple]) -> float | None:
    """Nominal Krippendorff's α over raters x tasks (None when there is nothing to compare)."""
    import krippendorff
    import numpy as np

    triples = list(triples)
    raters = sorted({r for _, r, _ in triples}, key=str)
    tasks = sorted({t for t, _, _ in triples}, key=str)
    values = sorted({lab for _, _, lab in triples}, key=str)
    if len(values) < 2 or len(raters) < 2:
        return None
    code = {v: i for i, v in enumerate(values)}
    ri = {r: i for i, r in enumerate(raters)}
    ti = {t: i for i, t in enumerate(tasks)}
    data = np.full((len(raters), len(tasks)), np.nan)
    for task, rater, label in triples:
        data[ri[rater], ti[task]] = code[label]
    pairable = (~np.isnan(data)).sum(axis=0) >= 2
    if not pairable.any():
        return None
    return float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))


def dawid_skene(triples: Iterable[Triple], n_iter: int = 100) -> dict[Hashable, Hashable]:
    """Dawid–Skene aggregate per task, from ``crowd-kit``."""
    import warnings

    import pandas as pd
    from crowdkit.aggregation import DawidSkene

    frame = pd.DataFrame(list(triples), columns=["task", "worker", "label"])
    if frame.empty:
        return {}
    with warnings.catch_warnings():
        # crowd-kit 1.4.2 still passes pandas keywords (inplace=, copy=) that pandas 3.1
        # deprecates; only deprecations raised from crowd-kit's own lines are silenced.
        warnings.filterwarnings("ignore", category=DeprecationWarning, module=r"crowdkit\.")
        result = DawidSkene(n_iter=n_iter).fit_predict(frame)
    return dict(result.items())


def aggregate(
    triples: Sequence[Triple], method: str = "dawid_skene"
) -> tuple[dict[Hashable, Hashable | None], str]:
    """Labels per task by ``method`` (``dawid_skene`` or ``majority``), and the method's name."""
    if method == "dawid_skene":
        return dict(dawid_skene(triples)), "dawid_skene"
    if method == "majority":
        return majority_vote(triples), "majority"
    raise ValueError(f"unknown aggregate {method!r}; known: dawid_skene, majority")


def rater_summary(
    gold: Mapping[Hashable, tuple[int, int]],
    agreement: Mapping[Hashable, tuple[int, int]],
) -> dict[Hashable, dict[str, Any]]:
    """Per rater: gold accuracy with its interval and leave-one-out agreement."""
    out: dict[Hashable, dict[str, Any]] = {}
    for rater in set(gold) | set(agreement):
        correct, n = gold.get(rater, (0, 0))
        lo, hi = wilson(correct, n)
        agree, m = agreement.get(rater, (0, 0))
        out[rater] = {
            "gold_n": n,
            "gold_accuracy": round(correct / n, 4) if n else None,
            "gold_interval": [round(lo, 4), round(hi, 4)],
            "agreement_n": m,
            "agreement": round(agree / m, 4) if m else None,
        }
    return out
