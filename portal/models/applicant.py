"""The applicant's profile and where they stand in the hiring pipeline."""

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, Date, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.base import UTCDateTime, utcnow

if TYPE_CHECKING:
    from portal.models.application import Application
    from portal.models.user import User


class Applicant(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), unique=True)
    full_name: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str | None] = mapped_column(String(32))
    country: Mapped[str | None] = mapped_column(String(2), index=True)  # ISO 3166-1 alpha-2
    city: Mapped[str | None] = mapped_column(String(120))
    timezone: Mapped[str | None] = mapped_column(String(64))
    links: Mapped[list[str]] = mapped_column(JSON, default=list)
    skills: Mapped[list[str]] = mapped_column(JSON, default=list)
    domains: Mapped[list[str]] = mapped_column(JSON, default=list)
    languages: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    experience: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    education: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    labelling_experience: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    years_experience: Mapped[float | None] = mapped_column()
    weekly_hours: Mapped[int | None] = mapped_column(Integer)
    desired_rate_cents: Mapped[int | None] = mapped_column(Integer)
    earliest_start: Mapped[date | None] = mapped_column(Date)
    summary: Mapped[str | None] = mapped_column(Text)
    consented_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    profile_completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    stage: Mapped[str] = mapped_column(String(32), default="applied", index=True)
    stage_changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    # Why they left (rejected | withdrawn): a code from pipeline.EXIT_REASONS, for the funnel and
    # for the sentence they read; the free text stays internal.
    exit_reason: Mapped[str | None] = mapped_column(String(32), index=True)
    exit_note: Mapped[str | None] = mapped_column(Text)
    # The stage they left from when they exited, so the funnel can say where people leave.
    exit_stage: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped["User"] = relationship(back_populates="applicant")
    applications: Mapped[list["Application"]] = relationship(
        back_populates="applicant", order_by="Application.id", cascade="all, delete-orphan"
    )

    @property
    def display_name(self) -> str:
        return self.full_name or self.user.name or self.user.email

    def __repr__(self) -> str:
        return f"<Applicant {self.id} {self.stage}>"


class StageSpan(db.Model):
    """A stage an applicant has left: when they entered it, when they left and the days between.

    Written by `portal.pipeline.move` beside its audit event, so the dashboard's median time in
    stage is one aggregate over narrow rows (not a replay of the audit log).
    """

    # The median per stage reads this index alone, already grouped and sorted.
    __table_args__ = (Index("ix_stage_span_stage_days", "stage", "days", "left_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    applicant_id: Mapped[int] = mapped_column(
        ForeignKey("applicant.id", ondelete="CASCADE"), index=True
    )
    # The application the span belongs to (None only for spans written before applications).
    application_id: Mapped[int | None] = mapped_column(
        ForeignKey("application.id", ondelete="CASCADE"), index=True
    )
    stage: Mapped[str] = mapped_column(String(32))
    entered_at: Mapped[datetime] = mapped_column(UTCDateTime())
    left_at: Mapped[datetime] = mapped_column(UTCDateTime())
    days: Mapped[float] = mapped_column(Float)

    @classmethod
    def between(
        cls,
        applicant_id: int,
        stage: str,
        entered_at: datetime,
        left_at: datetime,
        application_id: int | None = None,
    ) -> "StageSpan":
        """The span of `stage` from entering to leaving it, its length in days stored with it."""
        days = max(0.0, (left_at - entered_at).total_seconds() / 86400)
        return cls(
            applicant_id=applicant_id,
            application_id=application_id,
            stage=stage,
            entered_at=entered_at,
            left_at=left_at,
            days=days,
        )
