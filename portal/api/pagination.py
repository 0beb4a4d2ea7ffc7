"""Opaque cursors: base64url JSON naming the list, its filters and where the page ended."""

import base64
import hashlib
import json
from typing import Any

from portal.api.problems import ApiError


def _filters_key(filters: dict[str, Any]) -> str:
    canonical = json.dumps(filters, sort_keys=True, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


def encode(kind: str, position: int, filters: dict[str, Any]) -> str:
    data = {"k": kind, "p": position, "f": _filters_key(filters)}
    raw = json.dumps(data, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(cursor: str | None, kind: str, filters: dict[str, Any]) -> int | None:
    """The position a cursor points after; 400 if it is not one of this list's cursors."""
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(raw)
        position = data["p"]
        valid = (
            data["k"] == kind
            and isinstance(position, int)
            and 0 <= position < 2**31
            and data["f"] == _filters_key(filters)
        )
    except (ValueError, TypeError, KeyError):
        valid = False
    if not valid:
        raise ApiError(
            400,
            "This cursor does not belong to this list with these filters. Start again without "
            "?cursor=, and pass next_cursor with the same filters.",
        )
    return position
