"""What a posting may hold and how its status moves (pure: no Flask, no database).

`check` returns every problem at once, keyed by field, so the admin form shows them all after
one submit and the service refuses the same values whoever calls it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from datetime import date
from typing import Any

from portal.applicants.countries import COUNTRIES
from portal.domains import CHOICES as DOMAIN_CHOICES
from portal.domains import TRACKS
from portal.models.posting import POSTING_SECTIONS, POSTING_STATUSES
from portal.money import SYMBOLS

CURRENCIES: tuple[str, ...] = tuple(SYMBOLS)  # the currencies the portal shows and pays in
TRACK_CHOICES: tuple[str, ...] = ("general", *(t for t in TRACKS if t != "general"))
MAX_WEEKLY_HOURS = 40
MAX_ANSWER_DAYS = 10
MAX_PAY_CENTS = 100_000  # $1,000 an hour: anything above is a typo in cents vs dollars

# The languages a posting may ask for (ISO 639-1), with the names the board shows.
LANGUAGES: dict[str, str] = {
    "ar": "Arabic",
    "zh": "Chinese",
    "nl": "Dutch",
    "en": "English",
    "fr": "French",
    "de": "German",
    "hi": "Hindi",
    "id": "Indonesian",
    "it": "Italian",
    "ja": "Japanese",
    "ko": "Korean",
    "pl": "Polish",
    "pt": "Portuguese",
    "ru": "Russian",
    "es": "Spanish",
    "sv": "Swedish",
    "tr": "Turkish",
    "uk": "Ukrainian",
    "vi": "Vietnamese",
}

# status -> the statuses it may move to; closed is final.
MOVES: dict[str, tuple[str, ...]] = {
    "draft": ("open",),
    "open": ("paused", "closed"),
    "paused": ("open", "closed"),
    "closed": (),
}
assert set(MOVES) == set(POSTING_STATUSES)

# What an admin edits (status, slug and timestamps move through their own use cases).
FIELDS: tuple[str, ...] = (
    "title",
    "summary",
    *(name for name, _ in POSTING_SECTIONS),
    "pay_min_cents",
    "pay_max_cents",
    "currency",
    "hours_min",
    "hours_max",
    "domains",
    "languages",
    "locations",
    "track",
    "answer_days",
    "valid_through",
)
SECTION_LIMIT = 20_000


class PostingInvalid(ValueError):
    """Values a posting cannot hold; ``errors`` maps each field to its problems."""

    def __init__(self, errors: Mapping[str, list[str]]) -> None:
        self.errors = dict(errors)
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in self.errors.items()))


class StatusMoveRefused(ValueError):
    """A status change the posting's lifecycle does not allow."""


def split_codes(text: str | None) -> list[str]:
    """'us, GB;ca' -> ['US', 'GB', 'CA'] in order, without blanks or repeats."""
    parts = (p.strip().upper() for p in re.split(r"[,;\s]+", text or ""))
    return list(dict.fromkeys(p for p in parts if p))


def slugify(title: str) -> str:
    """'Médical reviewer (remote)!' -> 'medical-reviewer-remote' (ASCII, at most 100 chars)."""
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:100].rstrip("-") or "posting"


def check(values: Mapping[str, Any], *, today: date | None = None) -> dict[str, list[str]]:
    """Every problem with a posting's values, by field (empty: the values are fine)."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    title = (values.get("title") or "").strip()
    if not title:
        add("title", "Give the posting a title.")
    elif len(title) > 200:
        add("title", "Keep the title under 200 characters.")
    if len(values.get("summary") or "") > 300:
        add("summary", "Keep the summary under 300 characters.")
    for name, heading in POSTING_SECTIONS:
        if len(values.get(name) or "") > SECTION_LIMIT:
            add(name, f"{heading} is too long (at most {SECTION_LIMIT:,} characters).")

    low, high = values.get("pay_min_cents"), values.get("pay_max_cents")
    for field, cents in (("pay_min_cents", low), ("pay_max_cents", high)):
        if not isinstance(cents, int) or isinstance(cents, bool):
            add(field, "Give the hourly pay as an amount, e.g. 25.00.")
        elif cents <= 0:
            add(field, "Pay must be more than zero.")
        elif cents > MAX_PAY_CENTS:
            add(field, f"Pay above {MAX_PAY_CENTS // 100:,} an hour looks like a typo.")
    if isinstance(low, int) and isinstance(high, int) and 0 < high < low:
        add("pay_max_cents", "The top of the pay band must be at least its bottom.")
    if values.get("currency") not in CURRENCIES:
        add("currency", f"Choose one of {', '.join(c.upper() for c in CURRENCIES)}.")

    h_low, h_high = values.get("hours_min"), values.get("hours_max")
    for field, hours in (("hours_min", h_low), ("hours_max", h_high)):
        if not isinstance(hours, int) or isinstance(hours, bool):
            add(field, "Give the weekly hours as a whole number.")
        elif not 1 <= hours <= MAX_WEEKLY_HOURS:
            add(field, f"Weekly hours are between 1 and {MAX_WEEKLY_HOURS}.")
    if isinstance(h_low, int) and isinstance(h_high, int) and h_high < h_low:
        add("hours_max", "The most hours a week must be at least the fewest.")

    unknown = [d for d in values.get("domains") or [] if d not in DOMAIN_CHOICES]
    if unknown:
        add("domains", f"Not in the domain vocabulary: {', '.join(map(str, unknown))}.")
    unknown = [code for code in values.get("languages") or [] if code not in LANGUAGES]
    if unknown:
        add("languages", f"Unknown language codes: {', '.join(map(str, unknown))}.")
    unknown = [code for code in values.get("locations") or [] if code not in COUNTRIES]
    if unknown:
        add(
            "locations",
            f"Not ISO country codes: {', '.join(map(str, unknown))} (e.g. US, GB, DE).",
        )
    if values.get("track") not in TRACK_CHOICES:
        add("track", "Choose an assessment track.")
    days = values.get("answer_days")
    if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= MAX_ANSWER_DAYS:
        add("answer_days", f"Promise an answer within 1 to {MAX_ANSWER_DAYS} business days.")
    until = values.get("valid_through")
    if until is not None and not isinstance(until, date):
        add("valid_through", "Give a date.")
    elif until is not None and today is not None and until < today:
        add("valid_through", "That date has passed.")
    return errors


def check_move(current: str, target: str) -> None:
    """Raise StatusMoveRefused unless the lifecycle allows ``current -> target``."""
    if target not in POSTING_STATUSES:
        raise StatusMoveRefused(f"“{target}” is not a posting status.")
    if target not in MOVES.get(current, ()):
        if current == "closed":
            raise StatusMoveRefused("A closed posting stays closed; duplicate it to reopen.")
        raise StatusMoveRefused(f"A {current} posting cannot be moved to {target}.")
