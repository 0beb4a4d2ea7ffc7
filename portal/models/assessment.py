"""The item bank, labelling guidelines and timed assessment attempts."""

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.base import UTCDateTime, utcnow


class Item(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(16), index=True)  # pairwise | ranking
    domain: Mapped[str] = mapped_column(String(64), default="general", index=True)
    difficulty: Mapped[int] = mapped_column(Integer, default=2)
    prompt: Mapped[str] = mapped_column(Text)
    responses: Mapped[list[str]] = mapped_column(JSON)
    gold: Mapped[Any] = mapped_column(JSON)  # pairwise: -3..3; ranking: ranks best->worst
    gold_strength: Mapped[float] = mapped_column(Float, default=1.0)
    tier: Mapped[str] = mapped_column(String(16), default="consensus")  # objective | consensus
    attention_check: Mapped[bool] = mapped_column(Boolean, default=False)
    known_broken: Mapped[bool] = mapped_column(Boolean, default=False)
    rationale_required: Mapped[bool] = mapped_column(Boolean, default=False)
    source: Mapped[str] = mapped_column(String(200), default="")
    language: Mapped[str] = mapped_column(String(8), default="en", server_default="en")
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    # draft (imported or written, not yet audited) -> audit (with the panel) -> live | review
    status: Mapped[str] = mapped_column(
        String(16), default="draft", server_default="live", index=True
    )
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    needs_review: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class Guideline(db.Model):
    """Versioned labelling guidelines: project_id None is the assessment's own set."""

    __table_args__ = (UniqueConstraint("project_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int | None] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    body_md: Mapped[str] = mapped_column(Text)
    changelog: Mapped[str | None] = mapped_column(Text)
    published_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    # The check raters pass before working under this version (portal/guideline_checks.py).
    check_items: Mapped[list[dict[str, Any]]] = mapped_column(
        JSON, default=list, server_default="[]"
    )


class Attempt(db.Model):
    __table_args__ = (
        # One attempt in progress per applicant, whatever races the application loses.
        Index(
            "uq_attempt_one_in_progress",
            "applicant_id",
            unique=True,
            postgresql_where=text("status = 'in_progress'"),
            sqlite_where=text("status = 'in_progress'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    applicant_id: Mapped[int] = mapped_column(
        ForeignKey("applicant.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(16), default="in_progress", index=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    deadline: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    guideline_id: Mapped[int | None] = mapped_column(
        ForeignKey("guideline.id", ondelete="SET NULL")
    )
    guideline_version: Mapped[int | None] = mapped_column(Integer)
    n_items: Mapped[int] = mapped_column(Integer)
    # The track the items were drawn for (None: an attempt from before tracks were recorded).
    track: Mapped[str | None] = mapped_column(String(40))
    seed: Mapped[int] = mapped_column(Integer, default=0)
    focus_losses: Mapped[int] = mapped_column(Integer, default=0)
    score: Mapped[float | None] = mapped_column(Float, index=True)
    passed: Mapped[bool | None] = mapped_column(Boolean, index=True)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # AttemptScore.to_dict()
    signals: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)

    items: Mapped[list["AttemptItem"]] = relationship(
        back_populates="attempt", order_by="AttemptItem.position", cascade="all, delete-orphan"
    )


class AttemptItem(db.Model):
    __table_args__ = (UniqueConstraint("attempt_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempt.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    item_id: Mapped[int] = mapped_column(ForeignKey("item.id", ondelete="RESTRICT"), index=True)
    permutation: Mapped[list[int]] = mapped_column(JSON)  # permutation[shown] = canonical index
    repeat_of: Mapped[int | None] = mapped_column(Integer)  # position of the original
    shown_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    answer: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # as sent, in shown order
    first_answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revisions: Mapped[int] = mapped_column(Integer, default=0)
    paste_count: Mapped[int] = mapped_column(Integer, default=0)

    attempt: Mapped[Attempt] = relationship(back_populates="items")
    item: Mapped[Item] = relationship()


class RationaleGrade(db.Model):
    """A reviewer's blind 0-2 grade of one written rationale (names the criterion, cites
    evidence from the responses, consistent with the choice); some are marked twice."""

    __table_args__ = (UniqueConstraint("attempt_item_id", "reviewer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_item_id: Mapped[int] = mapped_column(
        ForeignKey("attempt_item.id", ondelete="CASCADE"), index=True
    )
    reviewer_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    grade: Mapped[int] = mapped_column(Integer)
    graded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class PanelAnswer(db.Model):
    """A trusted rater's blind answer to an item in audit (canonical order, like the gold)."""

    __table_args__ = (UniqueConstraint("item_id", "rater_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("item.id", ondelete="CASCADE"), index=True)
    rater_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    answer: Mapped[dict[str, Any]] = mapped_column(JSON)
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
