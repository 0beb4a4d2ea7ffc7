"""The applicant's journey: resume uploads, the experience profile and what to do next."""

import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import select

from portal import audit, clock
from portal.extensions import db
from portal.jobs import after_commit
from portal.models import Applicant, Resume, User
from portal.resumes import PARSER_VERSION, detect_kind
from portal.storage import get_storage

# Below this confidence the form marks a pre-filled field "check this".
LOW_CONFIDENCE = 0.75
EXPECTED_HOURS = (10, 20)
# A parse with no outcome after this long was lost (the parse itself is capped at ~15 s).
STALE_AFTER = timedelta(minutes=10)

MSG_NOT_A_RESUME = (
    "We can only read PDF, Word (.docx) or plain-text resumes, and this file is none of those. "
    "Export your resume as a PDF or DOCX and upload that."
)
MSG_EMPTY = "This file is empty. Choose your resume file and upload it again."
MSG_NO_FILE = "Choose a resume file to upload."

STATUS_LABELS = {
    "pending": "Queued: waiting for the parser",
    "parsing": "Reading your resume…",
    "parsed": "Done: we pre-filled your profile from it",
    "failed": "We could not read this resume",
}


class UploadError(ValueError):
    """An upload we refuse; the message is for the applicant."""


@dataclass(frozen=True)
class Step:
    title: str
    done: bool
    detail: str = ""
    endpoint: str | None = None
    status: str | None = None  # the resume parse status shown beside the step


def current_resume(applicant: Applicant) -> Resume | None:
    return db.session.scalar(
        select(Resume)
        .where(Resume.applicant_id == applicant.id, Resume.is_current.is_(True))
        .order_by(Resume.id.desc())
        .limit(1)
    )


def resume_history(applicant: Applicant) -> list[Resume]:
    return list(
        db.session.scalars(
            select(Resume).where(Resume.applicant_id == applicant.id).order_by(Resume.id.desc())
        )
    )


def next_steps(user: User) -> list[Step]:
    """The checklist on the applicant dashboard, in the order the journey goes."""
    applicant = user.applicant
    assert applicant is not None
    stage = applicant.stage
    resume = current_resume(applicant)
    if resume is None:
        profile_detail = "Upload a resume and we will pre-fill the form for you."
    else:
        profile_detail = f"Resume “{resume.filename}”: {STATUS_LABELS[resume.status].lower()}."
    steps = [
        Step("Create your account", True),
        Step(
            "Confirm your email address",
            user.email_verified,
            "Needed before the assessment. Check your inbox for the link.",
        ),
        Step(
            "Complete your experience profile",
            applicant.profile_completed_at is not None,
            profile_detail,
            endpoint="applicants.resume" if resume is None else "applicants.profile",
            status=resume.status if resume is not None else None,
        ),
        Step(
            "Take the ranking assessment",
            stage not in {"applied", "profile_complete"},
            "A timed test of how you compare AI responses.",
            # Offered once the profile is in: the assessment is drawn from it.
            "assessment.rules" if applicant.profile_completed_at is not None else None,
        ),
    ]
    if stage == "assessed_failed":
        steps.append(Step("Retake the assessment", False, "Once the waiting period is over."))
    elif stage not in ("rejected", "withdrawn"):
        steps.append(
            Step(
                "Accept an offer and connect Stripe",
                stage == "active",
                "We match you to client projects that fit your skills.",
                {"offered": "offers.index", "onboarding": "payments.index"}.get(stage),
            )
        )
    return steps


# Stages whose applicant may read but not change their file, until a recruiter reopens it.
READ_ONLY_STAGES = {
    "rejected": "Your application was closed, so your resume and profile are read-only. "
    "If a recruiter reopens your application, you can change them again.",
    "withdrawn": "You withdrew your application, so your resume and profile are read-only. "
    "If a recruiter reopens your application, you can change them again.",
}


class ReadOnlyError(ValueError):
    """The applicant's file is closed for changes; the message says why."""


def read_only_reason(applicant: Applicant) -> str | None:
    """Why this applicant may not change their resume or profile now (None: they may)."""
    return READ_ONLY_STAGES.get(applicant.stage)


def ensure_editable(applicant: Applicant) -> None:
    reason = read_only_reason(applicant)
    if reason:
        raise ReadOnlyError(reason)


# --- uploads -------------------------------------------------------------------------------


def upload_resume(applicant: Applicant, data: bytes, filename: str, *, actor: User) -> Resume:
    """Store an upload and make it the current resume; parse it unless that was done before.

    The type comes from the bytes (never the name or the browser's content type). Re-uploading
    a file already parsed by this parser version reuses that parse.
    """
    reason = read_only_reason(applicant)
    if reason:
        raise UploadError(reason)
    if not data:
        raise UploadError(MSG_EMPTY)
    kind = detect_kind(data)
    if kind is None:
        raise UploadError(MSG_NOT_A_RESUME)
    key = get_storage().save(data)
    filename = (filename or "resume").replace("\\", "/").rsplit("/", 1)[-1][:255] or "resume"

    current = current_resume(applicant)
    if current is not None and current.sha256 == key and current.status in {"pending", "parsing"}:
        return current  # already on its way
    previous = db.session.scalar(
        select(Resume)
        .where(
            Resume.applicant_id == applicant.id,
            Resume.sha256 == key,
            Resume.status == "parsed",
            Resume.parser_version == PARSER_VERSION,
        )
        .order_by(Resume.id.desc())
        .limit(1)
    )
    for old in db.session.scalars(
        select(Resume).where(Resume.applicant_id == applicant.id, Resume.is_current.is_(True))
    ):
        old.is_current = False
    resume = Resume(
        applicant_id=applicant.id,
        sha256=key,
        size=len(data),
        kind=kind,
        filename=filename,
        is_current=True,
        status="pending",
    )
    if previous is not None:
        resume.status = "parsed"
        resume.parsed = previous.parsed
        resume.confidence = previous.confidence
        resume.text = previous.text
        resume.pages = previous.pages
        resume.parser_version = previous.parser_version
        resume.parsed_at = previous.parsed_at
    db.session.add(resume)
    db.session.flush()
    audit.record(
        "resume.uploaded",
        actor=actor,
        subject_type="resume",
        subject_id=resume.id,
        applicant_id=applicant.id,
        kind=kind,
        size=len(data),
        sha256=key,
        reused_parse=previous.id if previous is not None else None,
    )
    if previous is None:
        resume.queued_at = clock.now()
        queue_parse(resume.id)
    db.session.commit()
    return resume


def queue_parse(resume_id: int) -> None:
    """Send the parse task after commit.

    Without a broker Celery runs tasks eagerly; outside tests that would hold the upload request
    for the whole parse, so the embedded default runs it on a thread and the page polls.
    """
    from portal.resumes.tasks import parse_resume_task

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    eager = app.extensions["celery"].conf.task_always_eager
    background = app.config.get("RESUME_PARSE_IN_THREAD")
    if background is None:
        background = eager and not app.config.get("TESTING")
    if eager and background:

        def run() -> None:
            parse_resume_task.apply(args=(resume_id,))

        after_commit(lambda: threading.Thread(target=run, daemon=True).start())
    else:
        after_commit(parse_resume_task.delay, resume_id)


def requeue_if_stale(resume: Resume | None, now: datetime | None = None) -> bool:
    """Queue again a parse that has shown no result for STALE_AFTER (e.g. the web process
    running it on a thread restarted); the task is idempotent, so a duplicate costs one parse."""
    if resume is None or resume.status not in {"pending", "parsing"}:
        return False
    now = now or clock.now()
    if now - (resume.queued_at or resume.uploaded_at) < STALE_AFTER:
        return False
    resume.status = "pending"
    resume.queued_at = now
    queue_parse(resume.id)
    db.session.commit()
    return True


def resume_status(resume: Resume | None) -> dict[str, Any]:
    """What the status endpoint and the resume page show."""
    if resume is None:
        return {"status": None, "label": "No resume yet", "done": False, "error": None}
    return {
        "id": resume.id,
        "status": resume.status,
        "label": STATUS_LABELS[resume.status],
        "done": resume.status in {"parsed", "failed"},
        "error": resume.error,
        "filename": resume.filename,
    }


def can_download(user: User, resume: Resume) -> bool:
    """The original file: its owner, recruiters and admins."""
    if user.has_role("recruiter", "admin"):
        return True
    return user.applicant is not None and user.applicant.id == resume.applicant_id
