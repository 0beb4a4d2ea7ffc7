"""Leave-one-family-out accuracy of the resume parser: one `name: value unit` line per figure.

    .venv/bin/python bench/resume_accuracy.py            # LOFO, in-sample, held-out sets
    .venv/bin/python bench/resume_accuracy.py --quick    # LOFO on PDFs of 4 families only
    .venv/bin/python bench/resume_accuracy.py --misses classic   # what went wrong in a family

The family corpus (tests/fixtures/resumes/eval/families/, bench/resume_corpus/gen_families.py)
names each file ``<family>__<producer>__<n>``. For each family the line classifier is trained on
the files of all OTHER families and the parser, using that model, is measured on the family left
out: that is the figure that counts ("lofo"). "in-sample" trains on every family and measures on
the same files. The held-out sets are then parsed with the shipped model and only their totals
are printed (``heldout2`` is the one written for this stop, before any tuning; ``heldout`` is
last stop's). Scoring is bench/resume_eval.py's (the DESIGN.md JSON contract).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from resume_eval import FIGURES, TODAY, norm, score  # noqa: E402

from portal.resumes import ResumeError, linemodel  # noqa: E402
from portal.resumes.parser import parse_bytes  # noqa: E402
from portal.resumes.train import sample  # noqa: E402

EVAL = ROOT / "tests/fixtures/resumes/eval"
FAMILIES_DIR = EVAL / "families"
QUICK = ("classic", "sidebar_left", "tables", "europass")


def corpus(folder: Path) -> list[tuple[str, Path, dict]]:
    out = []
    for expected in sorted(folder.glob("*.expected.json")):
        stem = expected.name.removesuffix(".expected.json")
        doc = next(p for p in folder.glob(stem + ".*") if not p.name.endswith(".json"))
        out.append((stem.split("__")[0], doc, json.loads(expected.read_text(encoding="utf-8"))))
    return out


def measure(files: list[tuple[str, Path, dict]], model: object, misses: bool = False) -> dict:
    sums: dict[str, list[float]] = defaultdict(list)
    failed = [0, 0]
    for _, doc, want in files:
        try:
            got = parse_bytes(doc.read_bytes(), today=TODAY, line_model=model).public()
        except ResumeError:
            got = None
        if want.get("error"):
            failed[1] += 1
            failed[0] += got is None
            continue
        for fig, val in score(got or {}, want).items():
            sums[fig].append(val)
            if misses and val < 1:
                for f in {"contact": ("name", "email", "phone", "location", "links"),
                          "years": ("years_experience",)}.get(fig, (fig,)):  # fmt: skip
                    if norm((got or {}).get(f)) != norm(want.get(f)):
                        print(f"  miss: {doc.name} {f}: got {(got or {}).get(f)!r} "
                              f"want {want.get(f)!r}")  # fmt: skip
    out = {f: sum(v) / len(v) for f, v in sums.items() if v}
    present = [f for f in FIGURES if f in out]
    out["overall"] = sum(out[f] for f in present) / len(present)
    out["must_fail"] = failed[0] / failed[1] if failed[1] else 1.0
    out["n"] = sum(len(v) for v in sums.values()) / max(1, len(sums))
    return out


def pooled(parts: list[tuple[int, dict]]) -> dict:
    total = sum(n for n, _ in parts)
    keys = {k for _, r in parts for k in r if k != "n"}
    return {k: sum(n * r[k] for n, r in parts if k in r) / total for k in keys}


def report(prefix: str, r: dict) -> None:
    print(f"{prefix} overall: {r['overall']:.3f} score")
    print(f"{prefix} contact: {r['contact']:.3f} accuracy")
    for fig in ("skills", "experience", "education", "languages", "domains"):
        print(f"{prefix} {fig} F1: {r[fig]:.3f} F1")
    print(f"{prefix} labelling: {r['labelling']:.3f} accuracy")
    print(f"{prefix} years within 0.5 y: {100 * r['years']:.1f} %")
    if "must_fail" in r:
        print(f"{prefix} must-fail handled: {100 * r['must_fail']:.1f} %")


def lofo(files: list[tuple[str, Path, dict]], chosen: list[str], *, rules: bool = False,
         misses: bool = False, echo: bool = True) -> dict:  # fmt: skip
    """Pooled figures over the chosen families, each measured with a model trained without it."""
    parts = []
    samples = {} if rules else {f[1]: sample(f[1]) for f in files if f[1].with_name(
        f[1].stem + ".labels.json").exists()}  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        for fam in chosen:
            test = [f for f in files if f[0] == fam]
            model = None
            if not rules:
                path = Path(tmp) / f"{fam}.crfsuite"
                linemodel.train(
                    [s for (doc, s) in samples.items() if s and doc.name.split("__")[0] != fam],
                    path,
                )
                model = linemodel.LineModel(path)
            r = measure(test, model, misses=misses)
            parts.append((len(test), r))
            if echo:
                print(f"lofo {fam}: {r['overall']:.3f} score (experience {r['experience']:.3f}, "
                      f"education {r['education']:.3f})")  # fmt: skip
    return pooled(parts)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="4 families, PDFs only, no held-out")
    ap.add_argument("--misses", metavar="FAMILY", help="print the LOFO misses of one family")
    ap.add_argument("--rules", action="store_true", help="measure the rules alone (no model)")
    args = ap.parse_args()
    files = corpus(FAMILIES_DIR)
    families = sorted({fam for fam, _, _ in files})
    chosen = [args.misses] if args.misses else (list(QUICK) if args.quick else families)
    if args.quick:
        files = [f for f in files if f[1].suffix == ".pdf"]
    report("lofo", lofo(files, chosen, rules=args.rules, misses=bool(args.misses)))
    if args.quick or args.misses:
        return
    shipped = None if args.rules else "shipped"
    report("in-sample", measure(files, shipped))
    for name in ("heldout2", "heldout"):
        report(name, measure(corpus(EVAL / name), shipped))


if __name__ == "__main__":
    main()
