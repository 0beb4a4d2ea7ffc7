"""Per-field accuracy over the labelled fixtures (tests/fixtures/resumes)."""

import pytest

from portal.resumes import parse_resume

from .scoring import FIELDS, TODAY, evaluate, fixture_pairs, table

THRESHOLD = 0.95


def test_fixture_set_is_varied_enough():
    pairs = fixture_pairs()
    kinds = {doc.suffix for doc, _ in pairs}
    assert len(pairs) >= 30
    assert kinds == {".pdf", ".docx", ".txt"}


def test_accuracy_per_field(capsys: pytest.CaptureFixture[str]):
    acc, misses = evaluate(lambda path: parse_resume(path, today=TODAY))
    with capsys.disabled():
        print("\n" + table(acc, len(fixture_pairs())))
        for miss in misses:
            print("  miss:", miss)
    low = {f: round(acc[f], 3) for f in FIELDS if acc[f] < THRESHOLD}
    assert not low, f"fields below {THRESHOLD}: {low}"
