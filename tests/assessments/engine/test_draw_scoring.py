import random
from collections import Counter

import pytest

from assessments.draw import Blueprint, DrawnItem, draw_items, track_blueprint
from assessments.importers import load_bank
from assessments.items import Item
from assessments.scoring import ScoringConfig, find_cycles, score_attempt, tier_passes


@pytest.fixture(scope="module")
def bank() -> list[Item]:
    return load_bank()


def test_draw_follows_blueprint(bank):
    drawn = draw_items(bank, Blueprint(n_items=30), random.Random(3))
    assert [d.position for d in drawn] == list(range(30))
    assert sum(d.item.attention_check for d in drawn) == 2
    assert sum(d.item.known_broken for d in drawn) == 2
    repeats = [d for d in drawn if d.repeat_of is not None]
    assert len(repeats) == 3
    for rep in repeats:
        first = drawn[rep.repeat_of]
        assert first.item == rep.item and rep.position - first.position > 5
        assert rep.permutation == tuple(reversed(first.permutation))  # responses swapped
    firsts = [d.item.content_hash for d in drawn if d.repeat_of is None]
    assert len(firsts) == len(set(firsts))
    kinds = Counter(d.item.kind for d in drawn if d.item.is_gold and d.repeat_of is None)
    assert kinds["ranking"] >= 3
    for d in drawn:
        assert "gold" not in d.view()


def test_draw_orders_differ_by_seed(bank):
    a = draw_items(bank, Blueprint(), random.Random(1))
    b = draw_items(bank, Blueprint(), random.Random(2))
    assert [d.item for d in a] != [d.item for d in b]
    assert a == draw_items(bank, Blueprint(), random.Random(1))


def test_draw_degrades_with_a_short_pool(bank):
    pool = [i for i in bank if i.is_gold][:6]
    drawn = draw_items(pool, Blueprint(n_items=30), random.Random(1))
    assert 6 <= len(drawn) < 30
    assert draw_items([], Blueprint(), random.Random(1)) == []


def test_domain_minimums(bank):
    drawn = draw_items(bank, Blueprint(domain_minimums={"coding": 5}), random.Random(4))
    assert sum(d.item.domain == "coding" for d in drawn) >= 5


def make(kind="pairwise", gold=-2, tier="objective", **kw) -> Item:
    responses = kw.pop("responses", ("left", "right") if kind == "pairwise" else ("x", "y", "z"))
    return Item(
        kind=kind, prompt=kw.pop("prompt", "p"), responses=responses, gold=gold, tier=tier, **kw
    )


def attempt(*items: Item, repeats: dict[int, int] | None = None) -> list[DrawnItem]:
    repeats = repeats or {}
    out = []
    for n, item in enumerate(items):
        perm = (1, 0) if n in repeats else tuple(range(len(item.responses)))
        out.append(DrawnItem(n, item, perm, repeats.get(n)))
    return out


def test_perfect_attempt_passes_with_breakdown():
    drawn = attempt(
        make(gold=-2, prompt="a"),
        make(gold=1, tier="consensus", prompt="b"),
        make("ranking", gold=(1, 2, 3), tier="consensus", prompt="c"),
        make(gold=3, attention_check=True, prompt="d"),
        make(gold=0, known_broken=True, gold_strength=0.0, prompt="e"),
        make(gold=-2, prompt="a"),
        repeats={5: 0},
    )
    answers = {
        0: {"choice": -2},
        1: {"choice": 1},
        2: {"ranking": [1, 2, 3]},
        3: {"choice": 3},
        4: {"flag": {"reason": "garbled"}},
        5: {"choice": 2},
    }
    result = score_attempt(drawn, answers)
    assert result.passed, result.reasons
    assert result.score == 100.0
    assert set(result.per_tier) == {"objective", "consensus"}
    assert result.per_kind["ranking"]["agreement"] == 1.0
    assert result.components["consistency"] == 1.0
    assert [r.role for r in result.items] == [
        "gold",
        "gold",
        "gold",
        "attention",
        "broken",
        "repeat",
    ]


def test_failures_are_explained():
    drawn = attempt(
        make(gold=-2, prompt="a"),
        make(gold=3, attention_check=True, prompt="d"),
        make(gold=0, known_broken=True, gold_strength=0.0, prompt="e"),
        make(gold=-2, prompt="a"),
        repeats={3: 0},
    )
    answers = {0: {"choice": 2}, 1: {"choice": -1}, 2: {"choice": 0}, 3: {"choice": 2}}
    result = score_attempt(drawn, answers)
    assert not result.passed
    text = " ".join(result.reasons)
    for word in ("objective", "attention", "broken", "self-consistency"):
        assert word in text


def test_false_flag_costs_a_little():
    drawn = attempt(make(gold=-2, prompt="a"), make(gold=-1, prompt="b"))
    clean = score_attempt(drawn, {0: {"choice": -2}, 1: {"choice": -1}})
    flagged = score_attempt(
        drawn, {0: {"choice": -2}, 1: {"choice": -1, "flag": {"reason": "looks off"}}}
    )
    assert flagged.false_flags == 1
    assert 0 < clean.score - flagged.score <= 2


def test_rationales_count_only_once_graded():
    items = [make(gold=-2, prompt=f"q{n}", rationale_required=True) for n in range(2)]
    answers = {0: {"choice": -2, "rationale": "A is right"}, 1: {"choice": -2, "rationale": "x"}}
    ungraded = score_attempt(attempt(*items), answers)
    assert ungraded.components["rationale"] is None
    assert ungraded.notes == ["rationales not yet graded"] and not ungraded.rationales_graded
    assert ungraded.score == 100.0  # word counts no longer score anything
    half = score_attempt(attempt(*items), answers, rationale_grades={0: 2})
    assert half.components["rationale"] is None  # one of two graded: still pending
    good = score_attempt(attempt(*items), answers, rationale_grades={0: 2, 1: 1})
    assert good.components["rationale"] == 0.75 and good.rationales_graded
    assert good.score == pytest.approx(100 * (0.9 + 0.1 * 0.75))
    bad = score_attempt(attempt(*items), answers, rationale_grades={0: 0, 1: 1})
    assert not bad.passed and any("rationale grade" in r for r in bad.reasons)


def test_reversed_repeat_and_cycles_count_against_consistency():
    a, b, c = "Alpha answer", "Beta answer", "Gamma answer"
    first = make(gold=-2, responses=(a, b))
    drawn = [
        DrawnItem(0, first, (0, 1)),
        DrawnItem(1, make(gold=-2, responses=(b, c)), (0, 1)),
        DrawnItem(2, make(gold=2, responses=(c, a)), (0, 1)),
        DrawnItem(3, first, (1, 0), repeat_of=0),
    ]
    consistent = {0: {"choice": -2}, 1: {"choice": -2}, 2: {"choice": 2}, 3: {"choice": 2}}
    assert score_attempt(drawn, consistent).components["consistency"] == 1.0
    reversed_repeat = {**consistent, 3: {"choice": -2}}  # same shown side: canonical B > A
    result = score_attempt(drawn, reversed_repeat)
    assert result.components["consistency"] == 0.0
    assert [sorted(c) for c in result.cycles] != []  # the reversal shows as a 2-cycle
    # an intransitive triangle counts once more on top of the (consistent) repeat
    cyclic = {**consistent, 2: {"choice": -2}}
    result = score_attempt(drawn, cyclic)
    assert len(result.cycles) == 1 and len(result.cycles[0]) == 3
    assert result.components["consistency"] == 0.5


def test_cycles_detected_across_pairs():
    a, b, c = "Alpha answer", "Beta answer", "Gamma answer"
    drawn = attempt(make(responses=(a, b)), make(responses=(b, c)), make(responses=(c, a)))
    result = score_attempt(drawn, {0: {"choice": -1}, 1: {"choice": -1}, 2: {"choice": -1}})
    assert len(result.cycles) == 1 and len(result.cycles[0]) == 3
    assert find_cycles([("a", "b"), ("b", "c")]) == []


def test_thresholds_are_configurable():
    drawn = attempt(make(gold=-2, prompt="a"), make(gold=-2, prompt="b"))
    answers = {0: {"choice": -2}, 1: {"choice": 2}}
    assert not score_attempt(drawn, answers).passed
    lenient = ScoringConfig(source_bars={"hand": 0.5}, min_gold_agreement=0.5, pass_score=40)
    assert score_attempt(drawn, answers, lenient).passed


def test_tier_tolerance():
    assert tier_passes(0.80, 0.85, 20, 1.28)
    assert not tier_passes(0.60, 0.85, 20, 1.28)
    assert tier_passes(0.0, 0.85, 0, 1.28)


def test_invalid_stored_answer_scores_zero():
    drawn = attempt(make(gold=-2))
    result = score_attempt(drawn, {0: {"choice": 99}})
    assert result.items[0].credit == 0.0 and "invalid" not in result.items[0].detail


def test_exposure_cap_exclusion_and_weighting():
    bank = load_bank()
    rng = random.Random(3)
    first = draw_items(bank, Blueprint(), rng)
    seen = {d.item.content_hash for d in first}
    retake = draw_items(bank, Blueprint(), rng, exclude=seen)
    assert not seen & {d.item.content_hash for d in retake}
    assert len({d.position for d in retake}) == Blueprint().n_items
    # an item at the cap (25 % of a 100-attempt window) is not drawn at all
    capped = {h: 25 for h in seen}
    for _ in range(20):
        assert not seen & {
            d.item.content_hash for d in draw_items(bank, Blueprint(), rng, exposure=capped)
        }
    # heavily shown items come up less often than fresh ones
    gold = [i for i in bank if i.is_gold]
    heavy = {i.content_hash: 20 for i in gold[: len(gold) // 2]}
    counts = Counter()
    for _ in range(200):
        for d in draw_items(bank, Blueprint(), rng, exposure=heavy):
            if d.item.is_gold and d.repeat_of is None:
                counts[d.item.content_hash in heavy] += 1
    assert counts[True] < counts[False] / 2


def test_attention_checks_rotate_templates():
    bank = load_bank()
    templates = {i.source.split("#")[0] for i in bank if i.attention_check}
    assert len(templates) >= 5
    rng = random.Random(4)
    for _ in range(30):
        drawn = draw_items(bank, Blueprint(), rng)
        used = [d.item.source.split("#")[0] for d in drawn if d.item.attention_check]
        assert len(used) == len(set(used)) == Blueprint().n_attention


def test_track_minimum_gives_a_reported_domain_score():
    bank = load_bank()
    drawn = draw_items(bank, track_blueprint("medicine"), random.Random(5))
    medicine = [d for d in drawn if d.item.domain == "medicine" and d.repeat_of is None]
    assert len(medicine) >= 8
    answers = {d.position: {"choice": int(d.item.gold)} for d in drawn if d.item.kind == "pairwise"}
    result = score_attempt(drawn, answers)
    assert result.per_domain["medicine"]["agreement"] is not None
    small = [k for k, v in result.per_domain.items() if v["items"] < 6]
    assert small and all(result.per_domain[k]["agreement"] is None for k in small)
    french = draw_items(bank, track_blueprint("languages", "fr"), random.Random(6))
    assert sum(d.item.language == "fr" for d in french) >= 8
    with pytest.raises(ValueError):
        track_blueprint("languages")
    with pytest.raises(ValueError):
        track_blueprint("cooking")
