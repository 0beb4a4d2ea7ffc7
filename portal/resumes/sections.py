"""Splitting resume text into sections by their headings."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .vocab import (
    SECTION_NAMES,
)

_HEADING_TO_SECTION = {name: key for key, names in SECTION_NAMES.items() for name in names}
_HEADING_TAILS = ("experience", "employment")
_HEADING_CLEAN = re.compile(r"[^\w&+ ]+")
_INLINE_HEADING = re.compile(r"^(?P<head>[^\W\d][\w &/]{1,34}?)\s*[:：]\s*(?P<rest>\S.*)$")
_BULLET = re.compile(r"^[\-*•●▪◦‣·■□✓✔➢►▶○◆♦–—>]+\s*")
_SPLIT_ITEMS = re.compile(r"\s*(?:[,;|•·▪●◦‣■\t]|\s[–—/*]\s|\s-\s)\s*")


_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_MD_EMPHASIS = re.compile(
    r"(\*\*)(?=\S)(.+?)(?<=\S)\*\*|(?<![\w*])\*(?=[^\s*])([^*\n]+?)(?<=\S)\*(?![\w*])"
)


def demarkdown(line: str) -> str:
    """Resume text written in Markdown: "## Experience" -> "Experience", "**Acme**" -> "Acme".

    A lone "*" bullet or a " * " separator is left alone.
    """
    if "#" in line:
        line = _MD_HEADING.sub("", line)
    if "*" in line:
        line = _MD_EMPHASIS.sub(lambda m: m.group(2) or m.group(3), line)
    return line


def heading_key(line: str, *, qualified: bool = False) -> str | None:
    """The section a heading line opens ("Work History" -> "experience"), else None.

    With ``qualified``, also a capitalised qualifier before "Experience"/"Employment"
    ("Research Experience", "Teaching Experience"); off inside a skills section, where
    "User Experience" is a skill.
    """
    raw = line.strip()
    if not raw or len(raw) > 48:
        return None
    if re.fullmatch(r"(?:\w\s){2,}\w", raw):  # letter-spaced "E X P E R I E N C E"
        raw = raw.replace(" ", "")
    text = _HEADING_CLEAN.sub(" ", raw.replace("&", " and ").rstrip(":：")).casefold()
    text = " ".join(text.split())
    key = _HEADING_TO_SECTION.get(text)
    if key is None and qualified and not any(c.isdigit() for c in raw):
        words = raw.rstrip(":：").split()
        if (
            2 <= len(words) <= 3
            and words[-1].casefold() in _HEADING_TAILS
            and all(w[:1].isupper() for w in words)
        ):
            key = "experience"
    return key


@dataclass
class Document:
    """Lines of a resume split into a header and named sections (a section may recur)."""

    lines: list[str]
    header: list[int] = field(default_factory=list)
    sections: dict[str, list[int]] = field(default_factory=dict)
    section_of: list[str] = field(default_factory=list)
    headings_found: set[str] = field(default_factory=set)

    def section_lines(self, key: str) -> list[str]:
        return [self.lines[i] for i in self.sections.get(key, [])]


def split_sections(text: str) -> Document:
    """Assign each line to the header or to the section whose heading precedes it."""
    lines: list[str] = []
    section_of: list[str] = []
    current = "header"
    for raw in text.split("\n"):
        line = demarkdown(raw).strip()
        key = heading_key(line, qualified=current != "skills")
        if key is not None:
            current = key
            lines.append("")
            section_of.append("heading:" + key)
            continue
        if "\t" in line:
            # A table's label column (Europass): "DIGITAL SKILLS<tab>CATIA, Python".
            head, rest = line.split("\t", 1)
            key = heading_key(head)
            if key is not None and rest.strip() and (key != "other" or head.isupper()):
                current = key
                lines.append("")
                section_of.append("heading:" + key)
                line = rest.strip()
        m = _INLINE_HEADING.match(line)
        if m:
            key = heading_key(m.group("head"))
            # Inside a skills section "Languages: Python, Go" is a category, not a new section.
            if key is not None and (current != "skills" or key in ("experience", "education")):
                current = key
                lines.append("")
                section_of.append("heading:" + key)
                line = m.group("rest")
        lines.append(line)
        section_of.append(current)
    doc = Document(lines=lines, section_of=section_of)
    for i, sec in enumerate(section_of):
        if sec.startswith("heading:"):
            doc.headings_found.add(sec[8:])
        elif sec == "header":
            doc.header.append(i)
        else:
            doc.sections.setdefault(sec, []).append(i)
    return doc
