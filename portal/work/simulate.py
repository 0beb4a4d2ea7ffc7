"""`quality simulate`: raters of known accuracy through the real quality code.

Tasks have a hidden true side (-1 or +1); gold tasks make ``gold_share`` of them. Raters work in
turns through an in-memory queue with the queue's rules (overlap for client tasks, never the
same task twice, gold front-loaded by ``needs_gold`` and exempt from the overlap), answer right
with their accuracy, and are paused by the real ``PauseRule``. One spammer answers uniformly on
the 7-point scale (right side 3 times in 7). Reported: how many raters' true accuracy lies
within their gold Wilson interval, majority vs Dawid–Skene (crowd-kit) accuracy against the
truth, α, when the spammer was paused, and the highest
number of raters on one client task.
"""

from __future__ import annotations

import random
from collections import defaultdict
from typing import Any

from portal.work import quality

SPAMMER_ACCURACY = 3 / 7


def simulate(
    raters: int = 30,
    tasks: int = 2000,
    *,
    overlap: int = 3,
    gold_share: float = 0.08,
    rule: quality.PauseRule | None = None,
    seed: int = 7,
) -> dict[str, Any]:
    """Run the simulation; every figure is computed, none is assumed."""
    rule = rule or quality.PauseRule()
    rng = random.Random(seed)
    n_honest = max(raters - 1, 1)
    accuracy = {r: 0.55 + 0.40 * r / max(n_honest - 1, 1) for r in range(n_honest)}  # 0.55 .. 0.95
    spammer = n_honest
    accuracy[spammer] = SPAMMER_ACCURACY
    truth = {t: rng.choice((-1, 1)) for t in range(tasks)}
    n_gold = round(tasks * gold_share)
    gold = set(rng.sample(range(tasks), n_gold))
    slots: dict[int, int] = defaultdict(int)
    done: dict[int, set[int]] = defaultdict(set)
    answers: list[quality.Triple] = []
    gold_record: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    worked: dict[int, int] = defaultdict(int)
    paused_after: dict[int, int] = {}
    open_gold = sorted(gold)
    open_regular = [t for t in range(tasks) if t not in gold]

    def claim(r: int) -> int | None:
        want_gold = quality.needs_gold(gold_record[r][1], worked[r], rule.probation_gold)
        if not want_gold:
            want_gold = rng.random() < gold_share
        if want_gold:  # gold is exempt from the overlap, as in the queue
            for t in open_gold:
                if t not in done[r]:
                    return t
        for t in open_regular:
            if slots[t] < overlap and t not in done[r]:
                return t
        return None

    def answer(r: int, t: int) -> int:
        if r == spammer:
            return quality.sign(rng.randint(-3, 3))
        return truth[t] if rng.random() < accuracy[r] else -truth[t]

    active = set(accuracy)
    while active:
        order = sorted(active)
        rng.shuffle(order)
        for r in order:
            t = claim(r)
            if t is None:
                active.discard(r)
                continue
            slots[t] += 1
            done[r].add(t)
            worked[r] += 1
            label = answer(r, t)
            answers.append((t, r, label))
            if t in gold:
                gold_record[r][1] += 1
                gold_record[r][0] += int(label == truth[t])
                if rule.should_pause(*gold_record[r]):
                    paused_after[r] = worked[r]
                    active.discard(r)
            if t not in gold and slots[t] >= overlap:
                open_regular.remove(t)

    summary = quality.rater_summary(
        {r: (c, n) for r, (c, n) in gold_record.items()}, quality.loo_agreement(answers)
    )
    covered = sum(
        1
        for r, acc in accuracy.items()
        if summary.get(r, {}).get("gold_n")
        and summary[r]["gold_interval"][0] <= acc <= summary[r]["gold_interval"][1]
    )
    regular = [(t, r, lab) for t, r, lab in answers if t not in gold]

    def accuracy_of(labels: dict[Any, Any]) -> float:
        judged = {t for t, _, _ in regular}
        return round(sum(labels.get(t) == truth[t] for t in judged) / len(judged), 4)

    majority = accuracy_of(quality.majority_vote(regular))
    dawid_skene = accuracy_of(quality.dawid_skene(regular))
    return {
        "raters": raters,
        "tasks": tasks,
        "gold_tasks": n_gold,
        "overlap": overlap,
        "judgements": len(answers),
        "max_raters_per_task": max((slots[t] for t in slots if t not in gold), default=0),
        "within_interval": round(covered / len(accuracy), 4),
        "majority_accuracy": majority,
        "dawid_skene_accuracy": dawid_skene,
        "alpha": round(quality.krippendorff_alpha(regular) or 0.0, 4),
        "spammer_paused_after_tasks": paused_after.get(spammer),
        "paused": {str(r): n for r, n in sorted(paused_after.items())},
        "rule": {"bar": rule.bar, "min_gold": rule.min_gold, "probation_gold": rule.probation_gold},
        "per_rater": {
            str(r): {"true_accuracy": round(accuracy[r], 3), **summary.get(r, {})}
            for r in sorted(accuracy)
        },
    }
