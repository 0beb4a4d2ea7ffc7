"""Run every benchmark in bench/ and print each figure beside its recorded baseline.

    .venv/bin/python bench/run.py [--quick] [--only NAME ...] [--save-baseline]
    make bench            # sizes for a 2-core machine (a few minutes)
    make bench QUICK=1    # a smoke run: every script at its --quick size

Every ``bench/*.py`` (except this runner and modules whose name starts with ``_``) is a
benchmark: it accepts ``--quick`` and prints its figures on stdout as ``name: value unit``
lines; anything else it prints (progress, tables) goes to ``bench/.last-run/<script>.log``.
This runner prints one line per figure::

    recruiter_search: search p95: 12.3 ms (baseline: 15.5 ms, 0.79x)

The baselines are ``bench/baseline.json`` (``{"script: name": [value, unit]}``), the figures of a
recorded run on the reference machine (see bench/README.md); ``--save-baseline`` rewrites it
from this run (only for the sizes it was run at: do not save a quick run).
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
BASELINE = BENCH / "baseline.json"
LOGS = BENCH / ".last-run"
# "name: value unit": a name without a colon, a plain number, then an optional unit.
FIGURE = re.compile(r"^(?P<name>[^:]+?):\s+(?P<value>-?\d+(?:\.\d+)?)(?:\s+(?P<unit>\S.*?))?\s*$")


@dataclass(frozen=True)
class Figure:
    script: str
    name: str
    value: float
    unit: str
    text: str  # the value as the script printed it (keeps its precision)
    note: str = ""  # anything after the unit, e.g. "(target < 3 s)": shown, not compared

    @property
    def key(self) -> str:
        return f"{self.script}: {self.name}"


def discover(only: list[str] | None = None) -> list[Path]:
    """The benchmark scripts, in name order."""
    scripts = [
        p
        for p in sorted(BENCH.glob("*.py"))
        if p.name != Path(__file__).name and not p.name.startswith("_")
    ]
    if only:
        scripts = [p for p in scripts if p.stem in only]
    return scripts


def parse_figures(script: str, stdout: str) -> list[Figure]:
    """The ``name: value unit`` lines of a script's output, in order."""
    figures = []
    for line in stdout.splitlines():
        match = FIGURE.match(line.strip())
        if match:
            unit, _, note = (match["unit"] or "").strip().partition(" ")
            figures.append(
                Figure(
                    script,
                    match["name"].strip(),
                    float(match["value"]),
                    unit,
                    match["value"],
                    note.strip(),
                )
            )
    return figures


def describe(figure: Figure, baselines: dict[str, list]) -> str:
    """One line: the figure, then its baseline and the ratio figure / baseline."""
    shown = " ".join(x for x in (f"{figure.key}: {figure.text}", figure.unit, figure.note) if x)
    recorded = baselines.get(figure.key)
    if recorded is None:
        return f"{shown} (baseline: none)"
    value, unit = recorded
    if unit != figure.unit:
        return f"{shown} (baseline: {value} {unit}, units differ)"
    ratio = f"{figure.value / value:.2f}x" if value else "n/a"
    return f"{shown} (baseline: {value} {unit}".rstrip() + f", {ratio})"


def run_script(path: Path, quick: bool, timeout: float) -> tuple[list[Figure], str | None]:
    """Run one benchmark; its figures, and an error sentence when it failed."""
    command = [sys.executable, str(path)] + (["--quick"] if quick else [])
    LOGS.mkdir(exist_ok=True)
    log = LOGS / f"{path.stem}.log"
    try:
        done = subprocess.run(
            command, cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired as exc:
        log.write_text(f"{exc.stdout or ''}\n--- stderr ---\n{exc.stderr or ''}")
        return [], f"timed out after {timeout:.0f} s (log: {log.relative_to(ROOT)})"
    log.write_text(f"{done.stdout}\n--- stderr ---\n{done.stderr}")
    figures = parse_figures(path.stem, done.stdout)
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return figures, f"exit {done.returncode}: {last} (log: {log.relative_to(ROOT)})"
    if not figures:
        return figures, f"printed no `name: value unit` line (log: {log.relative_to(ROOT)})"
    return figures, None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smoke sizes (every script --quick)")
    parser.add_argument("--only", nargs="+", metavar="NAME", help="only these scripts (stems)")
    parser.add_argument("--timeout", type=float, default=600, help="seconds per script")
    parser.add_argument("--save-baseline", action="store_true", help="record this run's figures")
    args = parser.parse_args()

    baselines = json.loads(BASELINE.read_text()) if BASELINE.exists() else {}
    failed = []
    everything: list[Figure] = []
    started = time.perf_counter()
    for path in discover(args.only):
        t0 = time.perf_counter()
        figures, error = run_script(path, args.quick, args.timeout)
        for figure in figures:
            print(describe(figure, baselines), flush=True)
        everything += figures
        took = time.perf_counter() - t0
        if error:
            failed.append(path.stem)
            print(f"{path.stem}: FAILED {error}", flush=True)
        print(f"# {path.name} took {took:.0f} s", file=sys.stderr, flush=True)
    print(f"# all benchmarks took {time.perf_counter() - started:.0f} s", file=sys.stderr)
    if args.save_baseline:
        merged = baselines | {f.key: [float(f.text), f.unit] for f in everything}
        lines = (
            f" {json.dumps(k, ensure_ascii=False)}: {json.dumps(v)}"
            for k, v in sorted(merged.items())
        )
        BASELINE.write_text("{\n" + ",\n".join(lines) + "\n}\n")
        print(f"# saved {len(everything)} baselines to {BASELINE.relative_to(ROOT)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
