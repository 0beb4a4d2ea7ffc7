"""Date ranges as resumes write them, and the union of job intervals in years."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from portal import clock

MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4,
    "april": 4, "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8,
    "sep": 9, "sept": 9, "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11,
    "dec": 12, "december": 12,
    # German, French, Spanish, Italian, Portuguese names that differ from the English ones
    "januar": 1, "jän": 1, "februar": 2, "märz": 3, "mär": 3, "mai": 5, "juni": 6,
    "juli": 7, "okt": 10, "oktober": 10, "dez": 12, "dezember": 12,
    "janvier": 1, "janv": 1, "février": 2, "févr": 2, "fév": 2, "mars": 3, "avril": 4,
    "avr": 4, "juin": 6, "juillet": 7, "juil": 7, "août": 8, "septembre": 9, "octobre": 10,
    "novembre": 11, "décembre": 12, "déc": 12,
    "enero": 1, "ene": 1, "febrero": 2, "marzo": 3, "abril": 4, "abr": 4, "mayo": 5,
    "junio": 6, "julio": 7, "agosto": 8, "ago": 8, "septiembre": 9, "setiembre": 9,
    "octubre": 10, "noviembre": 11, "diciembre": 12, "dic": 12,
    "gennaio": 1, "febbraio": 2, "aprile": 4, "maggio": 5, "giugno": 6, "luglio": 7,
    "settembre": 9, "ottobre": 10, "dicembre": 12, "fevereiro": 2, "março": 3, "maio": 5,
    "junho": 6, "julho": 7, "setembro": 9, "outubro": 10, "novembro": 11, "dezembro": 12,
}  # fmt: skip
# Season -> (first month, last month); winter runs into the next year.
SEASONS = {
    "spring": (3, 5),
    "summer": (6, 8),
    "fall": (9, 11),
    "autumn": (9, 11),
    "winter": (12, 2),
}

_MONTH_ALT = "|".join(sorted(MONTHS, key=len, reverse=True))
_YEAR = r"(?:19[5-9]\d|20\d\d)"
_PRESENT = (
    r"(?:present|current(?:ly)?|now|today|to\s+date|date|ongoing"
    r"|(?:bis\s+)?heute|aktuell|derzeit|jetzt|laufend"
    r"|aujourd['’]hui|(?:à\s+)?ce\s+jour|en\s+cours|actuel(?:lement)?|présent"
    r"|(?:la\s+)?actualidad|actual(?:mente)?|presente|hoy|in\s+corso|oggi|atualmente|atual"
    r"|obecnie|heden)"
)
_SEP = r"\s*(?:-|–|—|−|~|\bto\b|\buntil\b|\btill\b|\bthrough\b|\bthru\b)\s*"


def _date(p: str) -> str:
    return (
        rf"(?:(?P<{p}mon>{_MONTH_ALT})\.?\s*,?\s*'?(?P<{p}y1>{_YEAR})"
        rf"|(?P<{p}mon6>{_MONTH_ALT})\.?\s*['’‘](?P<{p}y6>\d\d)(?!\d)"
        rf"|(?P<{p}season>spring|summer|fall|autumn|winter)\s+(?P<{p}y2>{_YEAR})"
        rf"|(?P<{p}y3>{_YEAR})[-/.](?P<{p}m3>0?[1-9]|1[0-2])(?!\d)"
        rf"|(?P<{p}m4>0?[1-9]|1[0-2])[/.\-](?P<{p}y4>{_YEAR})"
        rf"|(?P<{p}y5>{_YEAR}))"
    )


RANGE_RE = re.compile(
    rf"(?<![\w/.])(?:{_date('s')}{_SEP}(?:(?P<present>{_PRESENT})|{_date('e')})"
    rf"|(?P<mm1>{_MONTH_ALT})\.?{_SEP}(?P<mm2>{_MONTH_ALT})\.?\s*(?P<mmy>{_YEAR}))(?![\w/])",
    re.IGNORECASE,
)
SEASON_RE = re.compile(rf"\b(?P<season>spring|summer|fall|autumn|winter)\s+(?P<y>{_YEAR})\b", re.I)
YEAR_RE = re.compile(rf"(?<!\d){_YEAR}(?!\d)")


@dataclass(frozen=True)
class DateRange:
    """A parsed range: months as (year, month); end None means "present"."""

    start: tuple[int, int]
    end: tuple[int, int] | None
    span: tuple[int, int]

    @property
    def start_str(self) -> str:
        return f"{self.start[0]:04d}-{self.start[1]:02d}"

    @property
    def end_str(self) -> str | None:
        return None if self.end is None else f"{self.end[0]:04d}-{self.end[1]:02d}"


def _point(m: re.Match[str], p: str, *, is_end: bool) -> tuple[int, int] | None:
    g = m.groupdict()
    if g.get(f"{p}mon"):
        return int(g[f"{p}y1"]), MONTHS[g[f"{p}mon"].lower()]
    if g.get(f"{p}mon6"):  # "Jan '19": two-digit years are this century up to 2049
        yy = int(g[f"{p}y6"])
        return (2000 + yy if yy < 50 else 1900 + yy), MONTHS[g[f"{p}mon6"].lower()]
    if g.get(f"{p}season"):
        first, last = SEASONS[g[f"{p}season"].lower()]
        year = int(g[f"{p}y2"])
        if is_end:
            return (year + 1, last) if last < first else (year, last)
        return year, first
    if g.get(f"{p}y3"):
        return int(g[f"{p}y3"]), int(g[f"{p}m3"])
    if g.get(f"{p}y4"):
        return int(g[f"{p}y4"]), int(g[f"{p}m4"])
    if g.get(f"{p}y5"):
        return int(g[f"{p}y5"]), 12 if is_end else 1
    return None


def find_date_range(line: str) -> DateRange | None:
    """The first date range in a line ("Jan 2019 – Present", "2015–2017", "Summer 2020")."""
    m = RANGE_RE.search(line)
    if m:
        if m.group("mm1"):
            year = int(m.group("mmy"))
            start = (year, MONTHS[m.group("mm1").lower()])
            end: tuple[int, int] | None = (year, MONTHS[m.group("mm2").lower()])
        else:
            start = _point(m, "s", is_end=False)  # type: ignore[assignment]
            end = None if m.group("present") else _point(m, "e", is_end=True)
        if start is not None and (end is None or end >= start):
            return DateRange(start, end, m.span())
    s = SEASON_RE.search(line)
    if s:
        first, last = SEASONS[s.group("season").lower()]
        year = int(s.group("y"))
        end_year = year + 1 if last < first else year
        return DateRange((year, first), (end_year, last), s.span())
    return None


def month_index(ym: tuple[int, int]) -> int:
    return ym[0] * 12 + ym[1] - 1


def union_months(intervals: Iterable[tuple[tuple[int, int], tuple[int, int]]]) -> int:
    """Months covered by the union of inclusive (start, end) month intervals."""
    spans = sorted(
        (month_index(s), month_index(e)) for s, e in intervals if month_index(e) >= month_index(s)
    )
    total = 0
    cur_start: int | None = None
    cur_end = 0
    for start, end in spans:
        if cur_start is None or start > cur_end + 1:
            if cur_start is not None:
                total += cur_end - cur_start + 1
            cur_start, cur_end = start, end
        else:
            cur_end = max(cur_end, end)
    if cur_start is not None:
        total += cur_end - cur_start + 1
    return total


def years_of_experience(
    ranges: Iterable[tuple[str, str | None]], *, today: date | None = None
) -> float:
    """Union of "YYYY-MM" intervals in years (overlaps counted once), one decimal."""
    today = today or clock.today()
    now = (today.year, today.month)
    intervals = []
    for start, end in ranges:
        s = (int(start[:4]), int(start[5:7]))
        e = now if end is None else (int(end[:4]), int(end[5:7]))
        if s > now:
            continue
        intervals.append((s, min(e, now)))
    return round(union_months(intervals) / 12, 1)
