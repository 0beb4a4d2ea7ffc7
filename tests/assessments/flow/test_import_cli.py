"""`flask import-items`: idempotent, all-or-nothing with a line number, or --skip-invalid."""

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Item

GOOD = [
    {"kind": "pairwise", "prompt": "What is 2 + 2?", "responses": ["4", "5"], "gold": -3},
    {"kind": "pairwise", "prompt": "Capital of France?", "responses": ["Lyon", "Paris"], "gold": 3},
    {"kind": "ranking", "prompt": "Rank", "responses": ["a", "b", "c"], "gold": [1, 2, 2]},
]
SHARED = Path("/work/shared/data/preference")


def write(path: Path, records: list) -> Path:
    path.write_text(
        "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records), "utf-8"
    )
    return path


def count() -> int:
    return db.session.scalar(select(func.count()).select_from(Item))


def run(app, *args):
    return app.test_cli_runner().invoke(args=["import-items", *map(str, args)])


def test_import_is_idempotent(app, tmp_path):
    path = write(tmp_path / "items.jsonl", GOOD)
    first = run(app, path, "--format", "native")
    assert first.exit_code == 0, first.output
    assert first.output.strip() == "3 added, 0 skipped"
    assert run(app, path).output.strip() == "0 added, 3 skipped"
    assert count() == 3
    stored = db.session.scalar(select(Item).where(Item.kind == "ranking"))
    assert stored.gold == [1, 2, 2] and len(stored.content_hash) == 64


def test_a_bad_line_aborts_everything_with_its_number(app, tmp_path):
    bad = {"kind": "pairwise", "prompt": "x", "responses": ["a", "b"], "gold": 9}
    path = write(tmp_path / "items.jsonl", [GOOD[0], GOOD[1], bad, GOOD[2]])
    result = run(app, path)
    assert result.exit_code != 0
    assert "line 3" in result.output and "nothing imported" in result.output
    assert count() == 0
    broken_json = write(tmp_path / "b.jsonl", [GOOD[0], "{not json"])
    assert "line 2" in run(app, broken_json).output and count() == 0


def test_skip_invalid_imports_the_valid_records_and_names_the_bad_lines(app, tmp_path):
    bad = {"kind": "pairwise", "prompt": "x", "responses": ["a", ""], "gold": 1}
    path = write(tmp_path / "items.jsonl", [GOOD[0], bad, GOOD[1], GOOD[0]])
    result = run(app, path, "--skip-invalid")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "2 added, 2 skipped"  # one duplicate, one invalid
    assert "line 2" in lines[1]
    assert count() == 2


@pytest.mark.skipif(not SHARED.exists(), reason="shared preference data not present")
def test_real_pandalm_file_needs_skip_invalid(app):
    path = SHARED / "pandalm-testset-v1.json"
    strict = run(app, path, "--format", "pandalm")
    assert strict.exit_code != 0 and "record 19" in strict.output and count() == 0
    lenient = run(app, path, "--format", "pandalm", "--skip-invalid")
    assert lenient.exit_code == 0
    added = int(lenient.output.split()[0])
    assert added > 700 and count() == added
