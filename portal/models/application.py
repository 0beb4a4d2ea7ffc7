"""An application: one applicant applying to one posting, with its own place in the pipeline.

Resume and profile stay on the applicant (shared by every application); the stage, when it
changed, why it ended and who owns it are the application's. ``Applicant.stage`` mirrors the
applicant's furthest application (see ``portal.applications.stages``), so every page that
shows one stage per person keeps working.
"""

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.base import UTCDateTime, utcnow

if TYPE_CHECKING:
    from portal.models.applicant import Applicant
    from portal.models.posting import Posting
    from portal.models.user import User


class Application(db.Model):
    __table_args__ = (
        UniqueConstraint("applicant_id", "posting_id"),
        # A posting's pipeline: its applications by stage, waiting longest first.
        Index("ix_application_posting_stage", "posting_id", "stage", "stage_changed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    applicant_id: Mapped[int] = mapped_column(
        ForeignKey("applicant.id", ondelete="CASCADE"), index=True
    )
    posting_id: Mapped[int] = mapped_column(ForeignKey("posting.id", ondelete="RESTRICT"))
    stage: Mapped[str] = mapped_column(String(32), default="applied", index=True)
    stage_changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Why it ended (rejected | withdrawn): a code from pipeline.EXIT_REASONS; the note is internal.
    exit_reason: Mapped[str | None] = mapped_column(String(32), index=True)
    exit_note: Mapped[str | None] = mapped_column(Text)
    # The stage it left from when it ended, so the funnel can say where people leave.
    exit_stage: Mapped[str | None] = mapped_column(String(32))
    # The recruiter who owns the candidate on this posting (None: nobody yet).
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    applicant: Mapped["Applicant"] = relationship(back_populates="applications")
    posting: Mapped["Posting"] = relationship()
    owner: Mapped["User | None"] = relationship()

    def __repr__(self) -> str:
        return f"<Application {self.id} {self.applicant_id}@{self.posting_id} {self.stage}>"
