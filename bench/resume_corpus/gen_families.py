"""Generate the FAMILY corpus (leave-one-family-out training/evaluation) and the NEW held-out set.

    .venv/bin/pip install -e '.[corpus]'    # fpdf2, reportlab (generation only)
    apt-get install -y libreoffice-writer-nogui chromium   # generation only; CI never runs this
    .venv/bin/python bench/resume_corpus/gen_families.py

Writes, each file named ``<family>__<producer>__<n>.<ext>`` with ``.expected.json`` (the
DESIGN.md JSON contract) and ``.labels.json`` (every drawn line and what it is, for the line
classifier) beside it:

- ``tests/fixtures/resumes/eval/families/``: 12 layout families (``families.FAMILIES``) x
  6 files: Chromium, LibreOffice PDF, fpdf2, python-docx, LibreOffice DOCX, and Chromium again
  with other content. Seed 2411. Trained and tuned on.
- ``tests/fixtures/resumes/eval/heldout2/``: written before any tuning, seed 90210; two families
  that are never trained on (``families.HELDOUT_FAMILIES``) by every producer, and every
  training family drawn by ReportLab, a producer never trained on; plus two files that must
  fail. Only its totals are printed (``bench/resume_accuracy.py``).
"""

from __future__ import annotations

import json
import random
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import producers  # noqa: E402
from content import person, truth  # noqa: E402
from families import FAMILIES, HELDOUT_FAMILIES, doc  # noqa: E402

ROOT = HERE.parents[1]
EVAL = ROOT / "tests" / "fixtures" / "resumes" / "eval"
TRAIN_PRODUCERS = ["chromium", "lo-pdf", "fpdf2", "docx", "lo-docx", "chromium"]
ALL_PRODUCERS = ["chromium", "lo-pdf", "fpdf2", "docx", "lo-docx", "reportlab"]
EXT = {"docx": "docx", "lo-docx": "docx"}


def lines_of(d: dict) -> list[list[str]]:
    out: list[list[str]] = []

    def walk(blocks: list) -> None:
        for b in blocks:
            if b[0] == "line":
                out.append([b[1][0], b[1][1]])
            elif b[0] == "cells":
                for _, lines in b[1]:
                    out.extend([ln[0], ln[1]] for ln in lines)

    out.extend([ln[0], ln[1]] for ln in d["header"])
    walk(d["top"])
    walk(d["side"] or [])
    walk(d["main"])
    out.extend([ln[0], ln[1]] for ln in d["footer"])
    return out


def build(folder: Path, plan: list[tuple[str, str]], seed: int, families: dict) -> None:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    rng = random.Random(seed)
    lo: dict[str, list] = {"pdf": [], "docx": []}
    for n, (family, producer) in enumerate(plan):
        lang = rng.choice(["es", "de", "fr"]) if family == "non_english" else (
            rng.choice(["en"] * 6 + ["es", "de", "fr"]))  # fmt: skip
        p = person(rng, lang)
        d = families[family](p, rng)
        stem = f"{family}__{producer}__{n:02d}"
        out = folder / f"{stem}.{EXT.get(producer, 'pdf')}"
        (folder / f"{stem}.expected.json").write_text(
            json.dumps(truth(p), ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
        (folder / f"{stem}.labels.json").write_text(
            json.dumps(lines_of(d), ensure_ascii=False) + "\n", encoding="utf-8"
        )
        if producer == "chromium":
            producers.chromium(d, out)
        elif producer == "fpdf2":
            producers.fpdf2(d, out)
        elif producer == "reportlab":
            producers.reportlab(d, out)
        elif producer == "docx":
            producers.python_docx(d, out, title_style=rng.random() < 0.5)
        else:
            lo[producer.removeprefix("lo-")].append((d, out))
        print(out.name)
    producers.libreoffice(lo["pdf"], "pdf")
    producers.libreoffice(lo["docx"], "docx")


def must_fail(folder: Path) -> None:
    d = doc([producers_line(t) for t in INVOICE])
    producers.reportlab(d, folder / "fail__reportlab__invoice.pdf")
    data = (folder / "fail__reportlab__invoice.pdf").read_bytes()
    (folder / "fail__chromium__truncated.pdf").write_bytes(b"%PDF-1.4\n" + data[9:400])
    for stem in ("fail__reportlab__invoice", "fail__chromium__truncated"):
        (folder / f"{stem}.expected.json").write_text('{"error": true}\n', encoding="utf-8")


INVOICE = ["INVOICE No. 2026-0117", "Billed to: Harbour Stores", "Item  Qty  Price",
           "Paper towels  12  4.50", "Total due within 30 days: 54.00"]  # fmt: skip


def producers_line(text: str) -> tuple:
    return ("line", (text, "other", ""), "L")


def main() -> None:
    train = [(f, p) for f in FAMILIES for p in TRAIN_PRODUCERS]
    build(EVAL / "families", train, 2411, FAMILIES)
    held = [(f, p) for f in HELDOUT_FAMILIES for p in ALL_PRODUCERS]
    held += [(f, "reportlab") for f in FAMILIES]
    build(EVAL / "heldout2", held, 90210, {**FAMILIES, **HELDOUT_FAMILIES})
    must_fail(EVAL / "heldout2")


if __name__ == "__main__":
    main()
