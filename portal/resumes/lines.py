"""Normalised lines of resume text and the layout each was set in."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_SPACES = re.compile(r"[ \u00a0\u2000-\u200b\u202f\u205f\u3000]+")


@dataclass(frozen=True)
class LineLayout:
    """Where and how a line was set; PDF lines know all of it, DOCX lines size and weight."""

    size: float = 1.0  # relative to the body size of its page
    bold: bool = False
    x: float = 0.0  # left edge as a share of the page's text width
    column: str = "full"  # "full", "main" or "side"
    cells: int = 1


def normalize_text(text: str) -> str:
    """NFKC (undoes ligatures like "ﬁ"), unify spaces and line ends, drop control characters."""
    text = unicodedata.normalize("NFKC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    text = text.replace("\u00ad", "")
    text = _CONTROL.sub("", text)
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    out = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", out).strip()
