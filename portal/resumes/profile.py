"""What matching needs beyond the resume schema: spoken languages, domains, labelling work."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date
from functools import lru_cache

from portal import clock

from .dates import union_months
from .lexicon import (
    DOMAIN_WORDS,
    LABELLING_TEXT_WORDS,
    LABELLING_TITLE_WORDS,
    LANGUAGES,
    LEVEL_WORDS,
    PLATFORMS,
)

_ITEM_SPLIT = re.compile(r"\s*(?:[,;•·▪●◦‣■|\t]|\s{2,})\s*")
_TOKEN = re.compile(r"[^\W\d_][\w.+/'-]*|\d+")


@lru_cache(maxsize=1)
def _language_index() -> dict[str, str]:
    return {alias.casefold(): name for name, aliases in LANGUAGES.items() for alias in aliases}


def _words(text: str) -> str:
    """Lower-cased words joined by single spaces, with a space at each end for phrase search."""
    return " " + " ".join(_TOKEN.findall(text.casefold())) + " "


def _find_language(text: str) -> tuple[str, int] | None:
    """The first spoken language named in ``text`` and where its name ends."""
    index = _language_index()
    words = _words(text)
    best: tuple[int, int, str] | None = None
    for alias, name in index.items():
        pos = words.find(" " + alias + " ")
        if pos >= 0 and (
            best is None or pos < best[0] or (pos == best[0] and len(alias) > best[1])
        ):
            best = (pos, len(alias), name)
    if best is None:
        return None
    return best[2], best[0] + best[1] + 1


def _find_level(text: str) -> str | None:
    words = _words(text.replace("(", " ").replace(")", " "))
    hits: list[tuple[int, int, str]] = []
    for rank, (level, phrases) in enumerate(LEVEL_WORDS):
        for phrase in phrases:
            pos = words.find(" " + phrase + " ")
            if pos >= 0:
                hits.append((pos, rank, level))
    # "Professional working proficiency" and "full professional" both say professional: the
    # first level word written wins, the stronger level on a tie.
    return min(hits)[2] if hits else None


def parse_languages(lines: Sequence[str]) -> list[dict[str, str]]:
    """Spoken languages with a level from the lines of a languages section.

    Items are split on commas, bullets and tabs; a level may sit on its own line under its
    language (sidebars wrap "Spanish" / "Professional working proficiency"). A language whose
    level is not written gets an empty level.
    """
    items: list[str] = []
    for line in lines:
        for item in _ITEM_SPLIT.split(line.strip()):
            item = item.strip(" -–—:")
            if item:
                items.append(item)
    out: list[dict[str, str]] = []
    seen: set[str] = set()
    for item in items:
        found = _find_language(item)
        if found is None:
            level = _find_level(item)
            if level and out and not out[-1]["level"]:
                out[-1]["level"] = level  # a level on the line under its language
            continue
        name, end = found
        if name in seen:
            continue
        seen.add(name)
        out.append({"language": name, "level": _find_level(item) or ""})
    return out


def languages_in_skills(items: Iterable[str]) -> tuple[list[dict[str, str]], list[str]]:
    """Split skill items into spoken languages ("Spanish (C1)") and the remaining skills."""
    langs: list[dict[str, str]] = []
    rest: list[str] = []
    for item in items:
        found = _find_language(item)
        words = _TOKEN.findall(item)
        if (
            found is not None
            and len(words) <= 4
            and (_find_level(item) or len(words) == len(found[0].split()))
        ):
            langs.append({"language": found[0], "level": _find_level(item) or ""})
        else:
            rest.append(item)
    return langs, rest


@lru_cache(maxsize=1)
def _domain_phrases() -> list[tuple[str, str]]:
    """(" phrase ", domain), longest first, in the form ``_words`` writes text."""
    pairs = [
        (_words(word.replace(".", "")), d) for d, words in DOMAIN_WORDS.items() for word in words
    ]
    return sorted(pairs, key=lambda p: -len(p[0]))


def _domain_hits(text: str) -> dict[str, int]:
    words = _words(text.replace(".", ""))
    hits: dict[str, int] = {}
    for needle, domain in _domain_phrases():
        if needle in words:
            hits[domain] = hits.get(domain, 0) + 1
            words = words.replace(needle, " | ")  # a phrase counts once, not its words again
    return hits


def find_domains(
    titles: Sequence[str], degrees: Sequence[str], skills: Sequence[str]
) -> tuple[list[str], float]:
    """Domain keys from job titles (weight 3), degrees (2) and skills (1), strongest first.

    A second domain is kept only when it is nearly as strong as the first, so that a
    pharmacist who lists Excel is not also a data scientist.
    """
    scores: dict[str, float] = {}
    for texts, weight in ((titles, 3.0), (degrees, 2.0), (skills, 1.0)):
        for text in texts:
            for domain in _domain_hits(text or ""):
                scores[domain] = scores.get(domain, 0.0) + weight  # once per line
    if not scores:
        return [], 0.0
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
    top = ranked[0][1]
    if top < 3:
        return [], 0.2
    chosen = [d for d, s in ranked[:2] if s >= 0.8 * top]
    runner_up = ranked[len(chosen)][1] if len(ranked) > len(chosen) else 0.0
    confidence = 0.5 + 0.45 * min(1.0, (top - runner_up) / top + top / 20)
    return chosen, round(min(confidence, 0.95), 2)


def _has(words: str, phrases: Iterable[str]) -> bool:
    return any(" " + " ".join(_TOKEN.findall(p)) + " " in words for p in phrases)


def _platform_in(text: str) -> str | None:
    words = _words(text)
    for name in PLATFORMS:
        if " " + " ".join(_TOKEN.findall(name.casefold())) + " " in words:
            return name
    return None


def is_labelling_job(job: dict[str, str | None]) -> bool:
    """A job whose title or employer says it was data labelling / AI training."""
    head = _words(f"{job.get('title') or ''} {job.get('company') or ''}")
    return _has(head, LABELLING_TITLE_WORDS) or _platform_in(job.get("company") or "") is not None


def find_labelling(
    jobs: Sequence[tuple[dict[str, str | None], str]], *, today: date | None = None
) -> tuple[dict[str, object], float]:
    """Months of data-labelling / AI-training work and the platforms it was done on.

    ``jobs`` pairs each parsed job with the text written under it. A job counts when its title
    says so ("AI Trainer", "Search Quality Rater"), when its employer is a labelling platform,
    or (with less confidence) when its description does ("rated 12,000+ LLM responses").
    """
    spans: list[tuple[tuple[int, int], tuple[int, int]]] = []
    platforms: list[str] = []
    strong = weak = False
    now = today or clock.today()
    for job, block in jobs:
        head = _words(f"{job.get('title') or ''} {job.get('company') or ''}")
        platform = _platform_in(job.get("company") or "") or _platform_in(block)
        by_title = _has(head, LABELLING_TITLE_WORDS)
        by_text = _has(_words(block), LABELLING_TEXT_WORDS)
        if not (by_title or by_text or _platform_in(job.get("company") or "")):
            continue
        strong = strong or by_title or platform is not None
        weak = weak or not (by_title or platform)
        start = str(job.get("start") or "")
        if not re.fullmatch(r"\d{4}-\d{2}", start):
            continue
        end = str(job.get("end") or f"{now.year:04d}-{now.month:02d}")
        spans.append(((int(start[:4]), int(start[5:7])), (int(end[:4]), int(end[5:7]))))
        if platform and platform not in platforms:
            platforms.append(platform)
    months = union_months(spans)
    if not spans:
        return {"months": 0, "platforms": []}, 0.6
    confidence = 0.9 if strong and not weak else (0.75 if strong else 0.55)
    return {"months": months, "platforms": platforms}, confidence
