"""The one Celery task of the resume parser: parse a stored upload and record the outcome."""

import logging
from datetime import timedelta

from celery import shared_task
from flask import current_app
from sqlalchemy import func, select

from portal import clock
from portal.extensions import db
from portal.models import Resume
from portal.resumes import PARSER_VERSION, ParsedResume, ResumeError
from portal.storage import get_storage

log = logging.getLogger(__name__)

MSG_UNEXPECTED = (
    "Something went wrong while reading this file. Fill in the form yourself, "
    "or try uploading it again later."
)


def _parse(path: str, country: str | None) -> ParsedResume:
    from portal.resumes import parse_resume_detailed, parse_resume_sandboxed

    config = current_app.config
    if not config.get("RESUME_PARSE_SANDBOX", True):
        return parse_resume_detailed(path, default_region=country)
    return parse_resume_sandboxed(
        path,
        timeout=config.get("RESUME_PARSE_TIMEOUT", 15),
        memory_mb=config.get("RESUME_PARSE_MEMORY_MB", 512),
        max_pages=config.get("RESUME_PARSE_MAX_PAGES", 20),
        default_region=country,
        today=clock.today(),  # the child's own clock would not be the portal's
    )


@shared_task(name="resumes.parse")
def parse_resume_task(resume_id: int) -> str:
    """pending -> parsing -> parsed | failed; a finished resume is left alone (idempotent).

    Whatever happens after "parsing" is stored (the parse, saving its result, indexing it for
    search), the resume ends parsed or failed with a sentence: never stuck in "parsing".
    """
    resume = db.session.get(Resume, resume_id)
    if resume is None:
        return "missing"
    if resume.status in {"parsed", "failed"}:
        return resume.status
    resume.status = "parsing"
    db.session.commit()
    finished = False
    try:
        _parse_and_store(resume)
        db.session.commit()
        finished = True
    except Exception:  # even one raised by the commit itself (e.g. by the search index)
        log.exception("resume %s: could not store the parse", resume_id)
    finally:
        if not finished:  # also on a worker's time limit or shutdown
            db.session.rollback()
            _fail(resume_id, MSG_UNEXPECTED)
    status = db.session.scalar(select(Resume.status).where(Resume.id == resume_id))
    log.info("resume %s: %s", resume_id, status)
    return status or "missing"


def _parse_and_store(resume: Resume) -> None:
    from portal.models import Applicant

    applicant = db.session.get(Applicant, resume.applicant_id)
    country = applicant.country if applicant is not None else None
    try:
        result = _parse(str(get_storage().path(resume.sha256)), country)
    except ResumeError as exc:
        resume.status, resume.error = "failed", exc.message
    except Exception:  # a bug must end as a failed parse, never a stuck "parsing"
        log.exception("resume %s: unexpected parser error", resume.id)
        resume.status, resume.error = "failed", MSG_UNEXPECTED
    else:
        resume.status, resume.error = "parsed", None
        resume.parsed = result.fields
        resume.confidence = result.confidence
        # Search needs the words, not a novel: a huge text file keeps its first part only.
        resume.text = (result.text or "")[: current_app.config["RESUME_TEXT_LIMIT"]]
        resume.pages = result.pages
    resume.parser_version = PARSER_VERSION
    resume.parsed_at = clock.now()


def _fail(resume_id: int, message: str) -> None:
    resume = db.session.get(Resume, resume_id)
    if resume is not None and resume.status not in {"parsed", "failed"}:
        resume.status, resume.error = "failed", message
        resume.parser_version = PARSER_VERSION
        resume.parsed_at = clock.now()
        db.session.commit()


def stuck_after() -> timedelta:
    """How long a parse may stay "parsing": the sandbox's time limit and a minute to store it."""
    return timedelta(seconds=int(current_app.config.get("RESUME_PARSE_TIMEOUT", 15)) + 60)


@shared_task(name="resumes.fail_stuck", ignore_result=True)
def fail_stuck_parses() -> int:
    """Beat: parses "parsing" longer than the task's time limit (a killed worker) end failed."""
    cutoff = clock.now() - stuck_after()
    ids = list(
        db.session.scalars(
            select(Resume.id).where(
                Resume.status == "parsing",
                func.coalesce(Resume.queued_at, Resume.uploaded_at) < cutoff,
            )
        )
    )
    for resume_id in ids:
        _fail(resume_id, MSG_UNEXPECTED)
    return len(ids)
