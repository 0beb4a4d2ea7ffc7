"""Field extraction from resume text: contact details, sections, jobs, schools, skills."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

import phonenumbers

from .dates import YEAR_RE, DateRange, find_date_range, years_of_experience
from .errors import ResumeError
from .vocab import (
    CA_PROVINCES,
    CITIES,
    COMMON_TLDS,
    COMPANY_WORDS,
    COUNTRY_ALIASES,
    KNOWN_HOSTS,
    NAME_PARTICLES,
    NAME_STOP,
    SECTION_NAMES,
    TITLE_WORDS,
    US_STATE_NAMES,
    US_STATES,
)

MSG_NOT_RESUME = (
    "This file doesn't look like a resume: we found no contact details, work history or "
    "education in it. Upload your resume as a PDF, DOCX or plain text file."
)

# --- sections ---------------------------------------------------------------------------------

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


# --- places -----------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    from phonenumbers.geocoder import _region_display_name

    names: dict[str, str] = {}
    for region in phonenumbers.SUPPORTED_REGIONS:
        try:
            name = _region_display_name(region, "en")
        except Exception:
            continue
        if name:
            names[name.casefold()] = region
    names.update(COUNTRY_ALIASES)
    for state in US_STATE_NAMES:
        names.setdefault(state, "US")
    return names


def place_region(part: str) -> str | None:
    """Region code for a place name ("Germany" -> "DE", "CA" -> "US", "Lyon" -> "FR")."""
    raw = part.strip().strip(".")
    if raw in US_STATES:
        return "US"
    if raw in CA_PROVINCES:
        return "CA"
    key = raw.casefold()
    if key in CITIES:
        return CITIES[key]
    return _country_names().get(key)


def region_for_location(location: str | None) -> str | None:
    if not location:
        return None
    for part in reversed([p for p in re.split(r"[,/]", location) if p.strip()]):
        region = place_region(part)
        if region:
            return region
    return None


# --- contact fields ---------------------------------------------------------------------------

EMAIL_RE = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,24}\b", re.IGNORECASE)
URL_RE = re.compile(
    r"(?<![@\w.\-/])(?P<url>(?P<scheme>https?://)?(?P<host>(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+"
    r"(?P<tld>[a-z]{2,24}))(?::\d+)?(?P<path>/[^\s,;|<>()\"'\]]*)?)",
    re.IGNORECASE,
)
_SEGMENT_SPLIT = re.compile(r"\s*(?:[|·•;\t]|\s{2,}|\s[–—-]\s)\s*")
_LABEL = re.compile(
    r"^(?:e-?mail|phone|tel|telephone|mobile|cell|location|address|based in|city|web|website|"
    r"linkedin|github|portfolio|name|residence|home)(?:\s*[:：]\s*|\s+(?=[^\W_]*[\d+(])|$)",
    re.IGNORECASE,
)  # a label needs a colon, or a value that starts like a number: "Tel Aviv" is a city
_LOCATION_LABEL = re.compile(
    r"^(?:location|address|based in|city|residence|home)\s*[:：]\s*(?P<v>.+)$", re.I
)
_LOCATION_RE = re.compile(r"^[^\W\d_][^\d@:/|]{0,40}(?:,\s*[^\W\d_][^\d@:/|,]{0,30}){1,2}$")
_NAME_LABEL = re.compile(r"^(?:full\s+)?name\s*[:：]\s*(?P<v>.+)$", re.I)


def find_email(text: str) -> str | None:
    m = EMAIL_RE.search(text)
    return m.group(0).lower().strip(".") if m else None


def normalize_url(url: str) -> str:
    """Scheme https, lower-case host without "www.", no trailing slash."""
    url = url.strip().rstrip(".,;:)")
    url = re.sub(r"^https?://", "", url, flags=re.I)
    host, _, path = url.partition("/")
    host = host.lower()
    if host.startswith("www."):
        host = host[4:]
    path = path.rstrip("/")
    return "https://" + host + ("/" + path if path else "")


def find_links(lines: list[str]) -> list[str]:
    out: dict[str, None] = {}
    for line in lines:
        if "." not in line:
            continue
        for m in URL_RE.finditer(line):
            host = m.group("host").lower()
            bare = host[4:] if host.startswith("www.") else host
            tld = m.group("tld").lower()
            known = any(bare == h or bare.endswith("." + h) for h in KNOWN_HOSTS)
            if known and not m.group("path"):
                continue  # "linkedin.com" alone is not a profile
            ok = (
                m.group("scheme")
                or host.startswith("www.")
                or known
                or (m.group("url") == m.group("url").lower() and tld in COMMON_TLDS)
            )
            if ok:
                out[normalize_url(m.group("url"))] = None
    return list(out)


def find_phone(
    candidates: list[str], *, regions: list[str | None], fallback_region: str | None = "US"
) -> tuple[str | None, float]:
    """First valid phone number, formatted E.164, trying the inferred regions in order."""
    tried: list[str] = []
    for region in [*regions, None]:
        code = region or "ZZ"
        if code in tried:
            continue
        tried.append(code)
        for text in candidates:
            for match in phonenumbers.PhoneNumberMatcher(text, code, phonenumbers.Leniency.VALID):
                if _looks_like_date(match.raw_string):
                    continue
                conf = 0.95 if match.raw_string.lstrip().startswith(("+", "00")) else 0.85
                return phonenumbers.format_number(
                    match.number, phonenumbers.PhoneNumberFormat.E164
                ), conf
    if fallback_region and fallback_region not in tried and candidates:
        for match in phonenumbers.PhoneNumberMatcher(
            candidates[0], fallback_region, phonenumbers.Leniency.VALID
        ):
            if not _looks_like_date(match.raw_string):
                e164 = phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
                return e164, 0.5
    return None, 0.0


def _looks_like_date(raw: str) -> bool:
    return bool(find_date_range(raw)) or bool(re.fullmatch(r"[\d\s]*(19|20)\d\d\s*[-–]\s*\d+", raw))


_CJK_CHARS = "\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af"  # kana, CJK ideographs, hangul
_CJK = re.compile(rf"^[{_CJK_CHARS}]{{2,4}}(?:\s[{_CJK_CHARS}]{{1,3}})?$")
_NAME_TOKEN = re.compile(r"^[^\W\d_][^\W\d_'’.\-]*(?:['’.\-][^\W\d_]*)*\.?$")


def is_name_like(line: str) -> bool:
    s = line.strip()
    if not s or len(s) > 60:
        return False
    if _CJK.match(s):
        return True
    tokens = s.split()
    if not 2 <= len(tokens) <= 5:
        return False
    if any(
        t.casefold().strip(".") in NAME_STOP or t.casefold().strip(".") in TITLE_WORDS
        for t in tokens
    ):
        return False
    upper_seen = 0
    for t in tokens:
        if not _NAME_TOKEN.match(t):
            return False
        if t.casefold() in NAME_PARTICLES:
            continue
        first = t[0]
        if first.islower():
            return False
        if first.isupper():
            upper_seen += 1
    return upper_seen >= 1 or not any(c.isalpha() and c.isupper() != c.islower() for c in s)


_HONORIFIC = re.compile(r"^(?:dr|prof|professor|mr|mrs|ms|miss|mx|sir|dame)\.?\s+", re.I)
_POSTNOMINAL = re.compile(
    r"(?:,?\s+|,\s*)(?:ph\.?\s?d|m\.?d|d\.?o|mba|m\.?sc|b\.?sc|msc|cpa|cfa|pmp|rn|esq|"
    r"llm|jd|dds|dvm|pe|frcs|mrcp|facp)\.?\s*$",
    re.I,
)


def strip_name_affixes(s: str) -> str:
    """ "Dr. Yael Ben-David" -> "Yael Ben-David"; "Maria Costa, PhD" -> "Maria Costa"."""
    s = " ".join(s.split())
    for _ in range(3):
        t = _POSTNOMINAL.sub("", s).strip(" ,")
        if t == s:
            break
        s = t
    m = _HONORIFIC.match(s)
    if m and len(s[m.end() :].split()) >= 2:
        s = s[m.end() :]
    return s


def _tidy_name(s: str) -> str:
    s = " ".join(s.split())
    letters = [c for c in s if c.isalpha()]
    if letters and all(c.isupper() for c in letters if c.upper() != c.lower()) and len(s) > 3:
        return " ".join(
            "-".join(p[:1].upper() + p[1:].lower() for p in w.split("-")) for w in s.split()
        )
    return s


# --- experience and education -----------------------------------------------------------------

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
    return sum(1 for w in words if w in TITLE_WORDS) - 0.5 * _company_score(s)


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
    return not (text.endswith(".") and len(words) > 4)


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

    jobs: list[dict[str, str | None]] = []
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
            while j > consumed_until and len(extra) + len(parts) < 2:
                if not lines[j]:
                    j -= 1
                    continue
                if not _is_headerish(lines[j]) or find_date_range(lines[j]):
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
        jobs.append(
            {"title": title, "company": company, "start": rng.start_str, "end": rng.end_str}
        )
    return jobs


def _remove_span(line: str, span: tuple[int, int]) -> str:
    out = (line[: span[0]] + " " + line[span[1] :]).strip()
    out = re.sub(r"\(\s*\)|\[\s*\]", " ", out)
    return _strip_bullet(out.strip(" |,–—-:·•"))[0]


_DEGREE_RE = re.compile(
    r"\b(?:bachelor|master|doctor(?:ate)?|ph\.?\s?d|mba|m\.?b\.?a|b\.?\s?sc|m\.?\s?sc|b\.?\s?eng|"
    r"dipl[oô]m|m\.?\s?eng|b\.?\s?tech|m\.?\s?tech|b\.?\s?a\b|m\.?\s?a\b|b\.?\s?s\b|m\.?\s?s\b|ba|ma|bs|ms|"
    r"bsc|msc|beng|meng|llb|llm|ll\.?b|ll\.?m|md|m\.d|jd|j\.d|diploma|diplom|associate(?:'s)? "
    r"degree|a\.?a\.?s|licen[cs]iate|licenciatura|magister|dipl\.|certificate|hnd|abitur|"
    r"baccalaur[ée]at|inż|ingenier|ingeni[eé]ur|grado|laurea|licence|bacharel|"
    r"бакалавр|магистр|специалист|кандидат|学士|硕士|博士)",
    re.IGNORECASE,
)
_SCHOOL_RE = re.compile(
    r"(?:universi[td]|college|institut|school|academy|akademie|polytechnic|politecnico|"
    r"conservator|hochschule|école|ecole|escuela|faculdade|facultad|\bTU\b|\bETH\b|\bEPFL\b|"
    r"\bMIT\b|\bUCL\b|\bLSE\b|\bKTH\b|\bIIT\b|\bUCLA\b|\bNYU\b|\bCMU\b|大学|学院|университет|"
    r"институт|университет)",
    re.IGNORECASE,
)


def parse_education(lines: list[str]) -> list[dict[str, object]]:
    """Degree, school and graduation year from the lines of an education section."""
    entries: list[dict[str, object]] = []
    cur: dict[str, object] | None = None
    cur_line = -10
    for i, line in enumerate(lines):
        if not line:
            continue
        text, bullet = _strip_bullet(line)
        years = [int(y) for y in YEAR_RE.findall(text)]
        rng = find_date_range(text)
        clean = _remove_span(text, rng.span) if rng else text
        parts = [p for p in _split_parts(clean, at=False) if p and not YEAR_RE.fullmatch(p)]
        parts = [
            re.sub(
                rf"\s*\b(?:expected|class of|graduated|grad\.?)\s*{YEAR_RE.pattern}?$",
                "",
                p,
                flags=re.I,
            ).strip()
            for p in parts
        ]
        parts = [p for p in parts if p]
        degree_i = next(
            (k for k, p in enumerate(parts) if _DEGREE_RE.search(p) and not _SCHOOL_RE.search(p)),
            None,
        )
        school_i = next((k for k, p in enumerate(parts) if _SCHOOL_RE.search(p)), None)
        if bullet and degree_i is None and school_i is None:
            continue
        if degree_i is not None and school_i is None and len(parts) > degree_i + 1:
            others = [k for k in range(len(parts)) if k != degree_i and not _is_place(parts[k])]
            if len(others) == 1 or (others and others[-1] > degree_i):
                school_i = others[-1]
        if school_i is not None and degree_i is None and len(parts) > 1:
            others = [k for k in range(len(parts)) if k != school_i and not _is_place(parts[k])]
            if len(others) == 1 or (others and _DEGREE_RE.search(parts[others[0]])):
                degree_i = others[0]
        degree = None
        if degree_i is not None:
            pieces = [parts[degree_i]]
            for k in range(degree_i + 1, len(parts)):
                if k == school_i or _is_place(parts[k]):
                    break
                pieces.append(parts[k])
            degree = ", ".join(pieces)
        school = parts[school_i] if school_i is not None else None
        if degree is None and school is None:
            near = cur is not None and i - cur_line == 1 and _is_headerish(line)
            named = [p for p in parts if not _is_place(p)]
            if cur is not None and near and named and cur.get("degree") is None:
                # "École Polytechnique" then "Diplôme d'ingénieur, 2012 – 2015"
                cur["degree"] = ", ".join(named)
                cur_line = i
            elif cur is not None and near and named and cur.get("school") is None:
                cur["school"] = named[0]
                cur_line = i
            if cur is not None and i - cur_line <= 2 and years and cur.get("year") is None:
                cur["year"] = (rng.end or rng.start)[0] if rng else years[-1]
            continue
        close = cur is not None and i - cur_line <= 2
        if (
            close
            and cur is not None
            and (degree is None or cur.get("degree") is None)
            and (school is None or cur.get("school") is None)
        ):
            if degree:
                cur["degree"] = degree
            if school:
                cur["school"] = school
        else:
            cur = {"degree": degree, "school": school, "year": None}
            entries.append(cur)
        cur_line = i
        if years and cur.get("year") is None:
            if rng is not None:
                cur["year"] = (rng.end or rng.start)[0] if rng.end else None
            else:
                cur["year"] = years[-1]
    return entries


# --- skills -----------------------------------------------------------------------------------


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


# --- the whole resume -------------------------------------------------------------------------


@dataclass
class FieldResult:
    fields: dict[str, object]
    confidence: dict[str, float]


def _segments(lines: list[str]) -> list[str]:
    segs: list[str] = []
    for line in lines:
        for seg in _SEGMENT_SPLIT.split(line):
            seg = seg.strip()
            if seg:
                segs.append(seg)
    return segs


_CONTACT_ITEM_START = re.compile(r"\s+(?=[+(]?\d[\d\s().-]{6,}|[\w.+-]+@)")


def location_segments(lines: list[str], name: str | None = None) -> list[str]:
    """Contact-line pieces that may hold a place.

    A piece ends where a phone number or an email starts, so "Vancouver, BC 604-555-0123"
    (items separated by spaces only) still offers "Vancouver, BC". The name line is skipped:
    in "Dr. Arjun Nair, MD" the "MD" is a degree, not Maryland.
    """
    own = strip_name_affixes(name).casefold() if name else None
    out: list[str] = []
    for seg in _segments(lines):
        if _HONORIFIC.match(seg) or (own and strip_name_affixes(seg).casefold() == own):
            continue
        out.append(seg)
        head = _CONTACT_ITEM_START.split(seg, maxsplit=1)[0]
        if head != seg:
            out.append(head)
    return out


def find_location(doc: Document, name: str | None = None) -> tuple[str | None, float]:
    contact_idx = doc.header[:15] + doc.sections.get("contact", [])[:15]
    for i in contact_idx + list(range(min(40, len(doc.lines)))):
        m = _LOCATION_LABEL.match(doc.lines[i])
        if m:
            return m.group("v").strip(" .,;"), 0.9
    segs = location_segments([doc.lines[i] for i in contact_idx], name)
    weak: str | None = None
    for seg in segs:
        seg = _LABEL.sub("", seg).strip(" .;")
        if EMAIL_RE.search(seg) or not _LOCATION_RE.match(seg):
            continue
        pieces = [p.strip() for p in seg.split(",")]
        if any(_company_score(p) or _title_score(p) > 0 for p in pieces):
            continue
        if any(place_region(p) is not None for p in pieces):
            return seg, 0.85
        if weak is None and all(len(p.split()) <= 3 for p in pieces):
            weak = seg
    if weak is None:
        for seg in segs:
            seg = _LABEL.sub("", seg).strip(" .;")
            if place_region(seg):  # a lone "Paris" or "Germany"
                return seg, 0.6
    return weak, (0.4 if weak else 0.0)


def find_name(doc: Document) -> tuple[str | None, float]:
    for i in doc.header[:20] + doc.sections.get("contact", [])[:10]:
        m = _NAME_LABEL.match(doc.lines[i])
        if m and is_name_like(strip_name_affixes(m.group("v"))):
            return _tidy_name(strip_name_affixes(m.group("v"))), 0.95
    for n, i in enumerate(doc.header[:12]):
        for seg in _segments([doc.lines[i]])[:1]:
            seg = strip_name_affixes(seg)
            if is_name_like(seg):
                return _tidy_name(seg), 0.9 if n < 3 else 0.7
    # Sidebar layouts can put a section before the name: look at any early short line.
    for i, line in enumerate(doc.lines[:40]):
        sec = doc.section_of[i]
        if sec in ("experience", "education") or sec.startswith("heading:"):
            continue
        line = strip_name_affixes(line)
        if is_name_like(line) and not place_region(line):
            return _tidy_name(line), 0.5
    return None, 0.0


def extract_fields(
    text: str, *, today: date | None = None, default_region: str | None = None
) -> FieldResult:
    """All fields of the resume schema from normalised text, with a confidence for each."""
    doc = split_sections(text)
    lines = doc.lines
    contact_lines = [lines[i] for i in doc.header[:20] + doc.sections.get("contact", [])]

    name, c_name = find_name(doc)
    email = find_email("\n".join(contact_lines)) or find_email(text)
    location, c_loc = find_location(doc, name)
    regions: list[str | None] = [default_region, region_for_location(location)]
    phone_texts = ["\n".join(contact_lines), text] if contact_lines else [text]
    phone, c_phone = find_phone(
        phone_texts, regions=[r for r in regions if r], fallback_region=None
    )
    if phone is None and not any(regions):
        phone, c_phone = find_phone(phone_texts[:1], regions=[], fallback_region="US")

    skill_idx = set(doc.sections.get("skills", []))
    links = find_links([ln for i, ln in enumerate(lines) if i not in skill_idx])
    skills = parse_skills(doc.section_lines("skills"))
    if name:
        skills = [s for s in skills if s.casefold() != name.casefold()]
    experience = parse_experience(doc.section_lines("experience"))
    education = parse_education(doc.section_lines("education"))
    years = years_of_experience(((str(j["start"]), j["end"]) for j in experience), today=today)

    signals = sum(
        [
            email is not None,
            phone is not None,
            bool(experience),
            bool(education),
            "experience" in doc.headings_found,
            "education" in doc.headings_found,
            "skills" in doc.headings_found,
        ]
    )
    if signals < 2:
        raise ResumeError(MSG_NOT_RESUME, code="not_resume")

    def share(entries: list[dict[str, Any]], keys: tuple[str, ...]) -> float:
        if not entries:
            return 0.0
        full = sum(1 for e in entries if all(e.get(k) for k in keys))
        return round(0.4 + 0.55 * full / len(entries), 2)

    fields: dict[str, object] = {
        "name": name,
        "email": email,
        "phone": phone,
        "location": location,
        "links": links,
        "skills": skills,
        "experience": experience,
        "education": education,
        "years_experience": years,
    }
    confidence = {
        "name": c_name,
        "email": 0.99 if email else 0.0,
        "phone": c_phone,
        "location": c_loc,
        "links": 0.9 if links else 0.3,
        "skills": 0.9 if skills else (0.2 if "skills" in doc.headings_found else 0.0),
        "experience": share(experience, ("title", "company", "start")),
        "education": share(education, ("degree", "school", "year")),
        "years_experience": share(experience, ("start",)),
    }
    return FieldResult(fields=fields, confidence=confidence)
