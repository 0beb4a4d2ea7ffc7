"""The applicant's journey: resume uploads, the experience profile and what to do next."""

import threading
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import select

from portal import audit, clock, pipeline
from portal.applicants.countries import COUNTRIES
from portal.clock import zone
from portal.extensions import db
from portal.jobs import after_commit
from portal.models import Applicant, Resume, User
from portal.resumes import PARSER_VERSION, detect_kind
from portal.resumes.vocab import COUNTRY_ALIASES
from portal.storage import get_storage
from portal.transactions import use_case
from portal.workdays import ANSWER_WITHIN, add_business_days

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
    return [
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
        Step(
            "Accept an offer and connect Stripe",
            stage == "active",
            "We match you to client projects that fit your skills.",
            {"offered": "offers.index", "onboarding": "payments.index"}.get(stage),
        ),
    ]


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


# --- the experience profile -----------------------------------------------------------------


US_STATES = frozenset(
    {
        "AL",
        "AK",
        "AZ",
        "AR",
        "CA",
        "CO",
        "CT",
        "DE",
        "DC",
        "FL",
        "GA",
        "HI",
        "ID",
        "IL",
        "IN",
        "IA",
        "KS",
        "KY",
        "LA",
        "ME",
        "MD",
        "MA",
        "MI",
        "MN",
        "MS",
        "MO",
        "MT",
        "NE",
        "NV",
        "NH",
        "NJ",
        "NM",
        "NY",
        "NC",
        "ND",
        "OH",
        "OK",
        "OR",
        "PA",
        "RI",
        "SC",
        "SD",
        "TN",
        "TX",
        "UT",
        "VT",
        "VA",
        "WA",
        "WV",
        "WI",
        "WY",
    }
)


def country_from_location(location: str | None) -> tuple[str | None, str | None]:
    """("Dublin, Ireland") -> ("IE", "Dublin"); ("Austin, TX") -> ("US", "Austin")."""
    if not location:
        return None, None
    parts = [p.strip() for p in location.split(",") if p.strip()]
    if not parts:
        return None, None
    last = parts[-1]
    by_name = {name.lower(): code for code, name in COUNTRIES.items()} | COUNTRY_ALIASES
    code = by_name.get(last.lower())
    if code is None and len(last) == 2 and last.isupper():
        # US state abbreviations are far more common on resumes than country codes.
        code = "US" if last in US_STATES else (last if last in COUNTRIES else None)
    city = parts[0] if parts[0].lower() not in {"remote", "anywhere", "worldwide"} else None
    if code is None:
        return None, city
    return code, city if len(parts) > 1 else None


def saved_values(applicant: Applicant) -> dict[str, Any]:
    """The profile as the form's data, from what the applicant has saved."""
    rate = applicant.desired_rate_cents
    return {
        "full_name": applicant.full_name or "",
        "phone": applicant.phone or "",
        "country": applicant.country or "",
        "city": applicant.city or "",
        "timezone": applicant.timezone or "",
        "links": "\n".join(applicant.links or []),
        "skills": ", ".join(applicant.skills or []),
        "years_experience": applicant.years_experience,
        "experience": [
            {
                "title": row.get("title") or "",
                "company": row.get("company") or "",
                "start": row.get("start") or "",
                "end": row.get("end") or ("present" if row.get("start") else ""),
            }
            for row in applicant.experience or []
        ],
        "education": [
            {
                "degree": row.get("degree") or "",
                "school": row.get("school") or "",
                "year": row.get("year"),
            }
            for row in applicant.education or []
        ],
        "domains": list(applicant.domains or []),
        "labelling": [
            {
                "kind": row.get("kind") or "",
                "platforms": row.get("platforms") or "",
                "months": row.get("months"),
            }
            for row in applicant.labelling_experience or []
        ],
        "languages": [
            {"language": row.get("language") or "", "level": row.get("level") or ""}
            for row in applicant.languages or []
        ],
        "weekly_hours": applicant.weekly_hours,
        "earliest_start": applicant.earliest_start,
        "desired_rate": None if rate is None else rate / 100,
        "consent_terms": applicant.consented_at is not None,
        "consent_data": applicant.consented_at is not None,
    }


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def prefill(applicant: Applicant, resume: Resume | None) -> tuple[dict[str, Any], set[str]]:
    """Saved values, with empty ones filled from the parse; and the fields to double-check.

    Nothing the applicant saved is ever replaced. A pre-filled field whose parse confidence is
    low is returned in the second set, so the form can ask them to check it.
    """
    data = saved_values(applicant)
    check: set[str] = set()
    if resume is None or resume.status != "parsed" or not resume.parsed:
        return data, check
    parsed = resume.parsed
    confidence = resume.confidence or {}
    country, city = country_from_location(parsed.get("location"))
    candidates: dict[str, tuple[str, Any]] = {
        # form field: (parse field, value)
        "full_name": ("name", parsed.get("name")),
        "phone": ("phone", parsed.get("phone")),
        "country": ("location", country),
        "city": ("location", city),
        "links": ("links", "\n".join(parsed.get("links") or [])),
        "skills": ("skills", ", ".join(parsed.get("skills") or [])),
        "years_experience": ("years_experience", parsed.get("years_experience")),
        "experience": (
            "experience",
            [
                {
                    "title": row.get("title") or "",
                    "company": row.get("company") or "",
                    "start": row.get("start") or "",
                    "end": row.get("end") or ("present" if row.get("start") else ""),
                }
                for row in parsed.get("experience") or []
            ],
        ),
        "education": (
            "education",
            [
                {
                    "degree": row.get("degree") or "",
                    "school": row.get("school") or "",
                    "year": row.get("year"),
                }
                for row in parsed.get("education") or []
            ],
        ),
        **_matching_candidates(parsed),
    }
    for name, (source, value) in candidates.items():
        if _empty(value) or not _empty(data.get(name)):
            continue
        data[name] = value
        if float(confidence.get(source, 1.0)) < LOW_CONFIDENCE:
            check.add(name)
        if name == "labelling" and value[0]["kind"] == "other":
            check.add(name)  # the kind of work is a guess the applicant should confirm
    if not data["timezone"] and data["country"]:
        data["timezone"] = guess_timezone(data["country"])
    return data, check


# Job-title words -> the form's kind of labelling work, most specific first.
_LABELLING_KIND_WORDS = (
    ("annotation", ("annotat", "labell", "labeler", "labeling")),
    ("content evaluation", ("search quality", "ads quality", "content evaluat")),
    ("moderation", ("moderat",)),
    ("transcription", ("transcri",)),
    ("preference ranking", ("rater", "evaluator", "trainer", "tutor", "rlhf", "rank")),
)


def _matching_candidates(parsed: dict[str, Any]) -> dict[str, tuple[str, Any]]:
    """What matching needs, from the parse: domains, languages, labelling experience."""
    from portal.applicants.forms import DOMAINS, LEVELS

    labelling = parsed.get("labelling") or {}
    rows: list[dict[str, Any]] = []
    if labelling.get("months"):
        titles = " ".join(str(j.get("title") or "") for j in parsed.get("experience") or [])
        kind = next(
            (k for k, words in _LABELLING_KIND_WORDS if any(w in titles.casefold() for w in words)),
            "other",
        )
        platforms = ", ".join(labelling.get("platforms") or [])
        rows = [{"kind": kind, "platforms": platforms, "months": int(labelling["months"])}]
    return {
        "domains": ("domains", [d for d in parsed.get("domains") or [] if d in DOMAINS]),
        "languages": (
            "languages",
            [
                {
                    "language": row.get("language") or "",
                    "level": row.get("level") if row.get("level") in LEVELS else "",
                }
                for row in parsed.get("languages") or []
            ],
        ),
        "labelling": ("labelling", rows),
    }


def prefill_inputs(applicant: Applicant, resume: Resume | None) -> dict[str, Any]:
    """What the parse adds to the form, by input name, for a page opened before it finished.

    intake.js fills only inputs that are still empty, so nothing typed in the meantime is lost.
    """
    saved = saved_values(applicant)
    data, check = prefill(applicant, resume)
    values: dict[str, str | list[str]] = {}
    for name, value in data.items():
        if value == saved.get(name) or _empty(value):
            continue
        if isinstance(value, list) and not all(isinstance(row, dict) for row in value):
            values[name] = [str(v) for v in value]  # checkboxes: the values to tick
        elif isinstance(value, list):
            for i, row in enumerate(value):
                for key, cell in row.items():
                    values[f"{name}-{i}-{key}"] = "" if cell is None else str(cell)
        else:
            values[name] = str(value)
    return {"values": values, "check": sorted(check)}


def guess_timezone(country: str) -> str:
    """A country's zone when it has exactly one (most do); otherwise leave it to the applicant."""
    from portal.applicants.timezones import zones_for_country

    zones = zones_for_country(country)
    return zones[0] if len(zones) == 1 else ""


@use_case
def save_profile(applicant: Applicant, values: dict[str, Any], *, actor: User) -> None:
    """Save the form's cleaned values as a draft; commits."""
    _store_profile(applicant, values, actor=actor)


def _store_profile(applicant: Applicant, values: dict[str, Any], *, actor: User) -> None:
    """Store the form's cleaned values on the applicant (a draft or the final submission)."""
    ensure_editable(applicant)
    applicant.full_name = values["full_name"] or applicant.full_name
    applicant.phone = values["phone"] or None
    applicant.country = values["country"] or None
    applicant.city = values["city"] or None
    applicant.timezone = values["timezone"] or None
    applicant.links = values["links"]
    applicant.skills = values["skills"]
    applicant.years_experience = values["years_experience"]
    applicant.experience = values["experience"]
    applicant.education = values["education"]
    applicant.domains = values["domains"]
    applicant.labelling_experience = values["labelling"]
    applicant.languages = values["languages"]
    applicant.weekly_hours = values["weekly_hours"]
    applicant.earliest_start = values["earliest_start"]
    rate = values["desired_rate"]
    applicant.desired_rate_cents = None if rate is None else int(round(rate * 100))
    if values["consent_terms"] and values["consent_data"]:
        applicant.consented_at = applicant.consented_at or clock.now()
    else:
        applicant.consented_at = None
    audit.record(
        "profile.saved",
        actor=actor,
        subject_type="applicant",
        subject_id=applicant.id,
        applicant_id=applicant.id,
    )


def submit_profile(applicant: Applicant, values: dict[str, Any], *, actor: User) -> date:
    """Save a complete profile, move the applicant on, and return the date we answer by."""
    _store_profile(applicant, values, actor=actor)
    now = clock.now()
    first_time = applicant.profile_completed_at is None
    applicant.profile_completed_at = applicant.profile_completed_at or now
    if applicant.stage == "applied":
        pipeline.move(applicant, "profile_complete", actor=actor, reason="Profile submitted")
    if first_time:
        audit.record(
            "profile.completed",
            actor=actor,
            subject_type="applicant",
            subject_id=applicant.id,
            applicant_id=applicant.id,
        )
    db.session.commit()
    return answer_window(applicant, now)[1]


def answer_window(applicant: Applicant, since: datetime | None = None) -> tuple[date, date]:
    """The dates, in the applicant's timezone, between which we promise an answer."""
    since = since or applicant.profile_completed_at or clock.now()
    local = since.astimezone(zone(applicant.timezone)).date()
    return add_business_days(local, ANSWER_WITHIN[0]), add_business_days(local, ANSWER_WITHIN[1])


def hours_warning(hours: int | None) -> str | None:
    low, high = EXPECTED_HOURS
    if hours is None or low <= hours <= high:
        return None
    return (
        f"Most projects expect {low}–{high} hours a week; with {hours} we may have fewer "
        "projects to offer you."
    )
