"""The one domain vocabulary of the portal: profiles, items, projects and job postings share it.

The vocabulary lives in the assessment engine (``assessments/domains.py``) because the engine
must stay free of Flask and the database; this module is the portal's name for it.
"""

from assessments.domains import (
    BY_KEY,
    CHOICES,
    DOMAINS,
    KEYS,
    TRACKS,
    Domain,
    is_known,
    label,
    normalise,
)

__all__ = [
    "BY_KEY",
    "CHOICES",
    "DOMAINS",
    "KEYS",
    "TRACKS",
    "Domain",
    "is_known",
    "label",
    "normalise",
]
