"""Postings' use cases: create, update, move status, duplicate; each audited, each one commit."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import select

from portal import audit, clock
from portal.extensions import db
from portal.models import Posting, Project, User
from portal.models.posting import POSTING_SECTIONS
from portal.postings.rules import FIELDS, PostingInvalid, check, check_move, slugify
from portal.transactions import use_case

SECTION_FIELDS = tuple(name for name, _ in POSTING_SECTIONS)


def _clean(values: Mapping[str, Any]) -> dict[str, Any]:
    """The editable fields: text stripped, lists without repeats."""
    cleaned = {name: values.get(name) for name in FIELDS}
    for name in ("title", "summary", *SECTION_FIELDS):
        cleaned[name] = (cleaned[name] or "").strip()
    for name in ("domains", "languages", "locations"):
        cleaned[name] = list(dict.fromkeys(cleaned[name] or []))
    return cleaned


def unique_slug(title: str, *, exclude_id: int | None = None) -> str:
    """A slug from the title that no other posting has: 'rater', then 'rater-2', 'rater-3' …"""
    base = slugify(title)
    taken = set(
        db.session.scalars(
            select(Posting.slug).where(
                (Posting.slug == base) | Posting.slug.like(f"{base}-%"),
                Posting.id != (exclude_id or 0),
            )
        )
    )
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def _slug_taken(slug: str) -> bool:
    return db.session.scalar(select(Posting.id).where(Posting.slug == slug)) is not None


def _projects(ids: Iterable[int] | None) -> list[Project]:
    wanted = list(dict.fromkeys(ids or []))
    if not wanted:
        return []
    found = {p.id: p for p in db.session.scalars(select(Project).where(Project.id.in_(wanted)))}
    missing = [i for i in wanted if i not in found]
    if missing:
        raise PostingInvalid({"projects": [f"No such project: {missing[0]}."]})
    return [found[i] for i in wanted]


def _validated(values: Mapping[str, Any]) -> dict[str, Any]:
    cleaned = _clean(values)
    errors = check(cleaned, today=clock.today())
    if errors:
        raise PostingInvalid(errors)
    return cleaned


@use_case
def create_posting(
    values: Mapping[str, Any],
    *,
    actor: User | None,
    project_ids: Iterable[int] = (),
    slug: str | None = None,
) -> Posting:
    """A new draft posting from the admin's values; its slug comes from the title (or is given,
    for a well-known address such as the demo's)."""
    cleaned = _validated(values)
    if slug is not None and (slugify(slug) != slug or _slug_taken(slug)):
        raise PostingInvalid({"slug": [f"“{slug}” is not a free slug."]})
    posting = Posting(status="draft", slug=slug or unique_slug(cleaned["title"]), **cleaned)
    posting.projects = _projects(project_ids)
    db.session.add(posting)
    db.session.flush()
    audit.record(
        "posting.created",
        actor=actor,
        subject_type="posting",
        subject_id=posting.id,
        slug=posting.slug,
    )
    return posting


@use_case
def update_posting(
    posting: Posting,
    values: Mapping[str, Any],
    *,
    actor: User | None,
    project_ids: Iterable[int] | None = None,
) -> Posting:
    """Change a posting's text, band, hours, domains …; the slug stays (links keep working)."""
    cleaned = _validated(values)
    changed = sorted(name for name in FIELDS if getattr(posting, name) != cleaned[name])
    for name in FIELDS:
        setattr(posting, name, cleaned[name])
    if project_ids is not None:
        projects = _projects(project_ids)
        if [p.id for p in projects] != [p.id for p in posting.projects]:
            changed.append("projects")
        posting.projects = projects
    db.session.flush()
    audit.record(
        "posting.updated",
        actor=actor,
        subject_type="posting",
        subject_id=posting.id,
        fields=changed,
    )
    return posting


@use_case
def move_posting(posting: Posting, target: str, *, actor: User | None) -> Posting:
    """Open, pause, reopen or close a posting; the first opening dates it (its datePosted)."""
    before = posting.status
    check_move(before, target)
    if target == "open":
        errors = check(_clean({n: getattr(posting, n) for n in FIELDS}), today=clock.today())
        if errors:
            raise PostingInvalid(errors)
        if posting.opened_at is None:
            posting.opened_at = clock.now()
    posting.status = target
    db.session.flush()
    audit.record(
        f"posting.{target}",
        actor=actor,
        subject_type="posting",
        subject_id=posting.id,
        before=before,
        after=target,
    )
    return posting


@use_case
def duplicate_posting(posting: Posting, *, actor: User | None) -> Posting:
    """A draft copy titled "… (copy)" with its own slug, for the next opening like this one."""
    values = {name: getattr(posting, name) for name in FIELDS}
    title = f"{posting.title} (copy)"
    values["title"] = title[:200]
    values["valid_through"] = None
    for name in ("domains", "languages", "locations"):
        values[name] = list(values[name] or [])
    copy = Posting(status="draft", slug=unique_slug(values["title"]), **values)
    copy.projects = list(posting.projects)
    db.session.add(copy)
    db.session.flush()
    audit.record(
        "posting.duplicated",
        actor=actor,
        subject_type="posting",
        subject_id=copy.id,
        source_id=posting.id,
        slug=copy.slug,
    )
    return copy
