"""Contact fields: name, email, phone, links and location."""

from __future__ import annotations

import re
from collections.abc import Sequence

import phonenumbers

from .dates import find_date_range
from .experience import _company_score, _title_score
from .places import place_region
from .sections import Document, heading_key
from .vocab import (
    COMMON_TLDS,
    KNOWN_HOSTS,
    NAME_PARTICLES,
    NAME_STOP,
    TITLE_WORDS,
)

EMAIL_RE = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,24}\b", re.IGNORECASE)
URL_RE = re.compile(
    r"(?<![@\w.\-/])(?P<url>(?P<scheme>https?://)?(?P<host>(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+"
    r"(?P<tld>[a-z]{2,24}))(?::\d+)?(?P<path>/[^\s,;|<>()\"'\]]*)?)",
    re.IGNORECASE,
)
_SEGMENT_SPLIT = re.compile(r"\s*(?:[|·•;\t]|\s{2,}|\s[–—/-]\s)\s*")
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


_URL_BROKEN = re.compile(r"(?:https?://|www\.)\S*[-/_]$|\S+\.[a-z]{2,6}/\S*[-/_]$", re.I)
_URL_TAIL = re.compile(r"^[\w\-/.#?=&%~]+$")


def join_broken_urls(lines: list[str]) -> list[str]:
    """A narrow column wraps "linkedin.com/in/aisha-" / "bello-1": put the URL back together."""
    out: list[str] = []
    for line in lines:
        prev = out[-1] if out else ""
        if prev and _URL_BROKEN.search(prev) and _URL_TAIL.match(line.strip()):
            out[-1] = prev + line.strip()
        else:
            out.append(line)
    return out


def find_links(lines: list[str]) -> list[str]:
    out: dict[str, None] = {}
    for line in join_broken_urls(lines):
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
        placed = len(pieces) > 1 and place_region(pieces[-1]) is not None
        if not placed and any(_company_score(p) or _title_score(p) > 0 for p in pieces):
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


def find_name(doc: Document, display: Sequence[str] = ()) -> tuple[str | None, float]:
    # The layout's display type is the surest sign: a sidebar or a table can put skills and
    # contact lines above the name in the text.
    for line in display[:3]:
        seg = strip_name_affixes(line.strip())
        if is_name_like(seg) and not place_region(seg) and heading_key(seg) is None:
            return _tidy_name(seg), 0.95
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
