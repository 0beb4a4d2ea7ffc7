"""Job postings: the openings applicants apply to, each with its own pitch, pay band and promise.

The Markdown sections are stored as written and sanitised when rendered. Money is in cents.
``locations`` holds ISO 3166 alpha-2 country codes; empty means "anywhere".
"""

from datetime import date, datetime

from sqlalchemy import JSON, Column, Date, ForeignKey, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.base import UTCDateTime, utcnow
from portal.models.project import Project

POSTING_STATUSES: tuple[str, ...] = ("draft", "open", "paused", "closed")
# The sections of a posting, in the order the page shows them: (field, heading).
POSTING_SECTIONS: tuple[tuple[str, str], ...] = (
    ("overview", "Role overview"),
    ("responsibilities", "Key responsibilities"),
    ("qualifications", "Ideal qualifications"),
    ("commitment", "Commitment"),
    ("compensation", "Compensation"),
    ("process", "Application process"),
)

posting_project = Table(
    "posting_project",
    db.metadata,
    Column("posting_id", ForeignKey("posting.id", ondelete="CASCADE"), primary_key=True),
    Column("project_id", ForeignKey("project.id", ondelete="CASCADE"), primary_key=True),
)


class Posting(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(String(300), default="")
    overview: Mapped[str] = mapped_column(Text, default="")
    responsibilities: Mapped[str] = mapped_column(Text, default="")
    qualifications: Mapped[str] = mapped_column(Text, default="")
    commitment: Mapped[str] = mapped_column(Text, default="")
    compensation: Mapped[str] = mapped_column(Text, default="")
    process: Mapped[str] = mapped_column(Text, default="")
    pay_min_cents: Mapped[int] = mapped_column(Integer, default=2500)
    pay_max_cents: Mapped[int] = mapped_column(Integer, default=3500)
    currency: Mapped[str] = mapped_column(String(3), default="usd")
    hours_min: Mapped[int] = mapped_column(Integer, default=10)
    hours_max: Mapped[int] = mapped_column(Integer, default=20)
    domains: Mapped[list[str]] = mapped_column(JSON, default=list)
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)  # ISO 639-1; empty: any
    locations: Mapped[list[str]] = mapped_column(JSON, default=list)  # ISO 3166-1; empty: any
    track: Mapped[str] = mapped_column(String(40), default="general")
    answer_days: Mapped[int] = mapped_column(Integer, default=5)  # business days
    status: Mapped[str] = mapped_column(String(16), default="draft", index=True)
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    valid_through: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    projects: Mapped[list[Project]] = relationship(secondary=posting_project)
