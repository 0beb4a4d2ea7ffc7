"""The JSON autosave, made cheap: it runs every second or so for every applicant in a sitting.

Per save: the applicant's attempt in progress, locked (one SELECT ... FOR UPDATE joined to the
applicant, so neither the profile nor the other items are loaded), the answered item with its
bank item (one SELECT), and one UPDATE of that item's row. The engine's state machine checks
the deadline and records the answer exactly as ``attempts.save_answer`` does; it only needs
the answered position's previous answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from assessments import session as engine
from assessments.draw import DrawnItem
from portal import clock
from portal.assessment.attempts import AttemptClosed, clean_answer, finalize, is_answered
from portal.assessment.bank import to_engine
from portal.extensions import db
from portal.models import Applicant, Attempt, AttemptItem


@dataclass(frozen=True)
class Autosaved:
    """What the page is told after a save."""

    answered: bool
    flagged: bool
    seconds_left: int


def autosave(user_id: int, position: int, raw: Any, now: datetime | None = None) -> Autosaved:
    """Save one answer of the user's attempt in progress. Commits.

    Raises AttemptClosed when no attempt is in progress (after closing and scoring one whose
    deadline has passed), IndexError for a position the attempt lacks, ItemValidationError for
    a malformed answer (nothing is written then).
    """
    now = now or clock.now()
    try:
        attempt = db.session.scalar(
            select(Attempt)
            .join(Applicant, Applicant.id == Attempt.applicant_id)
            .where(Applicant.user_id == user_id, Attempt.status == "in_progress")
            .with_for_update(of=Attempt)
            .execution_options(populate_existing=True)
        )
        if attempt is None:
            raise AttemptClosed("There is no attempt in progress.")
        if not 0 <= position < attempt.n_items:
            raise IndexError(position)
        ai = db.session.scalar(
            select(AttemptItem)
            .where(AttemptItem.attempt_id == attempt.id, AttemptItem.position == position)
            .options(joinedload(AttemptItem.item))
        )
        if ai is None:
            raise IndexError(position)
        answer = clean_answer(raw)
        state = engine.AttemptState(
            started_at=attempt.started_at,
            deadline=attempt.deadline,
            n_items=attempt.n_items,
            status=attempt.status,
            ended_at=attempt.ended_at,
            focus_losses=attempt.focus_losses,
        )
        if ai.answer is not None and ai.first_answered_at and ai.answered_at:
            state.answers[position] = engine.RecordedAnswer(
                dict(ai.answer), ai.first_answered_at, ai.answered_at, ai.revisions
            )
        drawn = DrawnItem(ai.position, to_engine(ai.item), tuple(ai.permutation), ai.repeat_of)
        try:
            engine.record_answer(
                state, position, answer, now, drawn=drawn if is_answered(answer) else None
            )
        except engine.DeadlinePassed:
            finalize(attempt.id, now=now)
            raise
    except engine.DeadlinePassed:
        raise
    except Exception:
        db.session.rollback()  # release the row lock at once
        raise
    recorded = state.answers[position]
    ai.answer = recorded.answer
    ai.first_answered_at = recorded.first_answered_at
    ai.answered_at = recorded.answered_at
    ai.revisions = recorded.revisions
    saved = Autosaved(
        answered=is_answered(recorded.answer),
        flagged=bool(recorded.answer.get("flag")),
        seconds_left=int(engine.time_left(state, now).total_seconds()),
    )
    db.session.commit()
    return saved
