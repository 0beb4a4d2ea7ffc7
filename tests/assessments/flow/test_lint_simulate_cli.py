"""`flask items lint` and `flask assessment simulate --json` (the contracts in DESIGN.md)."""

import json
from pathlib import Path

FLAGGED = Path(__file__).parents[1] / "engine" / "fixtures" / "flagged_lines.jsonl"


def cli(app, *args):
    return app.test_cli_runner().invoke(args=[*map(str, args)])


def test_lint_is_clean_on_the_shipped_bank(app):
    result = cli(app, "items", "lint")
    assert result.exit_code == 0, result.output
    assert result.output == ""


def test_lint_prints_one_finding_a_line_and_exits_1(app, tmp_path):
    result = cli(app, "items", "lint", FLAGGED, "--format", "native")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert len(lines) == 5 and lines[0].startswith("line 1: empty-response: ")
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"kind": "pairwise"}\n')
    broken = cli(app, "items", "lint", bad)
    assert broken.exit_code == 1 and "line 1" in broken.output


def test_simulate_prints_the_contract(app):
    result = cli(app, "assessment", "simulate", "--takers", "60", "--track", "medicine", "--json")
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    assert set(figures["pass_rate"]) == {
        "random",
        "attention_only",
        "careful",
        "fluent_careless",
        "position_bias",
    }
    assert figures["retake_overlap"] == 0.0 and figures["max_item_share"] <= 1.0
    assert figures["bars"]["sources"]["pandalm"] > figures["bars"]["sources"]["pandalm-2of3"]
    assert figures["track"] == "medicine"
    unknown = cli(app, "assessment", "simulate", "--takers", "5", "--track", "cooking", "--json")
    assert unknown.exit_code == 2 and "unknown track" in unknown.output
