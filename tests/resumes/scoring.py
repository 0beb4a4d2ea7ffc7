"""Per-field accuracy of the parser over the labelled fixtures."""

from __future__ import annotations

import json
import re
import unicodedata
from datetime import date
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "resumes"
HOLDOUT = FIXTURES / "holdout"  # never used to tune the parser: see make_holdout.py
TODAY = date(2026, 1, 15)
FIELDS = (
    "name", "email", "phone", "location", "links", "skills", "experience", "education",
    "years_experience",
)  # fmt: skip


# Added by the parser issue (what matching needs); scored by bench/resume_eval.py.
EXTRA_FIELDS = ("languages", "domains", "labelling")


def fixture_pairs(folder: Path = FIXTURES) -> list[tuple[Path, Path]]:
    pairs = []
    for expected in sorted(folder.glob("*.expected.json")):
        stem = expected.name.removesuffix(".expected.json")
        doc = next(p for p in folder.glob(stem + ".*") if not p.name.endswith(".json"))
        pairs.append((doc, expected))
    return pairs


def norm(s: Any) -> str:
    """Compare text ignoring case, accents of punctuation and spacing, not letters."""
    if s is None:
        return ""
    s = unicodedata.normalize("NFKC", str(s)).casefold()
    return " ".join(re.sub(r"[^\w+#]+", " ", s).split())


def _entries_score(got: list[dict], want: list[dict], keys: tuple[str, ...]) -> tuple[int, int]:
    """(matched entries, max(len(got), len(want))): extra or missing entries count as errors."""
    pool = [tuple(norm(e.get(k)) for k in keys) for e in got]
    hits = 0
    for e in want:
        key = tuple(norm(e.get(k)) for k in keys)
        if key in pool:
            pool.remove(key)
            hits += 1
    return hits, max(len(got), len(want))


def score(got: dict, want: dict) -> dict[str, tuple[float, float]]:
    """Field -> (points, possible) for one resume."""
    out: dict[str, tuple[float, float]] = {}
    for f in ("name", "email", "phone", "location"):
        out[f] = (float(norm(got[f]) == norm(want[f])), 1.0)
    out["links"] = (float({norm(x) for x in got["links"]} == {norm(x) for x in want["links"]}), 1)
    g, w = {norm(x) for x in got["skills"]}, {norm(x) for x in want["skills"]}
    if not g and not w:
        f1 = 1.0
    else:
        tp = len(g & w)
        f1 = 2 * tp / (len(g) + len(w)) if (g or w) else 1.0
    out["skills"] = (f1, 1.0)
    hits, n = _entries_score(got["experience"], want["experience"],
                             ("title", "company", "start", "end"))  # fmt: skip
    out["experience"] = (hits, n) if n else (1.0, 1.0)
    hits, n = _entries_score(got["education"], want["education"], ("degree", "school", "year"))
    out["education"] = (hits, n) if n else (1.0, 1.0)
    ok = abs(float(got["years_experience"]) - float(want["years_experience"])) <= 0.2
    out["years_experience"] = (float(ok), 1.0)
    return out


def evaluate(parse: Any, folder: Path = FIXTURES) -> tuple[dict[str, float], list[str]]:
    """Run ``parse(path) -> dict`` over every fixture; return accuracy per field and misses."""
    totals = {f: [0.0, 0.0] for f in FIELDS}
    misses: list[str] = []
    for doc, expected in fixture_pairs(folder):
        want = json.loads(expected.read_text(encoding="utf-8"))
        got = parse(doc)
        assert list(got) == [*FIELDS, *EXTRA_FIELDS, "confidence"], f"{doc.name}: {list(got)}"
        assert set(got["confidence"]) == {*FIELDS, *EXTRA_FIELDS}, doc.name
        for f, (pts, possible) in score(got, want).items():
            totals[f][0] += pts
            totals[f][1] += possible
            if pts < possible:
                misses.append(f"{doc.name} {f}: got {got[f]!r} want {want[f]!r}")
    return {f: (t[0] / t[1] if t[1] else 1.0) for f, t in totals.items()}, misses


def table(acc: dict[str, float], n: int, label: str = "fixtures") -> str:
    rows = [f"resume parser accuracy over {n} {label}", f"{'field':<18}accuracy"]
    rows += [f"{f:<18}{acc[f]:.3f}" for f in FIELDS]
    return "\n".join(rows)


if __name__ == "__main__":
    import sys

    from portal.resumes import parse_resume

    folder = HOLDOUT if sys.argv[1:] == ["--holdout"] else FIXTURES
    acc, misses = evaluate(lambda p: parse_resume(p, today=TODAY), folder)
    print("\n".join(misses))
    print(
        table(
            acc, len(fixture_pairs(folder)), "holdout resumes" if folder == HOLDOUT else "fixtures"
        )
    )
