"""Skills: the items of the skills section(s), multi-word skills kept whole."""

from __future__ import annotations

import re

from .contact import EMAIL_RE
from .dates import find_date_range
from .experience import _strip_bullet
from .sections import _INLINE_HEADING, _SPLIT_ITEMS


def _split_items(text: str) -> list[str]:
    items: list[str] = []
    depth = 0
    buf = ""
    for piece in re.split(r"([()])", text):
        if piece == "(":
            depth += 1
            buf += piece
        elif piece == ")":
            depth = max(0, depth - 1)
            buf += piece
        elif depth:
            buf += piece
        else:
            chunks = _SPLIT_ITEMS.split(piece)
            buf += chunks[0]
            if len(chunks) > 1:
                items.append(buf)
                items.extend(chunks[1:-1])
                buf = chunks[-1]
    items.append(buf)
    return items


def parse_skills(lines: list[str]) -> list[str]:
    out: dict[str, str] = {}
    for line in lines:
        text, _ = _strip_bullet(line)
        if not text:
            continue
        m = _INLINE_HEADING.match(text)
        if m and len(m.group("head").split()) <= 4:
            text = m.group("rest")
        elif len(text.split()) > 8 and text.endswith(".") and "," not in text:
            continue
        for item in _split_items(text):
            item = item.strip(" .:;-–—*")
            if not item or len(item) > 40 or len(item.split()) > 5:
                continue
            if EMAIL_RE.search(item) or find_date_range(item):
                continue
            out.setdefault(item.casefold(), item)
    return list(out.values())
