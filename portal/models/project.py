"""Client projects, the contractors assigned to them, and guideline acknowledgements."""

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.base import UTCDateTime, utcnow


class Client(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    contact_email: Mapped[str | None] = mapped_column(String(320))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Project(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id", ondelete="RESTRICT"))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    domains: Mapped[list[str]] = mapped_column(JSON, default=list)
    skills: Mapped[list[str]] = mapped_column(JSON, default=list)
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    min_score: Mapped[float] = mapped_column(Float, default=0)
    domain_min_scores: Mapped[dict[str, float]] = mapped_column(JSON, default=dict)
    hours_min: Mapped[int] = mapped_column(Integer, default=10)
    hours_max: Mapped[int] = mapped_column(Integer, default=20)
    rate_min_cents: Mapped[int] = mapped_column(Integer, default=2500)
    rate_max_cents: Mapped[int] = mapped_column(Integer, default=3500)
    currency: Mapped[str] = mapped_column(String(3), default="usd")
    allowed_countries: Mapped[list[str]] = mapped_column(JSON, default=list)  # empty: any
    timezone_window: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    headcount: Mapped[int] = mapped_column(Integer, default=1)
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    # draft | open | staffed | closed
    status: Mapped[str] = mapped_column(String(16), default="draft", index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    client: Mapped[Client] = relationship()
    assignments: Mapped[list["Assignment"]] = relationship(back_populates="project")


class Assignment(db.Model):
    """A contractor on a project: offered -> accepted -> active -> ended (| declined | lapsed)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), index=True
    )
    applicant_id: Mapped[int] = mapped_column(
        ForeignKey("applicant.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(16), default="offered", index=True)
    hourly_rate_cents: Mapped[int] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(String(3), default="usd")
    weekly_hours: Mapped[int] = mapped_column(Integer)
    starts_on: Mapped[date | None] = mapped_column(Date)
    rate_reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    match_score: Mapped[float | None] = mapped_column(Float)
    offered_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    accepted_guideline_version: Mapped[int | None] = mapped_column(Integer)
    agreement_version: Mapped[str | None] = mapped_column(String(32))
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The work window: days from max(starts_on, acceptance) to ends_on (inclusive) take hours.
    ends_on: Mapped[date | None] = mapped_column(Date)
    end_reason: Mapped[str | None] = mapped_column(Text)
    activated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    paused_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    pause_reason: Mapped[str | None] = mapped_column(Text)
    offered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    # limited | standard | expanded: the weekly hours cap follows it (portal/work/tiers.py)
    quality_tier: Mapped[str] = mapped_column(
        String(16), default="standard", server_default="standard"
    )

    project: Mapped[Project] = relationship(back_populates="assignments")

    @property
    def shown_status(self) -> str:
        """The status a reader sees: an open offer past its expiry reads as lapsed (the beat
        task writes that down; pages never do)."""
        from portal import clock

        if self.status == "offered" and self.expires_at and self.expires_at <= clock.now():
            return "lapsed"
        return self.status


class GuidelineAck(db.Model):
    """A contractor acknowledged a guideline version (project's or the assessment's)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    applicant_id: Mapped[int] = mapped_column(
        ForeignKey("applicant.id", ondelete="CASCADE"), index=True
    )
    guideline_id: Mapped[int] = mapped_column(
        ForeignKey("guideline.id", ondelete="CASCADE"), index=True
    )
    acknowledged_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
