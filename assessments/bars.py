"""Pass bars per data source, derived from the measured human agreement of that source.

A bar is what a qualified rater should reach on a source's gold: the rate at which careful humans
agree with that gold, less an allowance (``ALLOWANCE``) for a single sitting. Where the shipped
data carries several annotators (PandaLM: three per pair) the rate is measured from it: for an
item whose gold is the majority of the other two annotators, how often does the held-out one
match? Where it carries one label, the source's published expert agreement is used and named.

``python -m assessments.bars`` (or ``flask --app wsgi assessment bars``) recomputes
``bank/bars.json``; scoring reads it through :func:`shipped_bars`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from assessments import BANK_DIR

BARS_FILE = BANK_DIR / "bars.json"
ALLOWANCE = 0.10
# Published agreement for sources whose shipped files carry a single label.
PUBLISHED = {
    "llmbar": (0.94, "LLMBar (Zeng et al. 2023): expert agreement on objective pairs ~94%"),
    "hand": (0.94, "hand-written objective items: held to the LLMBar expert rate until audited"),
    "hh-rlhf": (0.63, "HH-RLHF (Bai et al. 2022): researcher-crowdworker agreement ~63%"),
}
DEFAULT_BAR = 0.72


def source_key(source: str, gold_strength: float = 1.0) -> str:
    """The bar family of an item: ``llmbar``, ``pandalm`` / ``pandalm-2of3``, ``hand`` …"""
    family = source.split("#", 1)[0].split("/", 1)[0].split(":", 1)[0] or "hand"
    if family == "pandalm" and gold_strength < 1.0:
        return "pandalm-2of3"
    return family


def pandalm_agreement(rows: Iterable[Mapping[str, Any]]) -> dict[str, dict[str, float]]:
    """Leave-one-out agreement of one PandaLM annotator with the gold the others would make.

    ``pandalm``: when the other two agree (the item would be unanimous-or-better gold), how often
    the third matches them. ``pandalm-2of3``: on items decided 2 to 1, how often a held-out
    annotator matches the majority label (the expected agreement of a fresh careful rater).
    """
    agree_two = total_two = 0
    agree_split = total_split = 0
    for row in rows:
        votes = [row.get(f"annotator{i}") for i in (1, 2, 3)]
        if any(v not in (0, 1, 2) for v in votes):
            continue
        counts = {v: votes.count(v) for v in set(votes)}
        top, n = max(counts.items(), key=lambda kv: kv[1])
        for i in range(3):
            others = votes[:i] + votes[i + 1 :]
            if others[0] == others[1]:
                total_two += 1
                agree_two += votes[i] == others[0]
        if n == 2:
            total_split += 3
            agree_split += n  # the held-out annotator matches the 2-vote label 2 times of 3
    return {
        "pandalm": {"agreement": agree_two / total_two, "n": total_two},
        "pandalm-2of3": {"agreement": agree_split / total_split, "n": total_split},
    }


def derive_bars(
    measured: Mapping[str, Mapping[str, float]], allowance: float = ALLOWANCE
) -> dict[str, dict[str, Any]]:
    """Bars per source: measured (or published) agreement minus ``allowance``."""
    out: dict[str, dict[str, Any]] = {}
    for key, m in measured.items():
        out[key] = {
            "human_agreement": round(m["agreement"], 4),
            "bar": round(m["agreement"] - allowance, 4),
            "basis": f"measured on {int(m['n'])} held-out annotator judgements",
        }
    for key, (rate, basis) in PUBLISHED.items():
        out.setdefault(
            key, {"human_agreement": rate, "bar": round(rate - allowance, 4), "basis": basis}
        )
    return dict(sorted(out.items()))


def compute(data_dir: Path) -> dict[str, Any]:
    """The bars document from the shared preference data."""
    rows = json.loads((data_dir / "pandalm-testset-v1.json").read_text())
    return {"allowance": ALLOWANCE, "sources": derive_bars(pandalm_agreement(rows))}


@lru_cache(maxsize=1)
def shipped_bars() -> dict[str, float]:
    """Bar per source key from ``bank/bars.json`` (empty when the file is absent)."""
    if not BARS_FILE.exists():
        return {}
    doc = json.loads(BARS_FILE.read_text())
    return {k: float(v["bar"]) for k, v in doc["sources"].items()}


def weighted_bar(keys: Sequence[str], weights: Sequence[float], bars: Mapping[str, float]) -> float:
    """The bar of a set of items: their sources' bars weighted like their agreement."""
    total = sum(weights)
    if not total:
        return DEFAULT_BAR
    return sum(w * bars.get(k, DEFAULT_BAR) for k, w in zip(keys, weights, strict=True)) / total


def main(argv: Sequence[str]) -> None:
    """Recompute bank/bars.json."""
    data = Path(argv[1]) if len(argv) > 1 else Path("/work/shared/data/preference")
    doc = compute(data)
    BARS_FILE.write_text(json.dumps(doc, indent=2) + "\n")
    for key, v in doc["sources"].items():
        print(f"{key}: human {v['human_agreement']:.1%} -> bar {v['bar']:.1%} ({v['basis']})")


if __name__ == "__main__":
    import sys

    main(sys.argv)
