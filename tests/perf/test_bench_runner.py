"""`make bench`'s runner: it finds every benchmark and prints each figure beside its baseline."""

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("bench_run", ROOT / "bench" / "run.py")
assert spec is not None and spec.loader is not None
run = importlib.util.module_from_spec(spec)
sys.modules["bench_run"] = run  # dataclasses look their module up
spec.loader.exec_module(run)


def test_every_benchmark_is_found_and_takes_quick():
    scripts = {p.stem for p in run.discover()}
    assert {"load_assessment", "recruiter_search", "matching", "resume_parse"} <= scripts
    assert "run" not in scripts
    for name in scripts:  # the runner passes --quick to each
        assert "--quick" in (ROOT / "bench" / f"{name}.py").read_text(), name


def test_figures_are_printed_beside_their_baselines():
    out = "\n".join(
        [
            "seeded 5,000 applicants",  # detail: no colon
            "set: tuning (58 files)",  # detail: no number after the colon
            "search p95 at 100: 12.5 ms",
            "end to end: 8.0 s (target < 3 s)",
        ]
    )
    figures = run.parse_figures("recruiter_search", out)
    assert [f.name for f in figures] == ["search p95 at 100", "end to end"]
    baselines = {"recruiter_search: search p95 at 100": [25.0, "ms"]}
    assert run.describe(figures[0], baselines) == (
        "recruiter_search: search p95 at 100: 12.5 ms (baseline: 25.0 ms, 0.50x)"
    )
    assert run.describe(figures[1], baselines) == (
        "recruiter_search: end to end: 8.0 s (target < 3 s) (baseline: none)"
    )
