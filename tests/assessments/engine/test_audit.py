import pytest

from assessments.audit import (
    AGREE,
    DISAGREE,
    SPLIT,
    cohen_kappa,
    collusion_pairs,
    jaccard,
    near_duplicates,
    panel_verdict,
    shingles,
)
from assessments.items import Item


def item(gold=-2, **kw) -> Item:
    return Item(kind="pairwise", prompt="p", responses=("a", "b"), gold=gold, **kw)


def test_panel_agreement_sets_strength_and_routes_doubt_to_review():
    unanimous = panel_verdict(item(), [{"choice": -2}, {"choice": -1}, {"choice": -3}])
    assert (unanimous.verdict, unanimous.strength, unanimous.needs_review) == (AGREE, 1.0, False)
    two_of_three = panel_verdict(item(), [{"choice": -2}, {"choice": -1}, {"choice": 2}])
    assert two_of_three.verdict == AGREE and two_of_three.strength == 0.67
    split = panel_verdict(item(), [{"choice": -2}, {"choice": 2}, {"choice": 1}, {"choice": -1}])
    assert split.verdict == SPLIT and split.needs_review
    against = panel_verdict(item(), [{"choice": 2}, {"choice": 1}, {"flag": {"reason": "x"}}])
    assert against.verdict == DISAGREE and against.strength == 0.0 and against.needs_review
    too_few = panel_verdict(item(), [{"choice": -2}, {"choice": -2}])
    assert too_few.verdict == AGREE and too_few.needs_review
    broken = item(gold=0, known_broken=True, gold_strength=0.0)
    assert panel_verdict(broken, [{"flag": {"reason": "empty"}}] * 3).verdict == AGREE


def test_cohen_kappa_on_a_known_table():
    # 50 items: yes/yes 20, yes/no 5, no/yes 10, no/no 15 -> p_o 0.7, p_e 0.5, kappa 0.4
    table = [("y", "y")] * 20 + [("y", "n")] * 5 + [("n", "y")] * 10 + [("n", "n")] * 15
    assert cohen_kappa(table) == pytest.approx(0.4)
    assert cohen_kappa([(2, 2), (1, 1), (0, 0)]) == pytest.approx(1.0)
    assert cohen_kappa([]) is None
    sklearn_free = [(0, 1), (1, 0)] * 5  # systematic disagreement
    assert cohen_kappa(sklearn_free) == pytest.approx(-1.0)


def test_shingled_jaccard_flags_near_duplicates_only():
    base = "Response A is better because it answers the question directly and cites the figure"
    near = base + " given"
    other = "B is correct: A's loop starts at one and skips the first element of the list"
    assert jaccard(shingles(base), shingles(near)) >= 0.8
    found = near_duplicates({"ann": base, "bob": near, "cy": other})
    assert [(a, b) for a, b, _ in found] == [("ann", "bob")]


def test_collusion_needs_agreement_and_similar_rationales():
    hashes = [f"h{i}" for i in range(20)]
    same = {h: -2 for h in hashes}
    text = "Response A is better because it answers the question directly and cites the figure"
    answers = {"ann": same, "bob": dict(same), "cy": {**same, "h0": 2, "h1": 2}}
    rationales = {"ann": {"h3": text}, "bob": {"h3": text + " too"}, "cy": {"h3": text}}
    pairs = collusion_pairs(answers, rationales)
    assert [(p.first, p.second) for p in pairs] == [("ann", "bob")]
    assert pairs[0].agreement == 1.0 and pairs[0].similar_rationales == 1
    # same answers but independent rationales: no signal
    assert collusion_pairs(answers, {"ann": {"h3": text}, "bob": {"h3": "B, it is wrong"}}) == []
