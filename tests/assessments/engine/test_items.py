import random

import pytest
from scipy import stats as scipy_stats

from assessments.items import (
    ITEM_KINDS,
    Item,
    ItemValidationError,
    Pairwise,
    Ranking,
    get_kind,
    kendall_tau_b,
    pairwise_credit,
    validate_item,
)


def pair(**kw) -> Item:
    values = dict(kind="pairwise", prompt="Which is better?", responses=("alpha", "beta"), gold=-2)
    values.update(kw)
    return Item(**values)


def ranking(**kw) -> Item:
    values = dict(
        kind="ranking",
        prompt="Rank these",
        responses=("one", "two", "three", "four"),
        gold=(1, 2, 2, 3),
    )
    values.update(kw)
    return Item(**values)


def test_registry_has_both_kinds():
    assert {"pairwise": Pairwise, "ranking": Ranking} == ITEM_KINDS
    with pytest.raises(ItemValidationError, match="unknown item kind"):
        get_kind("essay")


@pytest.mark.parametrize(
    "item, message",
    [
        (pair(responses=("only one",)), "needs 2 responses"),
        (pair(gold=4), "-3..3"),
        (pair(tier="vibes"), "tier"),
        (pair(difficulty=5), "difficulty"),
        (pair(gold_strength=1.5), "gold_strength"),
        (pair(responses=("a", "")), "empty response"),
        (ranking(responses=("a", "b")), "3-4 responses"),
        (ranking(gold=(1, 2, 3)), "one rank per response"),
        (ranking(gold=(1, 1, 1, 1)), "ties every"),
        (pair(attention_check=True, known_broken=True), "both"),
    ],
)
def test_invalid_items(item, message):
    with pytest.raises(ItemValidationError, match=message):
        validate_item(item)


def test_content_hash_ignores_labels_and_whitespace():
    a, b = pair(), pair(gold=2, domain="coding", prompt="Which is better?  \r\n")
    assert a.content_hash == b.content_hash
    assert a.content_hash != pair(responses=("beta", "alpha")).content_hash


def test_present_never_leaks_gold_and_shuffles_across_seeds():
    item = ranking(gold=(4, 3, 2, 1), responses=("w", "x", "y", "z"))
    kind = get_kind("ranking")
    perms = set()
    for seed in range(30):
        shown = kind.present(item, random.Random(seed))
        perms.add(tuple(shown["permutation"]))
        view = shown["view"]
        assert "gold" not in repr(view) and "permutation" not in view
        assert [r["label"] for r in view["responses"]] == ["A", "B", "C", "D"]
        texts = [r["text"] for r in view["responses"]]
        assert texts == [item.responses[c] for c in shown["permutation"]]
    assert len(perms) > 5


def test_pairwise_answer_maps_back_through_swap():
    item, kind = pair(gold=-2), get_kind("pairwise")
    # Shown swapped: the browser's A is canonical B; preferring shown B means canonical A.
    canonical = kind.to_canonical(item, {"choice": 2}, [1, 0])
    assert canonical["choice"] == -2
    assert kind.score(item, canonical).credit == 1.0
    assert kind.to_canonical(item, {"choice": 2}, [0, 1])["choice"] == 2


def test_ranking_answer_maps_back():
    item, kind = ranking(gold=(1, 2, 3, 4), responses=("w", "x", "y", "z")), get_kind("ranking")
    permutation = [2, 0, 3, 1]  # shown A=y, B=w, C=z, D=x
    canonical = kind.to_canonical(item, {"ranking": [3, 1, 4, 2]}, permutation)
    assert canonical["ranking"] == [1, 2, 3, 4]
    score = kind.score(item, canonical)
    assert score.credit == 1.0 and score.detail["kendall_tau"] == pytest.approx(1.0)


@pytest.mark.parametrize(
    "answer, message",
    [
        ({}, "needs 'choice' or a flag"),
        ({"choice": 5}, "-3..3"),
        ({"choice": True}, "-3..3"),
        ({"choice": 1, "flag": {}}, "reason"),
        ({"choice": 1, "extra": 1}, "unknown"),
        ({"choice": 1, "rationale": 3}, "rationale"),
    ],
)
def test_invalid_pairwise_answers(answer, message):
    with pytest.raises(ItemValidationError, match=message):
        get_kind("pairwise").validate_answer(pair(), answer)


def test_flag_alone_is_a_valid_answer():
    get_kind("pairwise").validate_answer(pair(), {"flag": {"reason": "garbled"}})


def test_pairwise_partial_credit():
    assert pairwise_credit(-2, -2) == 1.0
    assert pairwise_credit(-2, -3) == 0.75  # right side, margin one step off
    assert pairwise_credit(-1, -3) == 0.5  # right side, margin two steps off
    assert pairwise_credit(0, 1) == 0.5  # slight preference vs a tie
    assert pairwise_credit(1, 0) == 0.25  # tie vs a slight preference
    assert pairwise_credit(3, 0) == 0.0
    assert pairwise_credit(2, -1) == 0.0
    assert pairwise_credit(0, -3) == 0.0
    # a wrong margin costs more than 10 % of the item
    sides = (-3, -2, -1, 1, 2, 3)
    assert all(pairwise_credit(g, c) < 0.9 for g in sides for c in sides if c != g)


def test_ranking_with_ties_and_kendall():
    item, kind = ranking(), get_kind("ranking")
    assert kind.score(item, {"ranking": [1, 2, 2, 3]}).credit == 1.0
    partial = kind.score(item, {"ranking": [1, 2, 3, 4]})  # breaks the gold's tie
    expected = scipy_stats.kendalltau([1, 2, 2, 3], [1, 2, 3, 4], variant="b").statistic
    assert partial.credit == pytest.approx(expected, abs=1e-4) and partial.agree
    assert partial.detail["kendall_tau"] == pytest.approx(expected, abs=1e-4)
    swapped = kind.score(item, {"ranking": [2, 1, 3, 4]})  # best and second swapped
    assert swapped.credit < partial.credit and not swapped.agree
    assert kind.score(item, {"ranking": [4, 3, 2, 1]}).credit == 0.0  # reversed scores nothing
    assert kendall_tau_b([1, 2, 3], [3, 2, 1]) == pytest.approx(-1.0)
    assert kendall_tau_b([1, 1, 1], [1, 2, 3]) == 0.0
    with pytest.raises(ItemValidationError):
        kind.validate_answer(item, {"ranking": [1, 2, 3]})
