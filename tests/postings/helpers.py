"""Postings for tests: valid values, and a posting saved straight to the database."""

from datetime import UTC, datetime
from itertools import count
from typing import Any

from portal.extensions import db
from portal.models import Posting

_seq = count(1)


def posting_values(**overrides: Any) -> dict[str, Any]:
    """Values the services accept: a $25–35/h, 10–20 h/week general rater posting."""
    values: dict[str, Any] = {
        "title": "AI response rater",
        "summary": "Rank AI answers and explain why.",
        "overview": "Compare model responses.",
        "responsibilities": "- Rank responses\n- Write rationales",
        "qualifications": "- Careful reading",
        "commitment": "10–20 hours a week.",
        "compensation": "$25–35 an hour.",
        "process": "Resume, form, assessment.",
        "pay_min_cents": 2500,
        "pay_max_cents": 3500,
        "currency": "usd",
        "hours_min": 10,
        "hours_max": 20,
        "domains": [],
        "languages": [],
        "locations": [],
        "track": "general",
        "answer_days": 5,
        "valid_through": None,
    }
    values.update(overrides)
    return values


def make_posting(status: str = "open", **fields: Any) -> Posting:
    """A posting saved as given (no service rules), opened now unless a draft."""
    n = next(_seq)
    values = posting_values(**fields)
    values.setdefault("slug", f"posting-{n}")
    values["title"] = fields.get("title", f"{values['title']} {n}")
    posting = Posting(
        status=status,
        opened_at=fields.get(
            "opened_at", None if status == "draft" else datetime(2026, 11, 1, 9, tzinfo=UTC)
        ),
        **{k: v for k, v in values.items() if k != "opened_at"},
    )
    db.session.add(posting)
    db.session.flush()
    return posting
