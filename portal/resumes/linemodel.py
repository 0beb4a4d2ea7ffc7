"""The line classifier: what each line of a resume is, from its text, layout and neighbours.

A linear-chain CRF (CRFsuite, the sequence model GROBID uses for the same job) over the lines of
the extracted text labels each one ``name``, ``contact``, ``heading``, ``title``, ``employer``,
``date``, ``school``, ``degree``, ``skill``, ``language``, ``bullet``, ``job`` (title, employer
and dates on one line), ``edu`` (a whole education entry on one line) or ``other``. Features:
font size against the body, weight, x position and column (``extract.LineLayout``), the gap
before the line, the section it sits in, shape and exact regexes (dates, emails, phones, URLs,
degree and school words), and the same of the lines around it.

The model is trained by ``python -m portal.resumes.train`` from the generated corpus
(``bench/resume_corpus/gen_families.py``), shipped as ``models/lines.crfsuite`` with its
``lines.json`` (version, corpus, figures) and loaded once per process (``default_model``).
The rules stay in charge; they ask the model only where its answer is known to beat them
(see ``roles.py``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path

from .dates import YEAR_RE, find_date_range
from .lines import LineLayout, normalize_text
from .sections import _BULLET, heading_key

MODEL_DIR = Path(__file__).with_name("models")
MODEL_PATH = MODEL_DIR / "lines.crfsuite"
MODEL_VERSION = "1"
LABELS = (
    "name", "contact", "heading", "title", "employer", "date", "school", "degree", "skill",
    "language", "bullet", "job", "edu", "other",
)  # fmt: skip
# What the corpus generator calls a line -> the classifier's label.
_CORPUS_LABELS = {"title_employer": "job", "date_title": "job", "name_contact": "contact"}

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
_URL = re.compile(r"(?:https?://|www\.|\b[\w-]+\.(?:com|org|net|io|dev)/)\S*", re.I)
_PHONE = re.compile(r"\+?\d[\d ().\-]{7,}\d")
_DEGREE = re.compile(
    r"\b(?:bachelor|master|doctor|ph\.?\s?d|mba|b\.?\s?sc|m\.?\s?sc|b\.?\s?eng|m\.?\s?eng|b\.?a\.|"
    r"m\.?a\.|ll\.?\s?[bm]|b\.?\s?ed|m\.?\s?ed|diplom|licenc|grado|master|dipl|hons|"
    r"[a-z]{1,3}\.(?:[a-z]{1,5}\.){1,3})",
    re.I,
)
_SCHOOL = re.compile(
    r"universi|college|institut|school|academy|hochschule|école|ecole|escuela|polytechn", re.I
)
_COMPANY = re.compile(
    r"\b(?:inc|ltd|llc|llp|gmbh|ag|plc|s\.a|co\.|corp|group|bank|labs?|partners|studios?|"
    r"hospital|clinic|consult\w*|systems|solutions|pty|as)\b",
    re.I,
)


def _shape(text: str) -> dict[str, float | str]:
    words = text.split()
    n = len(words)
    caps = sum(1 for w in words if w[:1].isupper())
    rng = find_date_range(text)
    f: dict[str, float | str] = {
        "bias": 1.0,
        "words": str(min(n, 8)) if n < 8 else ("8-14" if n <= 14 else "15+"),
        "caps_share": round(caps / n, 1) if n else 0.0,
        "all_caps": float(text.isupper() and n <= 5),
        "bullet": float(bool(_BULLET.match(text))),
        "ends_dot": float(text.endswith(".")),
        "comma": float("," in text),
        "pipe": float(bool(re.search(r"[|·•]", text))),
        "tab": float("\t" in text),
        "paren": float("(" in text),
        "colon": float(":" in text),
        "digits": float(any(c.isdigit() for c in text)),
        "year": float(bool(YEAR_RE.search(text))),
        "year_only": float(bool(YEAR_RE.fullmatch(text.strip()))),
        "range": float(rng is not None),
        "range_all": float(rng is not None and len(text) - (rng.span[1] - rng.span[0]) < 4),
        "email": float(bool(_EMAIL.search(text))),
        "url": float(bool(_URL.search(text))),
        "phone": float(bool(_PHONE.search(text)) and not rng),
        "degree": float(bool(_DEGREE.search(text))),
        "school": float(bool(_SCHOOL.search(text))),
        "company": float(bool(_COMPANY.search(text))),
        "heading": heading_key(text) or "",
    }
    if words:
        f["w0"] = words[0].casefold().strip(",.:;")
        f["wN"] = words[-1].casefold().strip(",.:;")
    return f


def cells_of(lines: Sequence[str]) -> list[tuple[str, str, int, int, bool]]:
    """The items the model labels: each cell of each non-blank line (a row of a table or a
    title beside its dates is several cells, joined by tabs), as (cell, row, index, cells in
    the row, blank line before the row)."""
    out = []
    gap = True
    for raw in lines:
        row = raw.strip()
        if not row:
            gap = True
            continue
        cells = [c.strip() for c in row.split("\t") if c.strip()]
        for k, cell in enumerate(cells):
            out.append((cell, row, k, len(cells), gap and k == 0))
        gap = False
    return out


def features(lines: Sequence[str], layout: dict[str, LineLayout] | None = None) -> list[dict]:
    """One feature dict per cell of ``cells_of(lines)``; blank lines become gap features."""
    layout = layout or {}
    out: list[dict] = []
    section = "top"
    since_heading = 0
    since_gap = 0
    items = cells_of(lines)
    kept = [cell for cell, *_ in items]
    shapes = [_shape(cell) for cell in kept]
    gaps = [gap for *_, gap in items]
    for i, (_, row, k, n, _) in enumerate(items):
        f = dict(shapes[i])
        f["cell"] = f"{min(k, 2)}/{min(n, 3)}"
        if f["heading"]:
            section = str(f["heading"])
            since_heading = -1
        since_heading += 1
        since_gap = 0 if gaps[i] else since_gap + 1
        f["section"] = section
        f["since_heading"] = str(min(since_heading, 4))
        f["since_gap"] = str(min(since_gap, 3))
        f["gap_before"] = float(gaps[i])
        f["index"] = str(min(i, 6))
        lay = layout.get(normalize_text(row))
        if lay is not None:
            f["size"] = "big" if lay.size >= 1.4 else "head" if lay.size >= 1.1 else (
                "small" if lay.size < 0.93 else "body")  # fmt: skip
            f["bold"] = float(lay.bold)
            f["x"] = str(min(int(lay.x * 5), 4))
            f["column"] = lay.column
            f["cells"] = str(min(lay.cells, 3))
        for d, tag in ((-1, "p"), (1, "n")):
            j = i + d
            if 0 <= j < len(kept):
                s = shapes[j]
                for key in ("range", "range_all", "degree", "school", "company", "bullet", "year"):
                    f[f"{tag}:{key}"] = s[key]
                f[f"{tag}:heading"] = float(bool(s["heading"]))
                f[f"{tag}:gap"] = float(gaps[j])
            else:
                f[f"{tag}:edge"] = 1.0
        out.append(f)
    return out


def _crf_items(feats: list[dict]) -> list[dict]:
    """CRFsuite wants str -> float or str -> str; strings become one-hot attributes."""
    items = []
    for f in feats:
        items.append({k: v for k, v in f.items() if not (isinstance(v, float) and v == 0.0)})
    return items


class LineModel:
    """A trained classifier; ``tag`` returns (label, probability) per non-blank line."""

    def __init__(self, path: Path) -> None:
        import pycrfsuite

        self.path = Path(path)
        self.tagger = pycrfsuite.Tagger()
        self.tagger.open(str(self.path))

    def tag(
        self, lines: Sequence[str], layout: dict[str, LineLayout] | None = None
    ) -> list[tuple[str, str, float]]:
        """(cell, label, marginal probability of that label) for each cell (see ``cells_of``)."""
        kept = [cell for cell, *_ in cells_of(lines)]
        if not kept:
            return []
        labels = self.tagger.tag(_crf_items(features(kept, layout)))
        return [
            (line, label, self.tagger.marginal(label, i))
            for i, (line, label) in enumerate(zip(kept, labels, strict=True))
        ]


def corpus_labels(lines: Sequence[str], drawn: Iterable[tuple[str, str]]) -> list[str]:
    """The label of each non-blank extracted line, from what the generator drew and called it.

    Each cell is labelled on its own; a line that wrapped or was joined takes the label of the
    drawn text it starts or ends.
    """
    known: dict[str, str] = {}
    for text, label in drawn:
        known.setdefault(_key(text), _CORPUS_LABELS.get(label, label))
    out = []
    for cell, *_ in cells_of(lines):
        k = _key(cell)
        label = known.get(k)
        if label is None:
            hit = [v for t, v in known.items() if k and k in (t[: len(k)], t[-len(k) :])]
            label = hit[0] if hit else "other"
        out.append(label)
    return out


def _key(text: str) -> str:
    return " ".join(re.sub(r"[^\w@.+]+", " ", normalize_text(text).casefold()).split())


def train(
    samples: Iterable[tuple[list[dict], list[str]]], out: Path, *, iterations: int = 150
) -> Path:
    """Train on (features, labels) per document; write the model to ``out``."""
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    for feats, labels in samples:
        trainer.append(_crf_items(feats), labels)
    trainer.set_params(
        {"c1": 0.05, "c2": 0.01, "max_iterations": iterations, "feature.possible_transitions": True}
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(out))
    return out


@lru_cache(maxsize=1)
def default_model() -> LineModel | None:
    """The shipped model, loaded once per process; None when it is missing or unreadable."""
    if not MODEL_PATH.exists():
        return None
    try:
        return LineModel(MODEL_PATH)
    except (ImportError, OSError, ValueError):
        return None


def model_info() -> dict:
    """What the shipped model was trained on (written by ``train``'s command)."""
    meta = MODEL_PATH.with_suffix(".json")
    return json.loads(meta.read_text(encoding="utf-8")) if meta.exists() else {}
