import gzip
import json

import pytest

from assessments.domains import TRACKS
from assessments.importers import (
    ItemImportError,
    dump_items,
    guess_domain,
    load_bank,
    load_items,
    new_items,
)

NATIVE = {
    "kind": "pairwise",
    "prompt": "Say hi",
    "responses": ["hi", "bye"],
    "gold": -2,
    "tier": "objective",
}


def lines(*records) -> list[str]:
    return [r if isinstance(r, str) else json.dumps(r) for r in records]


def test_native_round_trip():
    items = load_items(lines(NATIVE, {**NATIVE, "prompt": "Say bye", "gold": 1}), "native")
    assert [i.gold for i in items] == [-2, 1]
    again = load_items(dump_items(items).splitlines(), "native")
    assert again == items


@pytest.mark.parametrize(
    "bad, message",
    [
        ("{not json", "line 3: malformed JSON"),
        (json.dumps({k: v for k, v in NATIVE.items() if k != "gold"}), "line 3: missing field"),
        (json.dumps({**NATIVE, "responses": ["a", "b", "c"]}), "line 3: pairwise needs 2"),
        (json.dumps({**NATIVE, "content_hash": "0" * 64}), "line 3: content_hash"),
        (json.dumps({**NATIVE, "colour": "red"}), "line 3: unknown field"),
    ],
)
def test_native_errors_name_the_line_and_return_nothing(bad, message):
    source = lines(NATIVE, "", bad, {**NATIVE, "prompt": "later"})
    with pytest.raises(ItemImportError, match=message):
        load_items(source, "native")


def test_llmbar_json_array(tmp_path):
    path = tmp_path / "natural.json"
    records = [
        {
            "input": "Write a Python function to add",
            "output_1": "def add",
            "output_2": "no",
            "label": 1,
        },
        {"input": "Name a planet", "output_1": "Cheese", "output_2": "Mars", "label": 2},
    ]
    path.write_text(json.dumps(records))
    items = load_items(path, "llmbar")
    assert [i.gold for i in items] == [-2, 2]
    assert {i.tier for i in items} == {"objective"}
    assert items[0].domain == "coding"
    records[1]["label"] = 3
    path.write_text(json.dumps(records))
    with pytest.raises(ItemImportError, match="record 2: label"):
        load_items(path, "llmbar")


def test_pandalm_votes_to_gold_and_strength():
    base = {"instruction": "Rewrite", "input": "the text", "response1": "x", "response2": "y"}
    rows = [
        {**base, "annotator1": 2, "annotator2": 2, "annotator3": 2},
        {**base, "response1": "z", "annotator1": 1, "annotator2": 1, "annotator3": 2},
        {**base, "response1": "w", "annotator1": 0, "annotator2": 0, "annotator3": 0},
    ]
    items = load_items(lines(*rows), "pandalm")
    assert [(i.gold, i.gold_strength) for i in items] == [(2, 1.0), (-1, 0.67), (0, 1.0)]
    assert items[0].prompt == "Rewrite\n\nthe text" and items[0].tier == "consensus"
    rows.append({**base, "annotator1": 0, "annotator2": 1, "annotator3": 2})
    with pytest.raises(ItemImportError, match="line 4: annotators disagree"):
        load_items(lines(*rows), "pandalm")
    rows[3] = {**base, "response1": True, "annotator1": 1, "annotator2": 1, "annotator3": 1}
    with pytest.raises(ItemImportError, match="line 4: response1 must be a string"):
        load_items(lines(*rows), "pandalm")


def hh(n: int) -> dict:
    prefix = f"\n\nHuman: question {n}?\n\nAssistant: Which one?\n\nHuman: the {n}th"
    return {
        "chosen": f"{prefix}\n\nAssistant: A careful answer {n}.",
        "rejected": f"{prefix}\n\nAssistant: A rude answer {n}.",
    }


def test_hh_rlhf_gz_and_deterministic_sides(tmp_path):
    path = tmp_path / "hh.jsonl.gz"
    with gzip.open(path, "wt") as fh:
        fh.writelines(json.dumps(hh(n)) + "\n" for n in range(20))
    items = load_items(path, "hh-rlhf")
    assert len(items) == 20
    for n, item in enumerate(items):
        assert item.prompt.startswith(f"Human: question {n}?") and item.prompt.endswith(f"{n}th")
        chosen = f"A careful answer {n}."
        assert item.responses[0 if item.gold < 0 else 1] == chosen
        assert item.tier == "consensus" and item.gold_strength < 0.5
    assert {i.gold for i in items} == {-1, 1}  # both sides occur
    assert load_items(path, "hh-rlhf") == items


def test_hh_rlhf_mismatched_prefix():
    bad = hh(1)
    bad["rejected"] = bad["rejected"].replace("question 1", "other")
    with pytest.raises(ItemImportError, match="line 2: chosen and rejected"):
        load_items(lines(hh(0), bad), "hh-rlhf")


def test_errors_list_skips_bad_records():
    errors: list[str] = []
    items = load_items(lines(NATIVE, "{oops", {**NATIVE, "gold": 9}), "native", errors=errors)
    assert len(items) == 1 and len(errors) == 2 and errors[0].startswith("line 2")


def test_idempotent_by_content_hash():
    items = load_items(
        lines(NATIVE, {**NATIVE, "prompt": "Other"}, {**NATIVE, "gold": 1}), "native"
    )
    added, skipped = new_items(items, [])
    assert (len(added), skipped) == (2, 1)  # the third repeats the first's content
    added, skipped = new_items(items, {i.content_hash for i in added})
    assert (added, skipped) == ([], 3)


def test_unknown_format():
    with pytest.raises(ItemImportError, match="unknown format"):
        load_items([], "csv")


def test_guess_domain():
    assert guess_domain("Write a Python function that sorts a list") == "coding"
    assert guess_domain("Solve the equation 2x + 3 = 7") == "mathematics"
    assert guess_domain("Rewrite this paragraph in a formal tone") == "writing"
    assert guess_domain("What should I cook tonight?") == "general"


def test_shipped_bank_loads():
    bank = load_bank()
    assert 200 <= len(bank) <= 300
    assert sum(i.attention_check for i in bank) >= 10 and sum(i.known_broken for i in bank) >= 8
    assert sum(i.kind == "ranking" and i.is_gold for i in bank) >= 15
    for track in TRACKS:
        in_track = [i for i in bank if i.is_gold and i.domain == track]
        assert len(in_track) >= 15, track
    assert {i.kind for i in bank} == {"pairwise", "ranking"}
    assert len({i.content_hash for i in bank}) == len(bank)
