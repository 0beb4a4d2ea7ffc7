"""Attempts: eligibility, the timed sitting, autosave, submission, expiry and scoring.

The Flask-free engine in ``assessments/`` over the models. Every function takes the server's
clock from ``portal.clock.now`` (or an explicit ``now``); the browser never supplies a time.
Public functions that change state commit, and queue their background work after the commit.
"""

from __future__ import annotations

import random
import secrets
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app, render_template
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from assessments import domains
from assessments import items as engine_items
from assessments import session as engine
from assessments.draw import Blueprint, DrawnItem, draw_items
from assessments.scoring import ScoringConfig, score_attempt
from portal import audit, clock, events, pipeline
from portal.applications import tracks
from portal.assessment.bank import current_guideline, item_pool, to_engine
from portal.extensions import db
from portal.jobs import after_commit
from portal.mail import send_email
from portal.models import Applicant, Attempt, AttemptItem, Item, User

AttemptClosed = engine.AttemptClosed
DeadlinePassed = engine.DeadlinePassed

# The Celery task that closes an attempt at its deadline (portal.assessment.tasks), queued by
# name so that this module does not import its own task module back.
EXPIRE_TASK = "assessment.expire_attempt"


class AssessmentError(Exception):
    """Something the applicant asked for is not possible now; the message says why."""


@dataclass(frozen=True)
class Settings:
    n_items: int
    time_limit: timedelta
    max_attempts: int
    cooldown: timedelta
    max_item_share: float = 0.25
    exposure_window: int = 100


def settings() -> Settings:
    """The assessment settings from the app config (see the README)."""
    config = current_app.config
    return Settings(
        n_items=int(config.get("ASSESSMENT_ITEMS", 30)),
        time_limit=timedelta(minutes=float(config.get("ASSESSMENT_TIME_LIMIT_MINUTES", 45))),
        max_attempts=int(config.get("ASSESSMENT_MAX_ATTEMPTS", 2)),
        cooldown=timedelta(days=float(config.get("ASSESSMENT_RETAKE_COOLDOWN_DAYS", 30))),
        max_item_share=float(config.get("ASSESSMENT_MAX_ITEM_SHARE", 0.25)),
        exposure_window=int(config.get("ASSESSMENT_EXPOSURE_WINDOW", 100)),
    )


def recent_exposure(window: int) -> Counter[str]:
    """How many of the last ``window`` attempts showed each item (by content hash)."""
    recent = select(Attempt.id).order_by(Attempt.started_at.desc(), Attempt.id.desc()).limit(window)
    rows = db.session.execute(
        select(Item.content_hash, func.count(func.distinct(AttemptItem.attempt_id)))
        .join(AttemptItem, AttemptItem.item_id == Item.id)
        .where(AttemptItem.attempt_id.in_(recent.scalar_subquery()))
        .group_by(Item.content_hash)
    )
    return Counter({h: int(n) for h, n in rows})


def track_for(applicant: Applicant) -> str:
    """The assessment track: the named track of a posting the applicant waits to be assessed for,
    else the first domain of the profile that has one (else general).

    The languages track needs the language as a parameter and is not chosen automatically yet."""
    wanted = tracks.next_track(applicant)
    if wanted in domains.TRACKS and wanted != "languages":
        return wanted
    for name in applicant.domains or []:
        key = domains.normalise(name)
        if key in domains.TRACKS and key not in ("general", "languages"):
            return key
    return "general"


def seen_by(applicant: Applicant) -> set[str]:
    """Content hashes of every item the applicant was shown in earlier attempts."""
    return set(
        db.session.scalars(
            select(Item.content_hash)
            .join(AttemptItem, AttemptItem.item_id == Item.id)
            .join(Attempt, Attempt.id == AttemptItem.attempt_id)
            .where(Attempt.applicant_id == applicant.id)
        )
    )


def drawn_items(attempt: Attempt) -> list[DrawnItem]:
    """The attempt's positions as the engine's DrawnItems."""
    return [
        DrawnItem(ai.position, to_engine(ai.item), tuple(ai.permutation), ai.repeat_of)
        for ai in attempt.items
    ]


def engine_state(attempt: Attempt) -> engine.AttemptState:
    """The engine's state machine for a stored attempt."""
    state = engine.AttemptState(
        started_at=attempt.started_at,
        deadline=attempt.deadline,
        n_items=attempt.n_items,
        status=attempt.status,
        ended_at=attempt.ended_at,
        focus_losses=attempt.focus_losses,
    )
    for ai in attempt.items:
        if ai.answer is not None and ai.first_answered_at and ai.answered_at:
            state.answers[ai.position] = engine.RecordedAnswer(
                dict(ai.answer), ai.first_answered_at, ai.answered_at, ai.revisions
            )
        if ai.shown_at is not None:
            state.shown_at[ai.position] = ai.shown_at
        if ai.paste_count:
            state.paste_events[ai.position] = ai.paste_count
    return state


def _store_status(attempt: Attempt, state: engine.AttemptState) -> None:
    attempt.status = state.status
    attempt.ended_at = state.ended_at
    attempt.focus_losses = state.focus_losses


def is_answered(answer: Mapping[str, Any] | None) -> bool:
    """True when an answer holds a choice, a ranking or a flag (a rationale alone is a draft)."""
    if not answer:
        return False
    return any(answer.get(k) is not None for k in ("choice", "ranking", "flag"))


@dataclass(frozen=True)
class Eligibility:
    allowed: bool
    reason: str
    available_at: datetime | None = None
    in_progress: Attempt | None = None


def attempts_of(applicant: Applicant) -> list[Attempt]:
    return list(
        db.session.scalars(
            select(Attempt).where(Attempt.applicant_id == applicant.id).order_by(Attempt.id)
        )
    )


def in_progress_attempt(applicant: Applicant) -> Attempt | None:
    return db.session.scalar(
        select(Attempt).where(Attempt.applicant_id == applicant.id, Attempt.status == "in_progress")
    )


def eligibility(user: User, now: datetime | None = None) -> Eligibility:
    """May this applicant start an attempt now, and if not, why (and from when)?"""
    now = now or clock.now()
    applicant = user.applicant
    if applicant is None:
        return Eligibility(False, "Only applicants take the assessment.")
    current = in_progress_attempt(applicant)
    if current is not None:
        return Eligibility(False, "You have an attempt in progress.", in_progress=current)
    if not user.email_verified:
        return Eligibility(False, "Confirm your email address first.")
    if applicant.stage not in tracks.AWAITING and not tracks.awaiting(applicant):
        if applicant.stage == "applied":
            return Eligibility(False, "Complete your experience profile first.")
        return Eligibility(False, "The assessment is not open at your stage.")
    cfg = settings()
    ends = [a.ended_at or a.deadline for a in attempts_of(applicant)]
    allowed, when = engine.can_retake(ends, now, cfg.max_attempts, cfg.cooldown)
    if allowed:
        return Eligibility(True, "")
    if when is None:
        return Eligibility(False, "You have used every attempt allowed.")
    return Eligibility(False, "You can take the assessment again later.", available_at=when)


def start_attempt(user: User, now: datetime | None = None, seed: int | None = None) -> Attempt:
    """Draw items and open a timed attempt; the deadline is fixed here (commits).

    Parallel starts queue on the applicant's row lock (PostgreSQL), and the partial unique index
    ``uq_attempt_one_in_progress`` stops any that slip through (SQLite): the loser of the race
    lands on the attempt in progress instead of opening a second one.
    """
    now = now or clock.now()
    if user.applicant is not None:
        lock_applicant(user.applicant.id)
    decision = eligibility(user, now)
    if decision.in_progress is not None:
        return decision.in_progress
    if not decision.allowed:
        raise AssessmentError(decision.reason)
    applicant = user.applicant
    assert applicant is not None
    try:
        attempt = open_attempt(applicant, now, seed=seed)
    except IntegrityError:
        db.session.rollback()
        current = in_progress_attempt(applicant)
        if current is None:
            raise
        return current
    audit.record(
        "assessment.started",
        actor=user,
        subject_type="attempt",
        subject_id=attempt.id,
        applicant_id=applicant.id,
        n_items=attempt.n_items,
        deadline=attempt.deadline.isoformat(),
        guideline_version=attempt.guideline_version,
    )
    schedule_expiry(attempt)
    db.session.commit()
    return attempt


def lock_applicant(applicant_id: int) -> None:
    """Take the applicant's row lock (FOR UPDATE on PostgreSQL) until the transaction ends."""
    db.session.scalar(select(Applicant.id).where(Applicant.id == applicant_id).with_for_update())


def open_attempt(applicant: Applicant, now: datetime, seed: int | None = None) -> Attempt:
    """Draw the items (order and response positions shuffled by ``seed``) and add the attempt."""
    cfg = settings()
    pool, ids = item_pool()
    seed = secrets.randbits(31) if seed is None else seed
    blueprint = Blueprint(
        n_items=cfg.n_items,
        max_item_share=cfg.max_item_share,
        exposure_window=cfg.exposure_window,
        track=track_for(applicant),
    )
    drawn = draw_items(
        pool,
        blueprint,
        random.Random(seed),
        exposure=recent_exposure(cfg.exposure_window),
        exclude=seen_by(applicant),
    )
    if not drawn:
        raise AssessmentError("The item bank is empty; please try again later.")
    state = engine.start_attempt(len(drawn), now, cfg.time_limit)
    guideline = current_guideline()
    attempt = Attempt(
        applicant_id=applicant.id,
        status=state.status,
        started_at=state.started_at,
        deadline=state.deadline,
        n_items=len(drawn),
        track=blueprint.track,
        seed=seed,
        guideline_id=guideline.id if guideline else None,
        guideline_version=guideline.version if guideline else None,
        focus_losses=0,
        signals=[],
    )
    attempt.items = [
        AttemptItem(
            position=d.position,
            item_id=ids[d.item.content_hash],
            permutation=list(d.permutation),
            repeat_of=d.repeat_of,
            revisions=0,
            paste_count=0,
        )
        for d in drawn
    ]
    db.session.add(attempt)
    db.session.flush()
    return attempt


def schedule_expiry(attempt: Attempt) -> None:
    """After commit, queue the task that closes the attempt at its deadline (beat backs it up)."""
    celery = current_app.extensions["celery"]
    if celery.conf.task_always_eager:
        return  # eager mode would run it now, before the deadline: the per-request check covers it
    after_commit(celery.send_task, EXPIRE_TASK, args=[attempt.id], eta=attempt.deadline)


def lock(attempt: Attempt) -> Attempt:
    """Re-read the attempt with a row lock (PostgreSQL) so a save cannot race a submit/expiry."""
    locked = db.session.scalar(
        select(Attempt)
        .where(Attempt.id == attempt.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    assert locked is not None
    return locked


def position_view(attempt: Attempt, position: int) -> dict[str, Any]:
    """What the browser gets for one position: prompt and shuffled responses, never gold."""
    ai = attempt_item(attempt, position)
    drawn = DrawnItem(ai.position, to_engine(ai.item), tuple(ai.permutation), ai.repeat_of)
    return drawn.view()


def attempt_item(attempt: Attempt, position: int) -> AttemptItem:
    if not 0 <= position < len(attempt.items):
        raise IndexError(position)
    return attempt.items[position]


def show_position(attempt: Attempt, position: int, now: datetime | None = None) -> None:
    """Record when the server first served a position (reading-time signals); commits."""
    now = now or clock.now()
    state = engine_state(attempt)
    try:
        engine.mark_shown(state, position, now)
    except engine.DeadlinePassed:
        finalize(attempt.id, now=now)
        raise
    ai = attempt_item(attempt, position)
    if ai.shown_at is None:
        ai.shown_at = state.shown_at[position]
        db.session.commit()


def clean_answer(raw: Any) -> dict[str, Any]:
    """Keep only the fields an answer may have; blank rationale and blank flags drop out."""
    if not isinstance(raw, Mapping):
        raise engine_items.ItemValidationError("answer must be an object")
    answer: dict[str, Any] = {}
    for key in ("choice", "ranking"):
        if raw.get(key) is not None:
            answer[key] = raw[key]
    rationale = raw.get("rationale")
    if isinstance(rationale, str) and rationale.strip():
        answer["rationale"] = rationale[:10_000]
    elif rationale is not None and not isinstance(rationale, str):
        raise engine_items.ItemValidationError("rationale must be text")
    flag = raw.get("flag")
    if flag is not None:
        if not isinstance(flag, Mapping):
            raise engine_items.ItemValidationError('flag must be {"reason": "<text>"}')
        reason = flag.get("reason")
        if not isinstance(reason, str) or not reason.strip():
            raise engine_items.ItemValidationError("Say why you flag this item.")
        answer["flag"] = {"reason": reason.strip()[:2000]}
    unknown = set(raw) - {"choice", "ranking", "rationale", "flag"}
    if unknown:
        raise engine_items.ItemValidationError(f"unknown answer fields: {sorted(unknown)}")
    return answer


def save_answer(
    attempt: Attempt, position: int, raw: Any, now: datetime | None = None
) -> AttemptItem:
    """Autosave the answer at a position (shown order). Commits.

    Raises DeadlinePassed (after closing and scoring the attempt) when the deadline has passed,
    AttemptClosed when it has ended, ItemValidationError for a malformed answer. A rationale
    without a choice yet is kept as a draft.
    """
    now = now or clock.now()
    answer = clean_answer(raw)
    attempt = lock(attempt)
    state = engine_state(attempt)
    ai = attempt_item(attempt, position)
    drawn = DrawnItem(ai.position, to_engine(ai.item), tuple(ai.permutation), ai.repeat_of)
    try:
        engine.record_answer(
            state, position, answer, now, drawn=drawn if is_answered(answer) else None
        )
    except engine.DeadlinePassed:
        finalize(attempt.id, now=now)
        raise
    recorded = state.answers[position]
    ai.answer = recorded.answer
    ai.first_answered_at = recorded.first_answered_at
    ai.answered_at = recorded.answered_at
    ai.revisions = recorded.revisions
    db.session.commit()
    return ai


def record_event(
    attempt: Attempt, kind: str, position: int | None, now: datetime | None = None
) -> None:
    """Count a paste or a focus loss reported by the page (the time is the server's). Commits."""
    now = now or clock.now()
    state = engine_state(attempt)
    try:
        engine.record_event(state, kind, now, position)
    except engine.DeadlinePassed:
        finalize(attempt.id, now=now)
        raise
    if kind == "paste" and position is not None:
        attempt_item(attempt, position).paste_count = state.paste_events[position]
    attempt.focus_losses = state.focus_losses
    db.session.commit()


def submit_attempt(attempt: Attempt, now: datetime | None = None) -> Attempt:
    """Finish and score the attempt; after the deadline it is scored as expired. Commits."""
    now = now or clock.now()
    attempt = lock(attempt)
    state = engine_state(attempt)
    try:
        engine.submit(state, now)
    except engine.DeadlinePassed:
        finalize(attempt.id, now=now)
        raise
    _store_status(attempt, state)
    db.session.flush()
    finalize(attempt.id, now=now)
    return attempt


def scoring_config() -> ScoringConfig:
    """The scoring thresholds: engine defaults, overridable with ASSESSMENT_SCORING (a dict)."""
    overrides = current_app.config.get("ASSESSMENT_SCORING") or {}
    return ScoringConfig(**overrides)


def finalize(
    attempt_id: int, *, now: datetime | None = None, notify: bool = True, move_stage: bool = True
) -> bool:
    """Close (if due) and score an attempt once; move the applicant and email them. Commits.

    Idempotent: an attempt already scored, or in progress before its deadline, is left alone.
    Returns True when this call scored it.
    """
    now = now or clock.now()
    attempt = db.session.scalar(
        select(Attempt)
        .where(Attempt.id == attempt_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if attempt is None or attempt.result is not None:
        db.session.rollback()
        return False
    state = engine_state(attempt)
    engine.expire_if_due(state, now)
    if state.status == engine.IN_PROGRESS:
        db.session.rollback()
        return False
    _store_status(attempt, state)
    drawn = drawn_items(attempt)
    answers = {ai.position: ai.answer for ai in attempt.items if ai.answer}
    result = score_attempt(drawn, answers, scoring_config())
    attempt.score = result.score
    attempt.passed = result.passed
    attempt.result = result.to_dict()
    attempt.signals = [
        {"kind": s.kind, "position": s.position, "detail": s.detail}
        for s in engine.integrity_signals(state, drawn)
    ]
    applicant = db.session.get(Applicant, attempt.applicant_id)
    assert applicant is not None
    audit.record(
        "assessment.scored",
        actor=None,
        subject_type="attempt",
        subject_id=attempt.id,
        applicant_id=applicant.id,
        status=attempt.status,
        score=attempt.score,
        passed=attempt.passed,
    )
    to_stage = "assessed_passed" if result.passed else "assessed_failed"
    if move_stage:
        for application in tracks.decided_by(applicant, attempt.track):
            if application.stage != to_stage and pipeline.can_move(application.stage, to_stage):
                reason = f"assessment attempt {attempt.id}"
                pipeline.move(application, to_stage, actor=None, reason=reason)
    if notify:
        _email_result(applicant, attempt)
    events.assessment_scored.send(current_app._get_current_object(), applicant_id=applicant.id)
    db.session.commit()
    return True


def _email_result(applicant: Applicant, attempt: Attempt) -> None:
    retake = eligibility_after(applicant, attempt)
    body = render_template(
        "assessment/email_result.txt", applicant=applicant, attempt=attempt, retake=retake
    )
    subject = (
        "You passed the ranking assessment" if attempt.passed else "Your ranking assessment result"
    )
    send_email(
        applicant.user.email,
        subject,
        body,
        template="assessment_result",
        applicant_id=applicant.id,
    )


def eligibility_after(applicant: Applicant, attempt: Attempt) -> datetime | None:
    """When a failed applicant may retake (None: they passed or have no attempt left)."""
    if attempt.passed:
        return None
    cfg = settings()
    ends = [a.ended_at or a.deadline for a in attempts_of(applicant)]
    if len(ends) >= cfg.max_attempts:
        return None
    return max(ends) + cfg.cooldown


def expire_overdue(now: datetime | None = None) -> int:
    """Close and score every in-progress attempt past its deadline; returns how many."""
    now = now or clock.now()
    ids = list(
        db.session.scalars(
            select(Attempt.id).where(Attempt.status == "in_progress", Attempt.deadline <= now)
        )
    )
    return sum(finalize(attempt_id, now=now) for attempt_id in ids)


def close_overdue_for(applicant_id: int, now: datetime | None = None) -> None:
    """The per-request check: close this applicant's overdue attempt, if any."""
    now = now or clock.now()
    overdue = db.session.scalar(
        select(Attempt.id).where(
            Attempt.applicant_id == applicant_id,
            Attempt.status == "in_progress",
            Attempt.deadline <= now,
        )
    )
    if overdue is not None:
        finalize(overdue, now=now)
