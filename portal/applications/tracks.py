"""Which applications an assessment decides, and when a passed one is reused.

An application is assessed on its posting's track. The ``general`` track (the default posting's)
takes the track the applicant's profile leads to (``assessment.attempts.track_for``), so any
attempt decides it, as before postings existed; a named track needs an attempt on that track.
A passed attempt counts for ASSESSMENT_VALID_FOR after it ended: applying to another posting of
a covered track in that time skips straight to "Assessed: passed" instead of asking again.
"""

from datetime import datetime, timedelta

from sqlalchemy import select

from portal.extensions import db
from portal.models import Applicant, Application, Attempt, Posting

ASSESSMENT_VALID_FOR = timedelta(days=365)
GENERAL = "general"
# The stages in which an application still waits for its assessment result.
AWAITING = ("profile_complete", "assessed_failed")


def covers(posting_track: str | None, attempt_track: str | None) -> bool:
    """Does an attempt on `attempt_track` assess an application to a posting of `posting_track`?"""
    if not posting_track or posting_track == GENERAL:
        return True
    return attempt_track == posting_track


def decided_by(applicant: Applicant, attempt_track: str | None) -> list[Application]:
    """The applicant's applications an attempt on this track decides."""
    return [a for a in applicant.applications if covers(a.posting.track, attempt_track)]


def awaiting(applicant: Applicant) -> list[Application]:
    """Applications that wait for an assessment, oldest first."""
    return [a for a in applicant.applications if a.stage in AWAITING]


def next_track(applicant: Applicant) -> str | None:
    """The named track the applicant's next attempt should be on (None: let the profile say)."""
    for application in awaiting(applicant):
        if application.posting.track and application.posting.track != GENERAL:
            return application.posting.track
    return None


def reusable_attempt(applicant_id: int, posting: Posting, now: datetime) -> Attempt | None:
    """The latest passed attempt, still valid, that covers this posting's track."""
    attempts = db.session.scalars(
        select(Attempt)
        .where(
            Attempt.applicant_id == applicant_id,
            Attempt.passed.is_(True),
            Attempt.ended_at.is_not(None),
            Attempt.ended_at >= now - ASSESSMENT_VALID_FOR,
        )
        .order_by(Attempt.ended_at.desc(), Attempt.id.desc())
    )
    return next((a for a in attempts if covers(posting.track, a.track)), None)
