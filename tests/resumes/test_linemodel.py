"""The line classifier: trained by a command, shipped, loaded once, and the figures it reaches."""

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from bench.resume_accuracy import EVAL, FAMILIES_DIR, corpus, lofo, measure
from portal.resumes import linemodel
from portal.resumes.cli import train_resume_model_command
from portal.resumes.extract import extract
from portal.resumes.parser import parse_bytes

FAMILY = sorted(FAMILIES_DIR.glob("*.expected.json"))


def _tiny_corpus(dest: Path, stems: list[str]) -> Path:
    for stem in stems:
        for f in FAMILIES_DIR.glob(stem + ".*"):
            shutil.copy(f, dest / f.name)
    return dest


def test_training_command_writes_a_model_that_labels_lines(tmp_path):
    stems = ["classic__chromium__00", "sidebar_left__fpdf2__20", "europass__docx__45"]
    src = _tiny_corpus(tmp_path, stems)
    out = tmp_path / "m.crfsuite"
    result = CliRunner().invoke(
        train_resume_model_command, ["--corpus", str(src), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "on 3 documents" in result.output
    assert out.with_suffix(".json").exists()
    doc = src / "classic__chromium__00.pdf"
    ex = extract(doc.read_bytes())
    tags = linemodel.LineModel(out).tag(ex.text.split("\n"), ex.layout)
    labels = dict((line, label) for line, label, _ in tags)
    assert labels[next(ln for ln in labels if "@" in ln)] == "contact"
    assert {label for _, label, _ in tags} <= set(linemodel.LABELS)


def test_training_command_refuses_a_corpus_without_labels(tmp_path):
    (tmp_path / "cv.pdf").write_bytes(b"%PDF-1.4")
    result = CliRunner().invoke(train_resume_model_command, ["--corpus", str(tmp_path)])
    assert result.exit_code != 0
    assert "no labelled documents" in result.output


def test_the_shipped_model_is_loaded_once_per_process(monkeypatch):
    opened = []
    real = linemodel.LineModel.__init__

    def counting(self, path):
        opened.append(path)
        real(self, path)

    monkeypatch.setattr(linemodel.LineModel, "__init__", counting)
    linemodel.default_model.cache_clear()
    try:
        for f in FAMILY[:3]:
            stem = f.name.removesuffix(".expected.json")
            doc = next(p for p in f.parent.glob(stem + ".*") if not p.name.endswith(".json"))
            parse_bytes(doc.read_bytes())
        assert opened == [linemodel.MODEL_PATH]
    finally:
        linemodel.default_model.cache_clear()
    assert linemodel.model_info()["version"] == linemodel.MODEL_VERSION


def test_a_lone_degree_line_without_degree_words_is_read_as_the_degree():
    """The one place the rules ask the model: "D.Clin.Psy." over its school."""
    doc = FAMILIES_DIR / "two_column__docx__15.docx"
    truth = [e for e in measure_one(doc) if e["school"] == "Universidad Complutense de Madrid"]
    assert truth and truth[0]["degree"].rstrip(".") == "D.Clin.Psy"


def measure_one(doc: Path) -> list[dict]:
    return parse_bytes(doc.read_bytes()).fields["education"]


# Floors: just below what bench/resume_accuracy.py measured when this was written (README).


def test_leave_one_family_out_floor():
    r = lofo(corpus(FAMILIES_DIR), sorted({f for f, _, _ in corpus(FAMILIES_DIR)}), echo=False)
    assert r["overall"] >= 0.98
    assert r["experience"] >= 0.96
    assert r["education"] >= 0.97


@pytest.mark.parametrize(("name", "floor"), [("heldout2", 0.97), ("heldout", 0.93)])
def test_held_out_floors(name, floor):
    r = measure(corpus(EVAL / name), "shipped")
    assert r["overall"] >= floor and r["must_fail"] == 1.0
