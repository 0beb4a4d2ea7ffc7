"""Demo applications: everyone is on a posting; a few applied to a second one and have owners.

Runs after the postings exist and the applicants are seeded (each applicant got an application
on the default posting when they were added). Idempotent: an existing application is kept.
"""

from collections.abc import Iterator

from sqlalchemy import func, select

from portal.applications.services import application_of, start_application
from portal.applications.sync import DEFAULT_SLUG, default_posting
from portal.extensions import db
from portal.models import Applicant, Application, Posting, User

# Demo applicants who also applied to the other open postings (by email).
SECOND_APPLICATIONS = ("lukas@demo.example", "sofia@demo.example", "daniel@demo.example")
RECRUITER = "recruiter@demo.example"


def seed_applications() -> Iterator[str]:
    default_posting(db.session)
    others = list(
        db.session.scalars(
            select(Posting)
            .where(Posting.status == "open", Posting.slug != DEFAULT_SLUG)
            .order_by(Posting.id)
        )
    )
    added = 0
    for n, email in enumerate(SECOND_APPLICATIONS):
        applicant = db.session.scalar(
            select(Applicant).join(User, User.id == Applicant.user_id).where(User.email == email)
        )
        if applicant is None or not others:
            continue
        posting = others[n % len(others)]
        if application_of(applicant.id, posting.id) is None:
            start_application(applicant, posting, actor=None)
            added += 1
    recruiter = db.session.scalar(select(User).where(User.email == RECRUITER))
    owned = 0
    if recruiter is not None:
        waiting = db.session.scalars(
            select(Application)
            .where(Application.stage == "shortlisted", Application.owner_id.is_(None))
            .order_by(Application.id)
            .limit(3)
        )
        for application in waiting:
            application.owner_id = recruiter.id
            owned += 1
    db.session.commit()
    total = db.session.scalar(select(func.count()).select_from(Application))
    yield f"applications: {total} in all ({added} second applications, {owned} owners set)"
