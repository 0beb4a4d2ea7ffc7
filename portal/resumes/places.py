"""Places: countries, states and cities, and the phone region they imply."""

from __future__ import annotations

import re
from functools import lru_cache

import phonenumbers

from .vocab import (
    CA_PROVINCES,
    CITIES,
    COUNTRY_ALIASES,
    US_STATE_NAMES,
    US_STATES,
)


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
