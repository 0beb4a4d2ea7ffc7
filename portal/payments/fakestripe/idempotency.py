"""Stripe's idempotency layer: what a key's first request answered, replayed for 24 hours."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

IDEMPOTENCY_TTL_SECONDS = 24 * 3600


@dataclass
class SavedResponse:
    """What the idempotency layer replays for a key."""

    method: str
    path: str
    params: dict[str, Any]
    status: int
    body: bytes
    created: int
