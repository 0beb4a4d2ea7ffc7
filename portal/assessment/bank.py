"""The item bank and the assessment's guidelines: import, edit, publish, the shipped files."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from assessments import BANK_DIR
from assessments import items as engine_items
from assessments.importers import load_items, new_items
from portal import audit, clock
from portal.extensions import db
from portal.guidelines import add_version, latest_guideline
from portal.models import Guideline, Item, User
from portal.transactions import use_case

ENGINE_FIELDS = (
    "kind",
    "prompt",
    "responses",
    "gold",
    "domain",
    "difficulty",
    "gold_strength",
    "tier",
    "attention_check",
    "known_broken",
    "rationale_required",
    "source",
    "language",
)


def to_engine(item: Item) -> engine_items.Item:
    """The engine's frozen item for a stored row (gold as a tuple for rankings)."""
    gold = tuple(item.gold) if isinstance(item.gold, list) else item.gold
    return engine_items.Item(
        kind=item.kind,
        prompt=item.prompt,
        responses=tuple(item.responses),
        gold=gold,
        domain=item.domain,
        difficulty=item.difficulty,
        gold_strength=item.gold_strength,
        tier=item.tier,
        attention_check=item.attention_check,
        known_broken=item.known_broken,
        rationale_required=item.rationale_required,
        source=item.source or "",
        language=item.language or "en",
        version=item.version or 1,
    )


def apply_engine_item(row: Item, item: engine_items.Item) -> Item:
    """Copy a validated engine item onto a row (new or edited)."""
    for name in ENGINE_FIELDS:
        value = getattr(item, name)
        if name == "responses" or (name == "gold" and isinstance(value, tuple)):
            value = list(value)
        setattr(row, name, value)
    row.content_hash = item.content_hash
    return row


@use_case
def save_item(row: Item, item: engine_items.Item, *, needs_review: bool, actor: User) -> Item:
    """Store a validated engine item on a new or existing row (audited); commits."""
    creating = row.id is None
    changed = not creating and to_engine(row) != _same_version(item, row)
    apply_engine_item(row, item)
    if changed:  # an edit is a new version: statistics restart and the panel audits it again
        row.version = (row.version or 1) + 1
        row.status = "draft"
    row.needs_review = needs_review
    if creating:
        db.session.add(row)
    db.session.flush()
    audit.record(
        "item.created" if creating else "item.edited",
        actor=actor,
        subject_type="item",
        subject_id=row.id,
        version=row.version,
    )
    return row


def _same_version(item: engine_items.Item, row: Item) -> engine_items.Item:
    """``item`` carrying the row's version, so that only real changes compare unequal."""
    from dataclasses import replace

    return replace(item, version=row.version or 1)


@use_case
def toggle_retired(item: Item, *, actor: User) -> bool:
    """Retire an item (no new attempt draws it) or bring it back; True when retired. Commits."""
    retire = item.retired_at is None
    item.retired_at = clock.now() if retire else None
    audit.record(
        "item.retired" if retire else "item.restored",
        actor=actor,
        subject_type="item",
        subject_id=item.id,
    )
    return retire


@use_case
def toggle_review(item: Item, *, actor: User) -> bool:
    """Mark an item as needing review, or clear the mark; True when marked. Commits."""
    item.needs_review = not item.needs_review
    audit.record(
        "item.review_marked" if item.needs_review else "item.review_cleared",
        actor=actor,
        subject_type="item",
        subject_id=item.id,
    )
    return item.needs_review


@dataclass(frozen=True)
class ImportResult:
    added: int
    skipped: int
    invalid: list[str]


def import_items(
    source: str | Path, fmt: str, *, skip_invalid: bool = False, status: str = "draft"
) -> ImportResult:
    """Import a file idempotently by content hash; strict mode adds nothing on a bad record.

    Raises ItemImportError (its message names the line) unless ``skip_invalid``, which imports
    the valid records and reports the bad ones in ``invalid``. Imported items are drafts (not
    drawn) until a panel audits them; ``status="live"`` imports an already reviewed bank. Commits.
    """
    if status not in ("draft", "live"):
        raise ValueError(f"status must be draft or live, got {status!r}")
    errors: list[str] | None = [] if skip_invalid else None
    parsed = load_items(source, fmt, errors=errors)
    existing = db.session.scalars(select(Item.content_hash))
    to_add, skipped = new_items(parsed, existing)
    for item in to_add:
        db.session.add(apply_engine_item(Item(status=status), item))
    db.session.commit()
    return ImportResult(len(to_add), skipped, list(errors or []))


def current_guideline() -> Guideline | None:
    """The newest published version of the assessment's own guidelines."""
    return latest_guideline(None)


def publish_guideline(
    title: str, body_md: str, changelog: str | None, *, actor: User | None
) -> Guideline:
    """Publish the next version of the assessment guidelines (audited; commits)."""
    guideline = add_version(
        None,
        title=title,
        body_md=body_md,
        changelog=changelog,
        actor=actor,
        published_at=clock.now(),
    )
    db.session.commit()
    return guideline


def shipped_guidelines() -> list[tuple[int, str, str]]:
    """(version, title, markdown) for the guideline files shipped in assessments/bank/."""
    out = []
    for path in sorted((BANK_DIR / "guidelines").glob("v*.md")):
        body = path.read_text(encoding="utf-8")
        title = body.splitlines()[0].lstrip("# ").strip() if body else path.stem
        out.append((int(path.stem[1:]), title, body))
    return out


def item_pool() -> tuple[list[engine_items.Item], dict[str, int]]:
    """Live (audited, not retired) items as engine items, and content hash -> row id."""
    rows = db.session.scalars(
        select(Item).where(Item.retired_at.is_(None), Item.status == "live").order_by(Item.id)
    )
    pool, ids = [], {}
    for row in rows:
        pool.append(to_engine(row))
        ids[row.content_hash] = row.id
    return pool, ids
