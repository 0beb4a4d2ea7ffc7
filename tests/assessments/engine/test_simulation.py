"""Simulated test-takers on attempts drawn from the shipped bank.

Measured rates are printed (run with ``-s``) and asserted against the issue's targets.
"""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest

from assessments.draw import Blueprint, DrawnItem, draw_items
from assessments.importers import load_bank
from assessments.scoring import score_attempt

N_ATTEMPTS = 100  # distinct drawn attempts
TAKERS_PER_ATTEMPT = 10  # 1,000 simulated takers per rater model
STICKINESS = 0.8  # chance a taker gives a repeated item the same judgement as the first time
RATIONALE = (
    "Response {n} follows the instruction more closely, is accurate on the key facts, and "
    "avoids the padding and unsupported claims that weaken the other answer here."
)

Rater = Callable[[DrawnItem, random.Random], dict]


def to_presented(drawn: DrawnItem, canonical: dict) -> dict:
    """Map a canonical-order answer into the order the taker saw."""
    answer = dict(canonical)
    if "choice" in answer and list(drawn.permutation) == [1, 0]:
        answer["choice"] = -answer["choice"]
    if "ranking" in answer:
        answer["ranking"] = [answer["ranking"][c] for c in drawn.permutation]
    return answer


def _sign(x: int) -> int:
    return (x > 0) - (x < 0)


def expert(p_objective: float, p_consensus: float) -> Rater:
    """Right with the given probability per tier; passes attention checks, flags broken items,
    writes rationales; on a repeat, re-derives the answer (so it is consistent when right)."""

    def rate(drawn: DrawnItem, rng: random.Random) -> dict:
        item = drawn.item
        if item.known_broken:
            return {"flag": {"reason": "response is truncated or garbled"}}
        p = (
            1.0
            if item.attention_check
            else (p_objective if item.tier == "objective" else p_consensus)
        )
        right = rng.random() < p
        if item.kind == "pairwise":
            gold = int(item.gold)
            if right:
                choice = (
                    0
                    if gold == 0
                    else _sign(gold) * max(1, min(3, abs(gold) + rng.choice((-1, 0, 1))))
                )
            elif gold == 0:
                choice = rng.choice((-1, 1))
            else:
                choice = rng.choice((0, -_sign(gold), -_sign(gold)))
            answer: dict = {"choice": choice}
        else:
            ranks = list(item.gold)
            if not right:
                order = sorted(range(len(ranks)), key=lambda i: ranks[i])
                k = rng.randrange(len(order) - 1)
                a, b = order[k], order[k + 1]
                ranks[a], ranks[b] = ranks[b], ranks[a]
            answer = {"ranking": ranks}
        if item.rationale_required:
            answer["rationale"] = RATIONALE.format(n=drawn.position) + f" Item {item.source}."
        return answer

    return rate


def random_clicker(drawn: DrawnItem, rng: random.Random) -> dict:
    """Clicks anywhere on the scale / any ranking; never flags, never writes."""
    if drawn.item.kind == "pairwise":
        return {"choice": rng.randint(-3, 3)}
    return {"ranking": [rng.randint(1, len(drawn.item.responses)) for _ in drawn.item.responses]}


def diligent_random(drawn: DrawnItem, rng: random.Random) -> dict:
    """Random on gold, yet perfect on attention checks, flags and rationales (worst case)."""
    if drawn.item.attention_check or drawn.item.known_broken:
        return expert(1.0, 1.0)(drawn, rng)
    answer = random_clicker(drawn, rng)
    if drawn.item.rationale_required:
        answer["rationale"] = RATIONALE.format(n=drawn.position) + f" Item {drawn.item.source}."
    return answer


def longer_picker(drawn: DrawnItem, rng: random.Random) -> dict:
    """Always prefers the longer response (strongly); ranks by length; otherwise diligent."""
    item = drawn.item
    if item.known_broken or item.attention_check:
        return expert(1.0, 1.0)(drawn, rng)
    lengths = [len(r) for r in item.responses]
    if item.kind == "pairwise":
        answer: dict = {"choice": -2 if lengths[0] >= lengths[1] else 2}
    else:
        order = sorted(range(len(lengths)), key=lambda i: -lengths[i])
        ranks = [0] * len(lengths)
        for rank, i in enumerate(order, start=1):
            ranks[i] = rank
        answer = {"ranking": ranks}
    if item.rationale_required:
        answer["rationale"] = RATIONALE.format(n=drawn.position) + f" Item {item.source}."
    return answer


@pytest.fixture(scope="module")
def attempts() -> list[list[DrawnItem]]:
    bank = load_bank()
    rng = random.Random(7)
    return [draw_items(bank, Blueprint(), rng) for _ in range(N_ATTEMPTS)]


def pass_rate(attempts: list[list[DrawnItem]], rater: Rater, seed: int) -> float:
    rng = random.Random(seed)
    passed = total = 0
    for drawn in attempts:
        for _ in range(TAKERS_PER_ATTEMPT):
            memory: dict[str, dict] = {}
            answers = {}
            for d in drawn:
                key = d.item.content_hash
                if d.repeat_of is not None and key in memory and rng.random() < STICKINESS:
                    canonical = memory[key]
                else:
                    canonical = rater(d, rng)
                memory.setdefault(key, canonical)
                answers[d.position] = to_presented(d, canonical)
            passed += score_attempt(drawn, answers).passed
            total += 1
    return passed / total


def test_random_clicker_fails(attempts):
    rate = pass_rate(attempts, random_clicker, 1)
    print(f"\nrandom clicker pass rate: {rate:.2%}")
    assert rate < 0.01


def test_random_on_gold_fails_even_when_diligent_elsewhere(attempts):
    rate = pass_rate(attempts, diligent_random, 2)
    print(f"\ndiligent random (random on gold only) pass rate: {rate:.2%}")
    assert rate < 0.01


def test_good_rater_passes(attempts):
    rate = pass_rate(attempts, expert(0.85, 0.75), 3)
    print(f"\n85% objective / 75% consensus rater pass rate: {rate:.2%}")
    assert rate > 0.90


def test_longer_answer_picker_fails(attempts):
    rate = pass_rate(attempts, longer_picker, 4)
    print(f"\nlonger-answer picker pass rate: {rate:.2%}")
    assert rate < 0.02
