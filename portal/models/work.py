"""Live work after hiring: task batches, tasks, claims on them, judgements, quality pauses."""

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.base import UTCDateTime, utcnow


class TaskBatch(db.Model):
    """Tasks uploaded to a project together, with the rules they are worked under."""

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    overlap: Mapped[int] = mapped_column(Integer, default=3)  # raters per task
    gold_share: Mapped[float] = mapped_column(Float, default=0.08)
    rationale_required: Mapped[bool] = mapped_column(Boolean, default=True)
    guideline_version: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)  # open | closed
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    tasks: Mapped[list["WorkTask"]] = relationship(back_populates="batch", order_by="WorkTask.id")


class WorkTask(db.Model):
    """One comparison to be judged by ``batch.overlap`` raters; gold ones come from the bank."""

    __table_args__ = (UniqueConstraint("project_id", "content_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(
        ForeignKey("task_batch.id", ondelete="CASCADE"), index=True
    )
    project_id: Mapped[int] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16))  # pairwise | ranking
    prompt: Mapped[str] = mapped_column(Text)
    responses: Mapped[list[str]] = mapped_column(JSON)
    content_hash: Mapped[str] = mapped_column(String(64))
    domain: Mapped[str] = mapped_column(String(64), default="general")
    source: Mapped[str] = mapped_column(String(200), default="")
    # The label that came with the source data (never shown, never used as gold).
    reference: Mapped[Any] = mapped_column(JSON, nullable=True)
    is_gold: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    gold: Mapped[Any] = mapped_column(JSON, nullable=True)  # gold tasks only
    bank_item_id: Mapped[int | None] = mapped_column(ForeignKey("item.id", ondelete="SET NULL"))
    # Open claims plus submitted judgements; never above the batch's overlap (see queue.py).
    slots_taken: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    batch: Mapped[TaskBatch] = relationship(back_populates="tasks")


class TaskClaim(db.Model):
    """A rater holds a task: open -> done | skipped | expired. One per rater and task, ever."""

    __table_args__ = (UniqueConstraint("task_id", "applicant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("work_task.id", ondelete="CASCADE"), index=True)
    applicant_id: Mapped[int] = mapped_column(
        ForeignKey("applicant.id", ondelete="CASCADE"), index=True
    )
    assignment_id: Mapped[int] = mapped_column(
        ForeignKey("assignment.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)
    permutation: Mapped[list[int]] = mapped_column(JSON)  # permutation[shown] = canonical index
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    skip_reason: Mapped[str | None] = mapped_column(String(500))

    task: Mapped[WorkTask] = relationship()


class Judgement(db.Model):
    """A rater's answer to a task, in canonical order, under a guideline version."""

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(
        ForeignKey("task_claim.id", ondelete="CASCADE"), unique=True
    )
    task_id: Mapped[int] = mapped_column(ForeignKey("work_task.id", ondelete="CASCADE"), index=True)
    applicant_id: Mapped[int] = mapped_column(
        ForeignKey("applicant.id", ondelete="CASCADE"), index=True
    )
    answer: Mapped[dict[str, Any]] = mapped_column(JSON)  # canonical: choice | ranking
    rationale: Mapped[str] = mapped_column(Text, default="")
    flag_reason: Mapped[str | None] = mapped_column(String(500))
    seconds: Mapped[float] = mapped_column(Float)
    guideline_version: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)

    task: Mapped[WorkTask] = relationship()


class RaterPause(db.Model):
    """The quality rule paused a rater on a project: paused -> confirmed | lifted (by an admin)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), index=True
    )
    applicant_id: Mapped[int] = mapped_column(
        ForeignKey("applicant.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(16), default="paused", index=True)
    evidence: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
