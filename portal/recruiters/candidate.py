"""What the candidate page shows, gathered in a few queries."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from portal.extensions import db
from portal.models import (
    Applicant,
    Attempt,
    AttemptItem,
    AuditEvent,
    Note,
    OutboxEmail,
    Resume,
    Scorecard,
    User,
)


@dataclass
class ItemRow:
    position: int
    kind: str
    domain: str
    prompt: str
    answer: Any
    gold: Any
    seconds: float | None
    rationale: str | None
    credit: float | None
    agree: bool | None
    role: str
    paste_count: int
    revisions: int


@dataclass
class Breakdown:
    attempt: Attempt
    items: list[ItemRow] = field(default_factory=list)
    components: dict[str, Any] = field(default_factory=dict)
    reasons: list[str] = field(default_factory=list)
    signals: list[str] = field(default_factory=list)


def _seconds(start: datetime | None, end: datetime | None) -> float | None:
    if start is None or end is None:
        return None
    return round((end - start).total_seconds(), 1)


def attempt_breakdown(attempt: Attempt) -> Breakdown:
    """Per item: answer, gold, time, rationale; plus integrity signals.

    Built from `Attempt.result` (the scorer's JSON) and the AttemptItem rows, tolerant of
    missing keys: the assessment feature may store less (or more) than we expect.
    """
    result = attempt.result if isinstance(attempt.result, dict) else {}
    scored = result.get("items") if isinstance(result.get("items"), list) else []
    out = Breakdown(
        attempt=attempt,
        components=result.get("components") or {},
        reasons=[str(r) for r in result.get("reasons") or []],
    )
    for index, row in enumerate(attempt.items):
        info = scored[index] if index < len(scored) and isinstance(scored[index], dict) else {}
        answer = row.answer if isinstance(row.answer, dict) else {}
        item = row.item
        out.items.append(
            ItemRow(
                position=row.position,
                kind=getattr(item, "kind", info.get("kind", "")),
                domain=getattr(item, "domain", info.get("domain", "")),
                prompt=(getattr(item, "prompt", "") or "")[:300],
                answer={k: v for k, v in answer.items() if k != "rationale"} or None,
                gold=getattr(item, "gold", None),
                seconds=_seconds(row.shown_at, row.first_answered_at or row.answered_at),
                rationale=answer.get("rationale"),
                credit=info.get("credit"),
                agree=info.get("agree"),
                role=info.get("role") or ("repeat" if row.repeat_of is not None else "gold"),
                paste_count=row.paste_count or 0,
                revisions=row.revisions or 0,
            )
        )
    signals = []
    if attempt.focus_losses:
        signals.append(f"Left the assessment tab {attempt.focus_losses} time(s)")
    pastes = sum(i.paste_count for i in out.items)
    if pastes:
        signals.append(f"Pasted text {pastes} time(s)")
    fast = [i for i in out.items if i.seconds is not None and i.seconds < 10]
    if fast:
        signals.append(f"{len(fast)} item(s) answered in under 10 seconds")
    if result.get("cycles"):
        signals.append(f"{len(result['cycles'])} inconsistent preference cycle(s)")
    if result.get("false_flags"):
        signals.append(f"Flagged {result['false_flags']} good item(s) as broken")
    for signal in attempt.signals or []:
        if isinstance(signal, dict):
            signals.append(str(signal.get("message") or signal.get("kind") or signal))
        else:
            signals.append(str(signal))
    out.signals = signals
    return out


@dataclass
class CandidateView:
    applicant: Applicant
    resume: Resume | None
    attempts: list[Breakdown]
    history: list[AuditEvent]
    notes: list[Note]
    scorecards: list[Scorecard]
    emails: list[OutboxEmail]
    actors: dict[int, User]


def load_candidate(applicant_id: int) -> CandidateView:
    applicant = db.get_or_404(Applicant, applicant_id)
    resume = db.session.scalar(
        select(Resume)
        .where(Resume.applicant_id == applicant.id)
        .order_by(Resume.is_current.desc(), Resume.uploaded_at.desc())
        .limit(1)
    )
    attempts = db.session.scalars(
        select(Attempt)
        .where(Attempt.applicant_id == applicant.id)
        .order_by(Attempt.started_at.desc())
        .options(selectinload(Attempt.items).joinedload(AttemptItem.item))
    ).all()
    history = db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.applicant_id == applicant.id)
        .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
    ).all()
    notes = db.session.scalars(
        select(Note)
        .where(Note.applicant_id == applicant.id)
        .order_by(Note.created_at.desc())
        .options(joinedload(Note.author))
    ).all()
    scorecards = db.session.scalars(
        select(Scorecard)
        .where(Scorecard.applicant_id == applicant.id)
        .order_by(Scorecard.updated_at)
        .options(joinedload(Scorecard.recruiter))
    ).all()
    emails = db.session.scalars(
        select(OutboxEmail)
        .where(OutboxEmail.applicant_id == applicant.id)
        .order_by(OutboxEmail.created_at.desc())
    ).all()
    actor_ids = {e.actor_id for e in history if e.actor_id}
    actors = (
        {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(actor_ids)))}
        if actor_ids
        else {}
    )
    return CandidateView(
        applicant=applicant,
        resume=resume,
        attempts=[attempt_breakdown(a) for a in attempts],
        history=list(history),
        notes=list(notes),
        scorecards=list(scorecards),
        emails=list(emails),
        actors=actors,
    )
