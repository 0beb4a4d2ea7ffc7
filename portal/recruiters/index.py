"""The candidate search index (`CandidateIndex`), kept current by session hooks.

The index is refreshed inside the transaction that changes what it summarises: a session hook
notes which applicants a flush touched and rewrites their rows just before commit, so every
writer (profile form, resume parser, assessment, notes) keeps it current without calling us.
The hooks are attached by ``init_app`` (called from the application factory).
"""

import unicodedata
from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask
from sqlalchemy import (
    event,
    func,
    inspect,
    select,
)
from sqlalchemy.orm import Session, joinedload

from portal.extensions import db
from portal.models import (
    Applicant,
    ApplicantTag,
    Attempt,
    CandidateIndex,
    Note,
    Resume,
    Tag,
)
from portal.pipeline import WAITING_ON_US

_PENDING = "recruiters_reindex"


def name_key(name: str | None) -> str:
    """How a name sorts: case and accents folded ("Émile" beside "emma", not after "Zoe"),
    whatever the database's collation."""
    decomposed = unicodedata.normalize("NFKD", (name or "").strip().casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))[:200]


def _terms(values: Iterable[str] | None) -> list[str]:
    """Distinct lower-cased terms, as the domain and skills filters compare them."""
    return sorted({str(v).strip().lower() for v in values or [] if str(v).strip()})


# The most resume text one index row takes (new resumes keep at most RESUME_TEXT_LIMIT).
RESUME_TEXT_IN_INDEX = 200_000


def build_document(
    applicant: Applicant, resume_text: str | None, notes: Iterable[str], tags: Iterable[str]
) -> str:
    """The lower-cased text a free-text search looks through."""
    parts: list[str] = [
        applicant.full_name or "",
        applicant.user.email if applicant.user is not None else "",
        applicant.city or "",
        applicant.country or "",
        " ".join(map(str, applicant.skills or [])),
        " ".join(map(str, applicant.domains or [])),
        applicant.summary or "",
        (resume_text or "")[:RESUME_TEXT_IN_INDEX],  # rows stored before the cap, too
        " ".join(notes),
        " ".join(tags),
    ]
    return " ".join(p for p in parts if p).lower()


def refresh_candidates(session: Session, applicant_ids: Iterable[int]) -> int:
    """Rewrite the index rows of these applicants from the current data (the caller commits).

    A deleted (anonymised) applicant has no row: they are neither found nor counted live.
    """
    ids = sorted(set(applicant_ids))
    if not ids:
        return 0
    applicants = session.scalars(
        select(Applicant).where(Applicant.id.in_(ids)).options(joinedload(Applicant.user))
    ).all()
    resumes = dict(
        session.execute(
            select(Resume.applicant_id, Resume.text).where(
                Resume.applicant_id.in_(ids), Resume.is_current.is_(True)
            )
        ).all()
    )
    notes: dict[int, list[str]] = {}
    for applicant_id, body in session.execute(
        select(Note.applicant_id, Note.body).where(Note.applicant_id.in_(ids))
    ):
        notes.setdefault(applicant_id, []).append(body)
    tags: dict[int, list[str]] = {}
    for applicant_id, name in session.execute(
        select(ApplicantTag.applicant_id, Tag.name)
        .join(Tag)
        .where(ApplicantTag.applicant_id.in_(ids))
    ):
        tags.setdefault(applicant_id, []).append(name)
    scores: dict[int, tuple[float | None, bool | None]] = {}
    for applicant_id, score, passed in session.execute(
        select(Attempt.applicant_id, Attempt.score, Attempt.passed)
        .where(Attempt.applicant_id.in_(ids), Attempt.score.is_not(None))
        .order_by(Attempt.started_at, Attempt.id)
    ):
        scores[applicant_id] = (score, passed)  # the latest scored attempt wins
    postgres = session.get_bind().dialect.name == "postgresql"
    existing = {
        row.applicant_id: row
        for row in session.scalars(
            select(CandidateIndex).where(CandidateIndex.applicant_id.in_(ids))
        )
    }
    for applicant in applicants:
        row = existing.get(applicant.id)
        if applicant.deleted_at is not None:  # deleted: out of search and the live counts
            if row is not None:
                session.delete(row)
            continue
        if row is None:
            row = CandidateIndex(applicant_id=applicant.id)
            session.add(row)
        text = build_document(
            applicant,
            resumes.get(applicant.id),
            notes.get(applicant.id, []),
            tags.get(applicant.id, []),
        )
        if postgres:  # the tsvector is all PostgreSQL searches, without positions (no phrase
            # search or ranking reads them), so index rows stay narrow
            row.search_vector = func.strip(func.to_tsvector("simple", text))
            row.document = ""
        else:
            row.document = text
        row.name_key = name_key(applicant.full_name)
        row.stage = applicant.stage
        row.country = applicant.country
        row.hours_key = -1 if applicant.weekly_hours is None else applicant.weekly_hours
        row.desired_rate_cents = applicant.desired_rate_cents
        row.domains = _terms(applicant.domains)
        row.skills = _terms(applicant.skills)
        row.score, row.passed = scores.get(applicant.id, (None, None))
        row.score_key = -1.0 if row.score is None else row.score
        row.has_labelling = bool(applicant.labelling_experience)
        row.queue = 0 if applicant.stage in WAITING_ON_US else 1
        row.stage_changed_at = applicant.stage_changed_at
        row.created_at = applicant.created_at
    return len(applicants)


_WATCHED_ATTEMPT_FIELDS = ("score", "passed")


def _touched_applicant(obj: object, is_new: bool) -> int | None:
    if isinstance(obj, Applicant):
        return obj.id
    if isinstance(obj, Resume | Note | ApplicantTag):
        return obj.applicant_id
    if isinstance(obj, Attempt):
        if is_new:
            return obj.applicant_id
        state = inspect(obj)
        if any(state.attrs[name].history.has_changes() for name in _WATCHED_ATTEMPT_FIELDS):
            return obj.applicant_id
    return None


def _collect(session: Session, flush_context: Any) -> None:
    pending: set[int] = session.info.setdefault(_PENDING, set())
    for objects, is_new in ((session.new, True), (session.dirty, False), (session.deleted, False)):
        for obj in objects:
            applicant_id = _touched_applicant(obj, is_new)
            if applicant_id is not None:
                pending.add(applicant_id)


def _reindex(session: Session) -> None:
    if session.new or session.dirty or session.deleted:
        session.flush()
    pending = session.info.pop(_PENDING, None)
    if pending:
        refresh_candidates(session, pending)


def _forget(session: Session) -> None:
    session.info.pop(_PENDING, None)


def reindex_all(batch: int = 1000, progress: Callable[[int], None] | None = None) -> int:
    """Rebuild every applicant's index row (after a bulk import); returns how many.

    Each batch commits on its own, so a rebuild of 100k applicants never holds one long
    transaction, and `progress` hears how many were done after each.
    """
    ids = db.session.scalars(select(Applicant.id).order_by(Applicant.id)).all()
    for start in range(0, len(ids), batch):
        chunk = ids[start : start + batch]
        refresh_candidates(db.session, chunk)
        db.session.commit()
        if progress is not None:
            progress(len(chunk))
    return len(ids)


_HOOKS = (("after_flush", "_collect"), ("before_commit", "_reindex"), ("after_rollback", "_forget"))


def init_app(app: Flask) -> None:
    """Keep the index current: attach the session hooks (once per process, for every session)."""
    for name, fn in ((name, globals()[fn]) for name, fn in _HOOKS):
        if not event.contains(Session, name, fn):
            event.listen(Session, name, fn)
