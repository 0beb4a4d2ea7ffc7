"""The one domain vocabulary shared by profiles, items, projects and job postings.

A domain has a key (stored everywhere), a label (shown), and aliases: the names older data and
free-text fields use ("software engineering", "Medicine & health", "python"). :func:`normalise`
maps any of them to the key, so a project asking for "medicine ≥ 70" and a profile listing
"Medicine & health" meet on ``medicine``, and the assessment's per-domain score is keyed the same.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Domain:
    """One domain of expertise."""

    key: str
    label: str
    aliases: tuple[str, ...] = ()
    track: bool = False  # the assessment has a track (a blueprint and a minimum) for it


DOMAINS: tuple[Domain, ...] = (
    Domain("general", "General knowledge", ("general knowledge", "other"), track=True),
    Domain(
        "coding",
        "Software engineering",
        ("software engineering", "software", "programming", "code", "computer science", "python"),
        track=True,
    ),
    Domain("mathematics", "Mathematics", ("math", "maths", "statistics"), track=True),
    Domain(
        "medicine",
        "Medicine & health",
        ("medicine & health", "health", "medical", "healthcare", "nursing", "pharmacy"),
        track=True,
    ),
    Domain("law", "Law", ("legal", "law & compliance", "compliance"), track=True),
    Domain(
        "finance",
        "Finance & accounting",
        ("finance & accounting", "accounting", "banking", "economics"),
        track=True,
    ),
    Domain(
        "writing",
        "Writing & editing",
        ("creative writing", "writing & editing", "editing", "copywriting", "journalism"),
        track=True,
    ),
    Domain(
        "languages",
        "Languages & translation",
        ("linguistics", "linguistics & translation", "translation", "language", "localisation"),
        track=True,
    ),
    Domain(
        "harmlessness",
        "Safety & harmlessness",
        ("safety", "trust & safety", "moderation", "content moderation", "harm"),
        track=True,
    ),
    Domain("science", "Science research", ("science research", "physics", "chemistry", "biology")),
    Domain("data science", "Data science & statistics", ("data science & statistics", "ml")),
    Domain("education", "Education & teaching", ("education & teaching", "teaching")),
    Domain("business", "Business & consulting", ("business & consulting", "consulting")),
    Domain("marketing", "Marketing & communications", ("marketing & communications",)),
    Domain("psychology", "Psychology", ()),
    Domain("engineering", "Engineering (non-software)", ("engineering (non-software)",)),
    Domain("humanities", "History & philosophy", ("history & philosophy", "history")),
)

BY_KEY: dict[str, Domain] = {d.key: d for d in DOMAINS}
KEYS: tuple[str, ...] = tuple(BY_KEY)
TRACKS: tuple[str, ...] = tuple(d.key for d in DOMAINS if d.track)
CHOICES: dict[str, str] = {d.key: d.label for d in DOMAINS}


def _fold(name: str) -> str:
    return re.sub(r"\s+", " ", name.strip().lower())


_LOOKUP: dict[str, str] = {}
for _d in DOMAINS:
    for _name in (_d.key, _d.label, *_d.aliases):
        _LOOKUP[_fold(_name)] = _d.key


def normalise(name: str) -> str | None:
    """The vocabulary key for a key, label or alias (case-insensitive); None if unknown."""
    return _LOOKUP.get(_fold(name)) if isinstance(name, str) else None


def is_known(name: str) -> bool:
    """True when ``name`` is a vocabulary key exactly (what stored data must hold)."""
    return name in BY_KEY


def label(key: str) -> str:
    """The label to show for a key (the key itself when unknown)."""
    return BY_KEY[key].label if key in BY_KEY else key
