"""Train the line classifier from a generated corpus: ``python -m portal.resumes.train``.

    .venv/bin/python -m portal.resumes.train                       # the shipped model
    .venv/bin/python -m portal.resumes.train --corpus DIR --out X  # any corpus, any place

A corpus is a folder of resumes, each with a ``<stem>.labels.json`` beside it (every drawn line
and what it is; ``bench/resume_corpus/gen_families.py`` writes them). Also
``flask --app wsgi train-resume-model``.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from .errors import ResumeError
from .extract import extract
from .linemodel import MODEL_PATH, MODEL_VERSION, corpus_labels, features, train

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "tests/fixtures/resumes/eval/families"


def labelled_files(corpus: Path) -> list[Path]:
    """The documents of a corpus that have line labels."""
    out = []
    for labels in sorted(corpus.glob("*.labels.json")):
        stem = labels.name.removesuffix(".labels.json")
        out += [p for p in corpus.glob(stem + ".*") if not p.name.endswith(".json")][:1]
    return out


def sample(path: Path) -> tuple[list[dict], list[str]] | None:
    """(features, labels) of one labelled document; None when it cannot be read."""
    drawn = json.loads(path.with_name(path.stem + ".labels.json").read_text(encoding="utf-8"))
    try:
        ex = extract(path.read_bytes())
    except ResumeError:
        return None
    lines = ex.text.split("\n")
    return features(lines, ex.layout), corpus_labels(lines, [tuple(d) for d in drawn])


def train_model(files: Iterable[Path], out: Path = MODEL_PATH) -> dict:
    """Train on ``files`` and write the model and its description beside it."""
    samples = [s for s in (sample(p) for p in files) if s is not None]
    train(samples, out)
    info = {
        "version": MODEL_VERSION,
        "documents": len(samples),
        "lines": sum(len(labels) for _, labels in samples),
        "trained": datetime.now(UTC).strftime("%Y-%m-%d"),
    }
    out.with_suffix(".json").write_text(json.dumps(info, indent=1) + "\n", encoding="utf-8")
    return info


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="portal.resumes.train", description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--out", type=Path, default=MODEL_PATH)
    args = ap.parse_args(argv)
    files = labelled_files(args.corpus)
    if not files:
        ap.error(f"no labelled documents in {args.corpus}")
    info = train_model(files, args.out)
    print(f"trained {args.out} on {info['documents']} documents, {info['lines']} lines")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
