"""What recruiters add to a candidate: notes, scorecards, tags, email templates, a search index."""

from datetime import datetime

from sqlalchemy import (
    JSON,
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
from sqlalchemy.dialects.postgresql import ARRAY, TSVECTOR
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


class SavedSearch(db.Model):
    """A recruiter's named candidate search: the list page's query string, run again later."""

    __table_args__ = (UniqueConstraint("owner_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    query: Mapped[str] = mapped_column(Text, default="")
    shared: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    owner: Mapped[User] = relationship()


# Lower-cased domain and skill lists: a GIN-indexed text[] on PostgreSQL (`@>`), JSON elsewhere.
TermList = JSON().with_variant(ARRAY(Text()), "postgresql")


class CandidateIndex(db.Model):
    """A denormalised row per applicant holding everything the candidate list filters and sorts.

    Maintained on every commit that touches the applicant, their resume, attempt scores, notes
    or tags (portal/recruiters/index.py), so a search reads this one table: its filters and
    the free text meet in one bitmap scan instead of joins over 100k rows. Deleted (anonymised)
    applicants have no row.

    Sorting: every list order is an index ending in `applicant_id` (the tie-break), scanned
    forwards or backwards, for everyone and within one stage. `queue` is 0 while the applicant
    waits on us (the SLA stages) and 1 otherwise, so the default order (waiting longest first)
    is one index. `score_key` and `hours_key` are the score and weekly hours with -1 for "none",
    so "best first" puts the unknown last and still walks a plain index on every database.

    Free text: PostgreSQL searches `search_vector` (`to_tsvector('simple', ...)` of name,
    email, place, skills, domains, summary, resume text, notes and tags) under a GIN index and
    leaves `document` empty; SQLite searches the lower-cased `document` with LIKE. Both are
    deferred; the vector keeps no positions and long ones are stored out of line (TOAST).
    """

    __table_args__ = (
        Index("ix_candidate_index_queue", "queue", "stage_changed_at", "applicant_id"),
        Index("ix_candidate_index_name", "name_key", "applicant_id"),
        Index("ix_candidate_index_created", "created_at", "applicant_id"),
        Index("ix_candidate_index_rate", "desired_rate_cents", "applicant_id"),
        Index("ix_candidate_index_score_key", "score_key", "applicant_id"),
        Index("ix_candidate_index_hours_key", "hours_key", "applicant_id"),
        Index("ix_candidate_index_stage", "stage", "stage_changed_at", "applicant_id"),
        Index("ix_candidate_index_stage_name", "stage", "name_key", "applicant_id"),
        Index("ix_candidate_index_stage_created", "stage", "created_at", "applicant_id"),
        Index("ix_candidate_index_stage_rate", "stage", "desired_rate_cents", "applicant_id"),
        Index("ix_candidate_index_stage_score", "stage", "score_key", "applicant_id"),
        Index("ix_candidate_index_stage_hours", "stage", "hours_key", "applicant_id"),
        Index("ix_candidate_index_domains", "domains", postgresql_using="gin"),
        Index("ix_candidate_index_skills", "skills", postgresql_using="gin"),
        Index("ix_candidate_index_search_vector", "search_vector", postgresql_using="gin"),
    )

    applicant_id: Mapped[int] = mapped_column(
        ForeignKey("applicant.id", ondelete="CASCADE"), primary_key=True
    )
    name_key: Mapped[str] = mapped_column(String(200), default="")  # see recruiters.index.name_key
    stage: Mapped[str] = mapped_column(String(32), default="applied")
    country: Mapped[str | None] = mapped_column(String(2), index=True)
    hours_key: Mapped[int] = mapped_column(Integer, default=-1)  # weekly hours; -1: not given
    desired_rate_cents: Mapped[int | None] = mapped_column(Integer)
    domains: Mapped[list[str]] = mapped_column(TermList, default=list)
    skills: Mapped[list[str]] = mapped_column(TermList, default=list)
    score: Mapped[float | None] = mapped_column(Float, index=True)
    score_key: Mapped[float] = mapped_column(Float, default=-1.0)  # score; -1: not assessed
    passed: Mapped[bool | None] = mapped_column(Boolean, index=True)
    has_labelling: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    queue: Mapped[int] = mapped_column(SmallInteger, default=1)
    stage_changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    document: Mapped[str] = mapped_column(Text, default="", deferred=True)
    search_vector: Mapped[str | None] = mapped_column(
        Text().with_variant(TSVECTOR(), "postgresql"), deferred=True
    )

    applicant: Mapped[Applicant] = relationship(
        backref=backref("search_index", uselist=False, passive_deletes=True)
    )


# The stage lists and the board read the applicant table by stage, oldest move first.
Index("ix_applicant_stage_stage_changed_at", Applicant.stage, Applicant.stage_changed_at)
