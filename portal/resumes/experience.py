"""Work history: one entry per job, with title, company and date range."""

from __future__ import annotations

import re

from .dates import YEAR_RE, DateRange, find_date_range
from .places import _country_names, place_region
from .sections import _BULLET
from .vocab import (
    CA_PROVINCES,
    CITIES,
    COMPANY_WORDS,
    NAME_PARTICLES,
    TITLE_WORDS,
    US_STATES,
)

_PART_SPLIT = re.compile(r"\s*[|\t·•]\s*|\s+[–—-]\s+|\s*,\s+|\s*[()]\s*")
_AT_SPLIT = re.compile(r"\s+(?:at|@)\s+")
_COMPANY_SUFFIX = re.compile(
    r"^(?:inc|inc\.|ltd|ltd\.|llc|gmbh|ag|plc|s\.?a\.?|b\.?v\.?|co\.?|corp\.?|limited|sas|srl)$",
    re.IGNORECASE,
)
_WORD = re.compile(r"[\w&.+-]+")
_HEADERISH_MAX_WORDS = 10


def _split_parts(s: str, *, at: bool = True) -> list[str]:
    pieces = _PART_SPLIT.split(s)
    if at:
        # "Engineer at Acme", but not "University of Texas at Austin".
        split: list[str] = []
        for piece in pieces:
            m = _AT_SPLIT.search(piece or "")
            if m and _title_score(piece[: m.start()]) > 0:
                split += [piece[: m.start()], piece[m.end() :]]
            else:
                split.append(piece)
        pieces = split
    raw = [p.strip(" -–—,:;.|") if p else "" for p in pieces]
    parts: list[str] = []
    for p in raw:
        if not p:
            continue
        if parts and _COMPANY_SUFFIX.match(p):
            parts[-1] = f"{parts[-1]}, {p}"  # "Acme, Inc."
        else:
            parts.append(p)
    return parts


def _words(s: str) -> list[str]:
    return [w.casefold() for w in _WORD.findall(s)]


def _title_score(s: str) -> float:
    words = _words(s)
    score = sum(1 for w in words if w in TITLE_WORDS) - 0.5 * _company_score(s)
    if len(words) >= 2 and words[-1] in TITLE_WORDS:
        # A title's head noun comes last and names a person ("Hospital Pharmacist"); a field
        # in -ing after a name with no other title word names a firm ("Greenfield Engineering",
        # but "Head of Engineering" is a title).
        if not words[-1].endswith("ing"):
            score += 0.5
        elif not any(w in TITLE_WORDS for w in words[:-1]):
            score -= 0.5
    elif (
        len(words) >= 2
        and len(words[-1]) >= 6
        and words[-1] not in COMPANY_WORDS
        and re.search(r"(?:or|er|ist|ian|ant)$", words[-1])
    ):
        score += 0.5  # an agent noun we do not know: "AI Response Evaluator"
    return score


def _company_score(s: str) -> float:
    return sum(1 for w in _words(s) if w in COMPANY_WORDS)


def _is_place(part: str) -> bool:
    pieces = [p for p in re.split(r"\s*,\s*|\s*/\s*", part) if p]
    return bool(pieces) and all(place_region(p) is not None for p in pieces)


def _strip_bullet(line: str) -> tuple[str, bool]:
    m = _BULLET.match(line)
    if m and (len(line) > m.end()):
        return line[m.end() :], True
    return line, False


def _is_headerish(line: str) -> bool:
    text, bullet = _strip_bullet(line)
    if bullet or not text:
        return False
    words = text.split()
    if len(words) > _HEADERISH_MAX_WORDS:
        return False
    # A sentence ends with a full stop; "Grupo Andino S.A." and "Acme Inc." end with an
    # abbreviation.
    abbreviation = _ABBREVIATION_END.search(text) is not None
    return not (text.endswith(".") and len(words) > 4 and not abbreviation)


_ABBREVIATION_END = re.compile(r"(?:\b(?:[A-Za-z]\.){2,4}|\b(?:Inc|Ltd|Corp|Co|Bros|Jr|Sr)\.)$")


_DURATION = re.compile(
    r"^(?:\d+(?:[.,]\d+)?\+?\s*(?:years?|yrs?|months?|mos?|y|m)\b\.?\s*)+$", re.IGNORECASE
)


def _line_parts(text: str) -> list[str]:
    """Title/company candidates of a header line, without places and durations.

    In "Leeds Grammar School, Leeds, United Kingdom" the part right before a country, state or
    province is its city even when the city is unknown, so it is dropped too (never the first
    part: that is the company). Before a city ("Criteo — Paris") nothing more is dropped.
    """
    parts = [p for p in _split_parts(text) if not _DURATION.match(p)]
    places = [_is_place(p) for p in parts]
    for k in range(2, len(parts)):
        if (
            places[k]
            and not places[k - 1]
            and _is_country(parts[k])
            and _is_city_like(parts[k - 1])
        ):
            places[k - 1] = True
    return [p for p, place in zip(parts, places, strict=True) if not place]


def _is_country(part: str) -> bool:
    """A country, US state or Canadian province ("United Kingdom", "NY"), not a city."""
    raw = part.strip().strip(".")
    if raw in US_STATES or raw in CA_PROVINCES:
        return True
    return raw.casefold() not in CITIES and raw.casefold() in _country_names()


def _is_city_like(part: str) -> bool:
    words = part.split()
    return (
        1 <= len(words) <= 3
        and all(w[:1].isupper() for w in words if w.casefold() not in NAME_PARTICLES)
        and _company_score(part) == 0
        and _title_score(part) <= 0
    )


_OTHER_SEPARATORS = re.compile(r"[|\t·•()@]|\s[–—-]\s|\sat\s")


def _comma_title(text: str) -> str | None:
    """ "Registered Nurse, ICU" when it reads as one title with a specialty after the comma.

    Only a candidate: the caller keeps it whole when the company is on a line of its own.
    """
    text = text.strip()
    if text.count(",") != 1 or _OTHER_SEPARATORS.search(text):
        return None
    head, tail = (t.strip() for t in text.split(","))
    if not head or not tail or len(tail.split()) > 3:
        return None
    if _title_score(head) <= 0 or _company_score(tail) or _is_place(tail):
        return None
    if _COMPANY_SUFFIX.match(tail):
        return None
    return f"{head}, {tail}"


def _companyish(line: str) -> bool:
    """A header line that holds one company-like name and nothing else."""
    if not line or not _is_headerish(line) or find_date_range(line):
        return False
    parts = _line_parts(line)
    if len(parts) != 1 or _title_score(parts[0]) > 0 or len(parts[0].split()) > 8:
        return False
    # Names are capitalised: "Toronto General Hospital", "Bank of Montreal", not a wrapped
    # sentence like "Annotated and reviewed 5,000 model responses".
    return all(
        w[:1].isupper() or w[:1].isdigit() or w.casefold() in _NAME_CONNECTORS
        for w in parts[0].split()
    ) and not re.search(r"\d[\d,.]{2,}", parts[0])


_NAME_CONNECTORS = NAME_PARTICLES | {"of", "and", "the", "for", "&", "in", "at", "für", "und"}


def _next_text(lines: list[str], i: int) -> str:
    return next((ln for ln in lines[i + 1 : i + 3] if ln), "")


def _prev_text(lines: list[str], i: int, stop: int) -> str:
    return next((lines[j] for j in range(i - 1, max(stop, i - 3), -1) if lines[j]), "")


def join_wrapped_dates(lines: list[str]) -> list[str]:
    """Re-join a date cell that wrapped onto the next line in a column layout.

    "September 2021 to\tAttending Physician" + "present\tSourasky Medical Center" becomes
    "September 2021 to present\tAttending Physician" + "Sourasky Medical Center".
    """
    out = list(lines)
    dated = [bool(ln) and find_date_range(ln) is not None for ln in out]
    for i in range(len(out) - 1):
        a, b = out[i], out[i + 1]
        if not a or not b or dated[i] or dated[i + 1]:
            continue
        ca, cb = a.split("\t"), b.split("\t")
        if len(ca) != len(cb):
            continue
        for k in range(len(ca)):
            if len(cb[k].split()) > 3 or not re.search(r"\d|[a-z]{3}", ca[k], re.I):
                continue
            joined = f"{ca[k].strip()} {cb[k].strip()}"
            rng = find_date_range(joined)
            if rng is None or rng.span[0] > len(ca[k].strip()) or rng.span[1] <= len(ca[k]):
                continue
            out[i] = "\t".join([joined, *ca[:k], *ca[k + 1 :]])
            out[i + 1] = "\t".join(cb[:k] + cb[k + 1 :])
            dated[i], dated[i + 1] = True, False
            break
    return out


def _assign_title_company(parts: list[str]) -> tuple[str | None, str | None]:
    parts = [
        p
        for p in parts
        if p and not _is_place(p) and not YEAR_RE.fullmatch(p) and not _DURATION.match(p)
    ]
    if not parts:
        return None, None
    if len(parts) == 1:
        only = parts[0]
        return (only, None) if _title_score(only) >= _company_score(only) else (None, only)
    scores = [_title_score(p) for p in parts]
    best = max(range(len(parts)), key=lambda i: (scores[i], -i))
    title = parts[best]
    rest = [p for i, p in enumerate(parts) if i != best]
    if scores[best] <= 0:
        title, rest = parts[0], parts[1:]
    company = max(rest, key=lambda p: (_company_score(p), -rest.index(p)))
    return title, company


def parse_experience(lines: list[str]) -> list[dict[str, str | None]]:
    """Jobs from the lines of an experience section, anchored on their date ranges."""
    return [job for job, _ in parse_experience_blocks(lines)]


def parse_experience_blocks(lines: list[str]) -> list[tuple[dict[str, str | None], str]]:
    """Jobs, each with the text written under it (its description and bullets)."""
    lines = join_wrapped_dates(lines)
    anchors: list[tuple[int, DateRange]] = []
    for i, line in enumerate(lines):
        if not line:
            continue
        rng = find_date_range(line)
        if rng is None:
            continue
        text, bullet = _strip_bullet(line)
        rest = (line[: rng.span[0]] + " " + line[rng.span[1] :]).strip()
        if bullet and len(rest.split()) > 6:
            continue
        if len(rest.split()) > 14:
            continue
        anchors.append((i, rng))
    if not anchors:
        return []

    first = anchors[0][0]
    before_first = 0
    j = first - 1
    while j >= 0 and lines[j] and _is_headerish(lines[j]) and before_first < 2:
        before_first += 1
        j -= 1
    first_text = _remove_span(lines[first], anchors[0][1].span)
    first_rest = _line_parts(first_text)
    if _comma_title(first_text) and _companyish(_next_text(lines, first)):
        first_rest = [first_text]  # "Registered Nurse, ICU  2018 – now" over "Toronto Hospital"
    mode_before = before_first > 0 or len(first_rest) >= 2

    jobs: list[tuple[dict[str, str | None], str]] = []
    consumed_until = -1
    for k, (i, rng) in enumerate(anchors):
        text = _remove_span(lines[i], rng.span)
        parts = _line_parts(text)
        whole = _comma_title(text)
        next_anchor = anchors[k + 1][0] if k + 1 < len(anchors) else len(lines)
        if mode_before:
            if whole and _companyish(_prev_text(lines, i, consumed_until)):
                parts = [whole]  # "HSBC, Hong Kong" over "Vice President, Credit Risk · 2019 –"
            extra: list[str] = []
            j = i - 1
            # "Müller & Partner GmbH, Köln | 2025 – now" under "Financial Analyst": two parts
            # but no title among them, so the title line above is still read.
            untitled = not any(_title_score(p) > 0 and not _company_score(p) for p in parts)
            while j > consumed_until and (len(extra) + len(parts) < 2 or (untitled and not extra)):
                if not lines[j]:
                    j -= 1
                    continue
                if not _is_headerish(lines[j]) or find_date_range(lines[j]):
                    break
                if len(extra) + len(parts) >= 2 and _title_score(lines[j]) <= 0:
                    break
                above = _comma_title(lines[j])
                if above and len(parts) == 1 and _title_score(parts[0]) <= 0:
                    extra = [above, *extra]  # the company is on the date line
                else:
                    extra = _line_parts(lines[j]) + extra
                j -= 1
            parts = extra + parts
        else:
            if whole and _companyish(_next_text(lines, i)):
                parts = [whole]
            j = i + 1
            while j < next_anchor and len(parts) < 2:
                if not lines[j]:
                    j += 1
                    continue
                if not _is_headerish(lines[j]):
                    break
                parts += _line_parts(lines[j])
                j += 1
        consumed_until = i
        title, company = _assign_title_company(parts)
        if title is None and company is None:
            continue
        below = lines[i + 1 : next_anchor]
        if mode_before:  # the next job's title and company sit above its dates
            trim = 0
            while trim < 2 and below and (not below[-1] or _is_headerish(below[-1])):
                trim += bool(below.pop())
        job = {"title": title, "company": company, "start": rng.start_str, "end": rng.end_str}
        jobs.append((job, "\n".join(below)))
    return jobs


def _remove_span(line: str, span: tuple[int, int]) -> str:
    out = (line[: span[0]] + " " + line[span[1] :]).strip()
    out = re.sub(r"\(\s*\)|\[\s*\]", " ", out)
    return _strip_bullet(out.strip(" |,–—-:·•"))[0]
