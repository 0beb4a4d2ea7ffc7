"""The one Celery task of the resume parser: parse a stored upload and record the outcome."""

import logging

from celery import shared_task
from flask import current_app

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
    """pending -> parsing -> parsed | failed; a finished resume is left alone (idempotent)."""
    resume = db.session.get(Resume, resume_id)
    if resume is None:
        return "missing"
    if resume.status in {"parsed", "failed"}:
        return resume.status
    resume.status = "parsing"
    db.session.commit()

    from portal.models import Applicant

    applicant = db.session.get(Applicant, resume.applicant_id)
    country = applicant.country if applicant is not None else None
    try:
        result = _parse(str(get_storage().path(resume.sha256)), country)
    except ResumeError as exc:
        resume.status, resume.error = "failed", exc.message
    except Exception:  # a bug must end as a failed parse, never a stuck "parsing"
        log.exception("resume %s: unexpected parser error", resume_id)
        resume.status, resume.error = "failed", MSG_UNEXPECTED
    else:
        resume.status, resume.error = "parsed", None
        resume.parsed = result.fields
        resume.confidence = result.confidence
        resume.text = result.text
        resume.pages = result.pages
    resume.parser_version = PARSER_VERSION
    resume.parsed_at = clock.now()
    db.session.commit()
    log.info("resume %s: %s", resume_id, resume.status)
    return resume.status
