"""What the line classifier said about the lines of the resume being parsed.

``fields.extract_fields`` sets the roles for one parse; the rules (``experience``,
``education``) ask ``role_of(text)`` only where the model is known to beat them in
leave-one-family-out evaluation (``bench/resume_accuracy.py``): which of two lines of a job is
the title and which the employer, and whether an unknown line of an education entry is its
degree or its school. With no model every answer is None and the rules decide alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_ROLES: ContextVar[dict[str, tuple[str, float]] | None] = ContextVar("resume_roles", default=None)
MIN_PROBABILITY = 0.8


def _key(text: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", text.casefold()).split())


@contextmanager
def using(tags: list[tuple[str, str, float]]) -> Iterator[None]:
    """Make the model's (cell, label, probability) answers visible to the rules."""
    roles: dict[str, tuple[str, float]] = {}
    for cell, label, prob in tags:
        roles.setdefault(_key(cell), (label, prob))
    token = _ROLES.set(roles)
    try:
        yield
    finally:
        _ROLES.reset(token)


def role_of(text: str | None) -> str | None:
    """The model's label for a whole line (or cell) with this text, when it is sure of it."""
    roles = _ROLES.get()
    if not roles or not text:
        return None
    hit = roles.get(_key(text))
    if hit is None or hit[1] < MIN_PROBABILITY:
        return None
    return hit[0]
