"""Education: one entry per degree, with school and graduation year."""

from __future__ import annotations

import re

from .dates import YEAR_RE, find_date_range
from .experience import _is_headerish, _is_place, _remove_span, _split_parts, _strip_bullet
from .roles import role_of

_DEGREE_RE = re.compile(
    r"\b(?:bachelor|master|doctor(?:ate)?|ph\.?\s?d|mba|m\.?b\.?a|b\.?\s?sc|m\.?\s?sc|b\.?\s?eng|"
    r"dipl[oô]m|m\.?\s?eng|b\.?\s?tech|m\.?\s?tech|b\.?\s?a\b|m\.?\s?a\b|b\.?\s?s\b|m\.?\s?s\b|ba|ma|bs|ms|"
    r"bsc|msc|beng|meng|llb|llm|ll\.?b|ll\.?m|md|m\.d|jd|j\.d|diploma|diplom|associate(?:'s)? "
    r"degree|a\.?a\.?s|licen[cs]iate|licenciatura|magister|dipl\.|certificate|hnd|abitur|"
    r"baccalaur[ée]at|inż|ingenier|ingeni[eé]ur|grado|laurea|licence|bacharel|"
    r"бакалавр|магистр|специалист|кандидат|学士|硕士|博士|"
    r"pharm\.?\s?d\b|b\.?\s?pharm|m\.?\s?pharm|pgce|pgde|b\.?\s?com\b|m\.?\s?com\b|b\.?\s?ed\b|"
    r"m\.?\s?ed\b|ed\.?\s?d\b|mbbs|m\.?\s?phil|d\.?\s?phil|mres|bds|b\.?\s?n\b|dnp|staatsexamen|"
    r"postgraduate|graduate diploma|hons\b)",
    re.IGNORECASE,
)
_SCHOOL_RE = re.compile(
    r"(?:universi[td]|college|institut|school|academy|akademie|polytechnic|politecnico|"
    r"conservator|hochschule|école|ecole|escuela|faculdade|facultad|\bTU\b|\bETH\b|\bEPFL\b|"
    r"\bMIT\b|\bUCL\b|\bLSE\b|\bKTH\b|\bIIT\b|\bUCLA\b|\bNYU\b|\bCMU\b|大学|学院|университет|"
    r"институт|университет)",
    re.IGNORECASE,
)


_LEAD_YEAR = re.compile(rf"^{YEAR_RE.pattern}\s+(?=\D)")
_PAREN = re.compile(r"\(([^()\d]{1,40})\)")
_SEGMENT_START = re.compile(r".*(?:[|\t·•,]|\s[–—-]\s)")


def _education_parts(clean: str) -> list[str]:
    """Parts of an education line; a degree keeps its parenthesis ("MBA (Finance)",
    "B.Sc. (Hons) Nursing"), a school's "(Lyon)" is still split off as a place."""

    def protect(m: re.Match[str]) -> str:
        before = clean[: m.start()]
        seg = (
            before[_SEGMENT_START.match(before).end() :] if _SEGMENT_START.match(before) else before
        )
        inner = m.group(1)
        if _DEGREE_RE.search(seg) and not _SCHOOL_RE.search(seg) and not _is_place(inner):
            return "\x00" + inner.replace(",", "\x02") + "\x01"
        if _SCHOOL_RE.search(seg) and not _DEGREE_RE.search(inner) and len(inner.split()) <= 3:
            return " "  # "University College Cork (Cork)": where the school is
        return m.group(0)

    parts = _split_parts(_PAREN.sub(protect, clean), at=False)
    return [p.replace("\x00", "(").replace("\x01", ")").replace("\x02", ",") for p in parts]


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
        parts = [p for p in _education_parts(clean) if p and not YEAR_RE.fullmatch(p)]
        parts = [
            re.sub(
                rf"\s*\b(?:expected|class of|graduated|grad\.?)\s*{YEAR_RE.pattern}?$",
                "",
                p,
                flags=re.I,
            ).strip()
            for p in parts
        ]
        # "2016  Bachelor of Laws, University of Leeds": the year leads the degree.
        parts = [_LEAD_YEAR.sub("", p).strip() for p in parts]
        parts = [p for p in parts if p]
        degree_i = next(
            (k for k, p in enumerate(parts) if _DEGREE_RE.search(p) and not _SCHOOL_RE.search(p)),
            None,
        )
        school_i = next((k for k, p in enumerate(parts) if _SCHOOL_RE.search(p)), None)
        if degree_i is None and len(parts) == 1 and role_of(parts[0]) == "degree":
            degree_i = 0  # "D.Clin.Psy." on a line of its own: no degree word, but a degree
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
