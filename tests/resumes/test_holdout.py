"""Per-field accuracy over the held-out resumes (tests/fixtures/resumes/holdout).

These were written with their own generator (make_holdout.py) to measure the parser on
layouts and vocabulary it was not tuned on; batch A (h01-h17) was measured before the parser was
changed for it, batch B (h18-h25) after. Both now guard against regressions.
"""

import pytest

from portal.resumes import parse_resume

from .scoring import FIELDS, HOLDOUT, TODAY, evaluate, fixture_pairs, table

THRESHOLD = 0.95


def test_holdout_set_is_varied_and_separate():
    pairs = fixture_pairs(HOLDOUT)
    assert len(pairs) >= 15
    assert {doc.suffix for doc, _ in pairs} == {".pdf", ".docx", ".txt"}
    assert not {doc.name for doc, _ in pairs} & {doc.name for doc, _ in fixture_pairs()}


@pytest.mark.parametrize(("doc", "expected"), fixture_pairs(HOLDOUT), ids=lambda p: p.name)
def test_holdout_resume(doc, expected, tmp_path):
    """Each held-out resume on its own, so a failure names the file and the field."""
    for p in (doc, expected):
        (tmp_path / p.name).write_bytes(p.read_bytes())
    acc, misses = evaluate(lambda path: parse_resume(path, today=TODAY), tmp_path)
    assert not misses, "\n".join(misses)


def test_holdout_accuracy_per_field(capsys: pytest.CaptureFixture[str]):
    acc, misses = evaluate(lambda path: parse_resume(path, today=TODAY), HOLDOUT)
    with capsys.disabled():
        print("\n" + table(acc, len(fixture_pairs(HOLDOUT)), "held-out resumes"))
        for miss in misses:
            print("  miss:", miss)
    low = {f: round(acc[f], 3) for f in FIELDS if acc[f] < THRESHOLD}
    assert not low, f"fields below {THRESHOLD}: {low}"
