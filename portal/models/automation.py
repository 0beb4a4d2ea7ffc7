"""Pipeline automation: rules per posting, the ledger of what each rule did, and the items that
need a person.

A rule acts on a *subject* (today an applicant; an application once postings have them). The
ledger row ``RuleAction`` is unique per (rule, subject, action): running a rule twice finds the
row and does nothing more.
"""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db
from portal.models.base import UTCDateTime, utcnow


class AutomationRule(db.Model):
    """When `trigger` holds for a subject of `posting_id` and the conditions pass, do `action`."""

    id: Mapped[int] = mapped_column(primary_key=True)
    posting_id: Mapped[int] = mapped_column(
        ForeignKey("posting.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(120))
    trigger: Mapped[str] = mapped_column(String(32))
    days: Mapped[int | None] = mapped_column(Integer)  # profile_incomplete: after N days
    min_score: Mapped[float | None] = mapped_column(Float)
    action: Mapped[str] = mapped_column(String(16))
    exit_reason: Mapped[str | None] = mapped_column(String(32))
    delay_hours: Mapped[int] = mapped_column(Integer, default=0)
    template_key: Mapped[str | None] = mapped_column(String(64))
    enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))


class PostingAutomation(db.Model):
    """Automation paused for a whole posting (no row: running)."""

    posting_id: Mapped[int] = mapped_column(
        ForeignKey("posting.id", ondelete="CASCADE"), primary_key=True
    )
    paused: Mapped[bool] = mapped_column(Boolean, default=False)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))


class RuleAction(db.Model):
    """What a rule did (or holds, or waits to do) to one subject: the idempotency ledger.

    status: scheduled (due_at in the future; a recruiter may undo) → done | undone | stale |
    held | failed; confirm (an offer waiting for one click) → done; held (went to a person);
    failed (the action itself failed; a person has it, with the reason).
    """

    __table_args__ = (UniqueConstraint("rule_id", "subject_type", "subject_id", "action"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    rule_id: Mapped[int] = mapped_column(ForeignKey("automation_rule.id", ondelete="CASCADE"))
    rule_version: Mapped[int] = mapped_column(Integer)
    posting_id: Mapped[int] = mapped_column(Integer, index=True)
    subject_type: Mapped[str] = mapped_column(String(16))
    subject_id: Mapped[int] = mapped_column(Integer)
    applicant_id: Mapped[int] = mapped_column(
        ForeignKey("applicant.id", ondelete="CASCADE"), index=True
    )
    action: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), index=True)
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    undone_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))


class ReviewItem(db.Model):
    """A subject that needs a person's judgement, and why; open until resolved."""

    __table_args__ = (UniqueConstraint("subject_type", "subject_id", "reason", "stage"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    posting_id: Mapped[int] = mapped_column(Integer, index=True)
    subject_type: Mapped[str] = mapped_column(String(16))
    subject_id: Mapped[int] = mapped_column(Integer)
    applicant_id: Mapped[int] = mapped_column(
        ForeignKey("applicant.id", ondelete="CASCADE"), index=True
    )
    stage: Mapped[str] = mapped_column(String(32))  # the stage it was raised in
    reason: Mapped[str] = mapped_column(String(32))
    detail: Mapped[str] = mapped_column(Text, default="")
    rule_id: Mapped[int | None] = mapped_column(
        ForeignKey("automation_rule.id", ondelete="SET NULL")
    )
    answer_by: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
