"""What recruiters add to a candidate: notes, scorecards, tags, email templates, a search index."""

from datetime import datetime

from sqlalchemy import (
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from portal.extensions import db
from portal.models.applicant import Applicant
from portal.models.base import UTCDateTime, utcnow
from portal.models.user import User

SCORECARD_ATTRIBUTES: dict[str, str] = {
    "domain_expertise": "Domain expertise",
    "writing_quality": "Writing quality",
    "judgement": "Judgement",
    "reliability": "Reliability",
}
RECOMMENDATIONS: dict[str, str] = {
    "strong_no": "Strong no",
    "no": "No",
    "yes": "Yes",
    "strong_yes": "Strong yes",
}


class Note(db.Model):
    """A recruiter's private note about a candidate (never shown to applicants)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    applicant_id: Mapped[int] = mapped_column(
        ForeignKey("applicant.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    author: Mapped[User | None] = relationship()


class Scorecard(db.Model):
    """One recruiter's ratings (1-4 per attribute) and recommendation for one candidate."""

    __table_args__ = (UniqueConstraint("applicant_id", "recruiter_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    applicant_id: Mapped[int] = mapped_column(
        ForeignKey("applicant.id", ondelete="CASCADE"), index=True
    )
    recruiter_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    domain_expertise: Mapped[int] = mapped_column(Integer)
    writing_quality: Mapped[int] = mapped_column(Integer)
    judgement: Mapped[int] = mapped_column(Integer)
    reliability: Mapped[int] = mapped_column(Integer)
    recommendation: Mapped[str] = mapped_column(String(16))
    comment: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    recruiter: Mapped[User | None] = relationship()


class Tag(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40), unique=True)


class ApplicantTag(db.Model):
    applicant_id: Mapped[int] = mapped_column(
        ForeignKey("applicant.id", ondelete="CASCADE"), primary_key=True
    )
    tag_id: Mapped[int] = mapped_column(
        ForeignKey("tag.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    added_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    tag: Mapped[Tag] = relationship(lazy="joined")
    applicant: Mapped[Applicant] = relationship(
        backref=backref("tag_links", cascade="all, delete-orphan", passive_deletes=True)
    )


class EmailTemplate(db.Model):
    """An editable email (Jinja, rendered sandboxed); `stage` set: sent on moves to that stage."""

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    stage: Mapped[str | None] = mapped_column(String(32), index=True)
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))


class CandidateIndex(db.Model):
    """A narrow denormalised row per applicant for filtering and sorting at scale.

    Maintained on every commit that touches the applicant, their resume, attempt scores, notes
    or tags (portal/recruiters/search.py). `queue` is 0 while the applicant waits on us (the SLA
    stages) and 1 otherwise, so the default queue order (waiting longest first) is one index.
    """

    __table_args__ = (
        Index("ix_candidate_index_queue", "queue", "stage_changed_at", "applicant_id"),
    )

    applicant_id: Mapped[int] = mapped_column(
        ForeignKey("applicant.id", ondelete="CASCADE"), primary_key=True
    )
    domains: Mapped[str] = mapped_column(Text, default="")  # "|law|medicine|"
    skills: Mapped[str] = mapped_column(Text, default="")  # "|python|sql|"
    score: Mapped[float | None] = mapped_column(Float, index=True)
    passed: Mapped[bool | None] = mapped_column(Boolean, index=True)
    has_labelling: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    queue: Mapped[int] = mapped_column(SmallInteger, default=1)
    stage_changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    applicant: Mapped[Applicant] = relationship(
        backref=backref("search_index", uselist=False, passive_deletes=True)
    )


class CandidateDocument(db.Model):
    """The text a free-text search looks through, one row per applicant (kept apart: wide).

    SQLite searches `document` (lower-cased) with LIKE. PostgreSQL searches `search_vector`
    (`to_tsvector('simple', document)`, written by the same refresh) under a GIN index and
    leaves `document` empty; on SQLite `search_vector` is unused.
    """

    __table_args__ = (
        Index("ix_candidate_document_search_vector", "search_vector", postgresql_using="gin"),
    )

    applicant_id: Mapped[int] = mapped_column(
        ForeignKey("applicant.id", ondelete="CASCADE"), primary_key=True
    )
    document: Mapped[str] = mapped_column(Text, default="")
    search_vector: Mapped[str | None] = mapped_column(
        Text().with_variant(TSVECTOR(), "postgresql"), deferred=True
    )


# Filters and sorts the recruiter list uses at 100k applicants (the applicant table is shared).
Index("ix_applicant_stage_stage_changed_at", Applicant.stage, Applicant.stage_changed_at)
Index("ix_applicant_weekly_hours", Applicant.weekly_hours)
Index("ix_applicant_desired_rate_cents", Applicant.desired_rate_cents)
Index("ix_applicant_full_name", Applicant.full_name)
