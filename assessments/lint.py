"""Item lint: check items against the guideline's flag checklist and the bank's rules.

Checklist rules (guidelines v2, "Flag checklist") describe items a rater must flag: an item they
fire on must be marked ``known_broken`` (then flagging it is the right answer and the finding is
silent) or be fixed. Bank rules (domain, length, gold shape) hold for every item.

Each finding is ``Finding(where, rule, detail)`` and prints as ``where: rule: detail``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from assessments import domains
from assessments.items import Item

MAX_WORDS = 320  # an item must be readable within a timed sitting
PLACEHOLDERS = re.compile(r"^\s*(<\s*no\s*output\s*>|n/?a|none|null|\[?no output\]?)\s*$", re.I)
TEMPLATE = re.compile(r"\{\{\s*\w+\s*\}\}|<\|[a-z_]+\|>|<nooutput>", re.I)
MOJIBAKE = re.compile(r"Ã.|â€|ï¿½|\ufffd")
MISSING_CONTEXT = re.compile(
    r"\[(?:[^\]]*\b(?:missing|omitted|not included|attached)\b[^\]]*)\]", re.I
)
DECIMAL = re.compile(r"(?<=\d)[.,](?=\d)")

CHECKLIST_RULES = frozenset(
    {"empty-response", "template-leak", "mis-encoded", "identical-responses", "missing-context"}
)


@dataclass(frozen=True)
class Finding:
    """One lint finding about one item."""

    where: str
    rule: str
    detail: str

    def __str__(self) -> str:
        return f"{self.where}: {self.rule}: {self.detail}"


def _skeleton(text: str) -> str:
    """Text without case, whitespace and punctuation ("differ only by punctuation" compares it);
    a decimal point between digits is kept (1.2 is not 12)."""
    folded = DECIMAL.sub("d", unicodedata.normalize("NFKC", text).casefold())
    return "".join(ch for ch in folded if ch.isalnum())


def _words(item: Item) -> int:
    return len(item.prompt.split()) + sum(len(r.split()) for r in item.responses)


def checklist_findings(item: Item) -> list[tuple[str, str]]:
    """(rule, detail) for each flag-checklist condition the item meets."""
    out: list[tuple[str, str]] = []
    labels = "ABCD"
    for i, response in enumerate(item.responses):
        label = labels[i] if i < len(labels) else str(i + 1)
        if not response.strip() or PLACEHOLDERS.match(response):
            out.append(("empty-response", f"response {label} is empty ({response.strip()!r})"))
        elif TEMPLATE.search(response):
            out.append(
                ("template-leak", f"response {label} contains {TEMPLATE.search(response)[0]!r}")
            )
        if MOJIBAKE.search(response):
            bad = MOJIBAKE.search(response)[0]  # type: ignore[index]
            out.append(("mis-encoded", f"response {label} contains {bad!r}"))
    seen: dict[str, int] = {}
    for i, response in enumerate(item.responses):
        key = _skeleton(response)
        if not key:
            continue
        if key in seen:
            j = seen[key]
            how = (
                "are identical"
                if response.strip() == item.responses[j].strip()
                else ("differ only in whitespace, case or punctuation")
            )
            out.append(("identical-responses", f"responses {labels[j]} and {labels[i]} {how}"))
        else:
            seen[key] = i
    if MISSING_CONTEXT.search(item.prompt):
        out.append(("missing-context", f"prompt says {MISSING_CONTEXT.search(item.prompt)[0]!r}"))
    return out


def lint_item(item: Item, where: str) -> list[Finding]:
    """Findings for one item (checklist findings are silent on known-broken items)."""
    checklist = checklist_findings(item)
    found = [] if item.known_broken else [Finding(where, r, d) for r, d in checklist]
    if item.known_broken and not checklist and not item.source.startswith("broken/"):
        found.append(
            Finding(where, "broken-unexplained", "known_broken but no checklist rule fires")
        )
    if not item.domain or not domains.is_known(item.domain):
        found.append(Finding(where, "domain", f"{item.domain!r} is not in the domain vocabulary"))
    words = _words(item)
    if words > MAX_WORDS:
        found.append(Finding(where, "too-long", f"{words} words (at most {MAX_WORDS})"))
    if item.is_gold and item.kind == "ranking":
        ranks = list(item.gold)  # type: ignore[arg-type]
        if sorted(set(ranks)) != list(range(1, len(set(ranks)) + 1)):
            found.append(Finding(where, "gold-order", f"ranks {ranks} are not dense (1, 2, …)"))
        elif item.tier == "objective" and ranks.count(1) > 1:
            found.append(
                Finding(where, "gold-not-strict", f"objective gold {ranks} has no single best")
            )
    if item.is_gold and item.kind == "pairwise" and item.tier == "objective" and item.gold == 0:
        found.append(Finding(where, "gold-not-strict", "objective gold is a tie"))
    if item.attention_check and item.rationale_required:
        found.append(Finding(where, "attention-rationale", "attention checks take no rationale"))
    return found


def lint(items: Iterable[tuple[str, Item]]) -> list[Finding]:
    """Findings for (where, item) pairs, plus duplicate prompts+responses across the set."""
    found: list[Finding] = []
    first: dict[str, str] = {}
    for where, item in items:
        found += lint_item(item, where)
        h = item.content_hash
        if h in first:
            found.append(Finding(where, "duplicate-item", f"same content as {first[h]}"))
        else:
            first[h] = where
    return found
