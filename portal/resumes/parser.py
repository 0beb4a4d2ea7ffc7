"""The in-process parse: bytes -> text -> fields."""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from . import roles
from .errors import ResumeError
from .extract import MAX_BYTES, MSG_EMPTY, MSG_TOO_LARGE, extract
from .fields import extract_fields
from .linemodel import LineModel, default_model

PARSER_VERSION = "1.0.0"

MSG_MISSING = "We couldn't find this file; upload it again."
FIELD_ORDER = (
    "name", "email", "phone", "location", "links", "skills", "experience", "education",
    "years_experience", "languages", "domains", "labelling",
)  # fmt: skip


@dataclass
class ParsedResume:
    """A parse result: the public fields plus what a reviewer or a retry needs."""

    fields: dict[str, Any]
    confidence: dict[str, float]
    text: str
    pages: int
    kind: str

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    def public(self) -> dict[str, Any]:
        """The JSON of the contract: the fields, then a confidence in [0, 1] for each."""
        return {**self.fields, "confidence": dict(self.confidence)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ParsedResume:
        return cls(
            fields=data["fields"],
            confidence=data["confidence"],
            text=data["text"],
            pages=int(data["pages"]),
            kind=data["kind"],
        )


def read_file(path: str | os.PathLike[str]) -> bytes:
    """Read at most MAX_BYTES + 1 bytes, turning OS errors into a ResumeError."""
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except FileNotFoundError as exc:
        raise ResumeError(MSG_MISSING, code="missing") from exc
    except OSError as exc:
        raise ResumeError(MSG_MISSING, code="missing") from exc
    if not data:
        raise ResumeError(MSG_EMPTY, code="empty")
    if len(data) > MAX_BYTES:
        raise ResumeError(MSG_TOO_LARGE, code="too_large")
    return data


def parse_bytes(
    data: bytes,
    *,
    default_region: str | None = None,
    today: date | None = None,
    max_pages: int = 20,
    line_model: LineModel | None | str = "shipped",
) -> ParsedResume:
    """Parse resume bytes; the type is decided from the content, never from a file name.

    ``line_model`` is the line classifier the rules may consult: the shipped one by default,
    None for the rules alone (the bench compares both).
    """
    extracted = extract(data, max_pages=max_pages)
    model = default_model() if line_model == "shipped" else line_model
    tags = model.tag(extracted.text.split("\n"), extracted.layout) if model else []
    with roles.using(tags):
        result = extract_fields(
            extracted.text, today=today, default_region=default_region, display=extracted.display
        )
    fields = {key: result.fields[key] for key in FIELD_ORDER}
    confidence = {key: float(result.confidence[key]) for key in FIELD_ORDER}
    return ParsedResume(
        fields=fields,
        confidence=confidence,
        text=extracted.text,
        pages=extracted.pages,
        kind=extracted.kind,
    )


def parse_resume_detailed(
    path: str | os.PathLike[str],
    *,
    default_region: str | None = None,
    today: date | None = None,
    max_pages: int = 20,
) -> ParsedResume:
    """Parse a resume file in this process and return fields, confidences and the text."""
    return parse_bytes(
        read_file(path), default_region=default_region, today=today, max_pages=max_pages
    )


def parse_resume(
    path: str | os.PathLike[str],
    *,
    default_region: str | None = None,
    today: date | None = None,
    max_pages: int = 20,
) -> dict[str, Any]:
    """Parse a resume file into the public JSON shape; raises ResumeError when unreadable."""
    return parse_resume_detailed(
        path, default_region=default_region, today=today, max_pages=max_pages
    ).public()
