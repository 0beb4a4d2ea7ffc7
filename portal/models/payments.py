"""Getting paid: connected Stripe accounts, weekly timesheets, payouts and Stripe events."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.applicant import Applicant
from portal.models.base import UTCDateTime, utcnow
from portal.models.project import Assignment


class StripeAccount(db.Model):
    """A contractor's Stripe Connect Express account and its last known onboarding state."""

    id: Mapped[int] = mapped_column(primary_key=True)
    applicant_id: Mapped[int] = mapped_column(
        ForeignKey("applicant.id", ondelete="CASCADE"), unique=True
    )
    stripe_account_id: Mapped[str] = mapped_column(String(64), unique=True)
    country: Mapped[str] = mapped_column(String(2), default="US")
    details_submitted: Mapped[bool] = mapped_column(Boolean, default=False)
    payouts_enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    transfers_active: Mapped[bool] = mapped_column(Boolean, default=False)
    currently_due: Mapped[list[str]] = mapped_column(JSON, default=list)
    disabled_reason: Mapped[str | None] = mapped_column(String(120))
    # not_started | incomplete | pending_verification | restricted | ready
    status: Mapped[str] = mapped_column(String(32), default="not_started", index=True)
    synced_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    applicant: Mapped[Applicant] = relationship()

    @property
    def ready(self) -> bool:
        return self.status == "ready"


class Timesheet(db.Model):
    """One ISO week of hours on one assignment: draft -> submitted -> approved | rejected -> paid.

    Hours are stored per day (Monday first) as whole quarter-hours, so sums stay exact.
    """

    __table_args__ = (UniqueConstraint("assignment_id", "week"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(
        ForeignKey("assignment.id", ondelete="RESTRICT"), index=True
    )
    applicant_id: Mapped[int] = mapped_column(
        ForeignKey("applicant.id", ondelete="RESTRICT"), index=True
    )
    week: Mapped[str] = mapped_column(String(8), index=True)  # ISO week, "2026-W47"
    quarter_hours: Mapped[list[int]] = mapped_column(JSON, default=lambda: [0] * 7)
    status: Mapped[str] = mapped_column(String(16), default="draft", index=True)
    note: Mapped[str | None] = mapped_column(Text)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    rejection_reason: Mapped[str | None] = mapped_column(Text)
    guideline_id: Mapped[int | None] = mapped_column(
        ForeignKey("guideline.id", ondelete="SET NULL")
    )
    payout_id: Mapped[int | None] = mapped_column(
        ForeignKey("payout.id", ondelete="SET NULL"), index=True
    )
    # Frozen at approval: the week is paid at this rate whatever the assignment's rate becomes.
    hourly_rate_cents: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    assignment: Mapped[Assignment] = relationship()
    applicant: Mapped[Applicant] = relationship()

    @property
    def total_quarters(self) -> int:
        return sum(self.quarter_hours or [])

    @property
    def total_hours(self) -> float:
        return self.total_quarters / 4

    @property
    def locked(self) -> bool:
        return self.status in ("submitted", "approved", "paid")


class PayoutRun(db.Model):
    """One execution of the weekly payout batch, kept as its report."""

    id: Mapped[int] = mapped_column(primary_key=True)
    week: Mapped[str | None] = mapped_column(String(8))  # None: every approved, unpaid week
    trigger: Mapped[str] = mapped_column(String(16), default="cli")  # cli | beat | admin
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    paid_count: Mapped[int] = mapped_column(Integer, default=0)
    paid_cents: Mapped[int] = mapped_column(Integer, default=0)
    failed_count: Mapped[int] = mapped_column(Integer, default=0)
    skipped_count: Mapped[int] = mapped_column(Integer, default=0)
    lines: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    error: Mapped[str | None] = mapped_column(Text)


class Payout(db.Model):
    """What we owe one contractor for one ISO week, and the Stripe transfer that paid it.

    Written (status pending) and committed before Stripe is called; the unique
    (applicant, week, adjustment) triple stops a second run from creating a second payout.
    ``adjustment`` is 0 for the weekly payout and n for the n-th late-week adjustment.
    """

    __table_args__ = (
        UniqueConstraint(
            "applicant_id", "week", "adjustment", name="uq_payout_applicant_week_adjustment"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    applicant_id: Mapped[int] = mapped_column(
        ForeignKey("applicant.id", ondelete="RESTRICT"), index=True
    )
    week: Mapped[str] = mapped_column(String(8), index=True)
    adjustment: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    amount_cents: Mapped[int] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(String(3), default="usd")
    # pending (committed, maybe sent) | failed (definitely not paid; retried) | paid
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    attempt: Mapped[int] = mapped_column(Integer, default=1)  # the key's attempt number
    idempotency_key: Mapped[str] = mapped_column(String(120), unique=True)
    transfer_group: Mapped[str] = mapped_column(String(120), index=True)
    stripe_account_id: Mapped[str | None] = mapped_column(String(64))
    transfer_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    failure_code: Mapped[str | None] = mapped_column(String(64))
    failure_reason: Mapped[str | None] = mapped_column(Text)
    last_run_id: Mapped[int | None] = mapped_column(
        ForeignKey("payout_run.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    attempted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    applicant: Mapped[Applicant] = relationship()
    timesheets: Mapped[list[Timesheet]] = relationship(
        primaryjoin="Timesheet.payout_id == Payout.id", viewonly=True
    )


class WebhookEvent(db.Model):
    """A Stripe event we received; the unique id makes processing happen once."""

    id: Mapped[int] = mapped_column(primary_key=True)
    stripe_event_id: Mapped[str] = mapped_column(String(255), unique=True)
    type: Mapped[str] = mapped_column(String(100), index=True)
    account: Mapped[str | None] = mapped_column(String(64))  # Connect events name the account
    created: Mapped[int | None] = mapped_column(Integer)  # Stripe's event timestamp
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    processed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    outcome: Mapped[str | None] = mapped_column(String(200))
