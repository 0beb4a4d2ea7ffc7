"""The timed attempt as a state machine; every function takes the server's clock as ``now``.

States: ``in_progress`` → ``submitted`` | ``expired``. The deadline is fixed at start
(``started_at + limit``); nothing here accepts a clock value from the client. Functions mutate the
:class:`AttemptState` they are given and return it; a DB layer persists its fields.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from assessments.draw import DrawnItem
from assessments.items import get_kind

IN_PROGRESS, SUBMITTED, EXPIRED = "in_progress", "submitted", "expired"
DEFAULT_LIMIT = timedelta(minutes=60)


class AttemptClosed(Exception):
    """The attempt is no longer in progress (submitted or expired)."""


class DeadlinePassed(AttemptClosed):
    """The answer arrived after the deadline; the attempt is now expired."""


def _utc(now: datetime) -> datetime:
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware (UTC)")
    return now.astimezone(UTC)


@dataclass
class RecordedAnswer:
    """The latest answer at one position (presented order, as the browser sent it)."""

    answer: dict[str, Any]
    first_answered_at: datetime
    answered_at: datetime
    revisions: int = 1


@dataclass
class AttemptState:
    """Everything a DB layer must persist about one sitting, apart from the drawn items."""

    started_at: datetime
    deadline: datetime
    n_items: int
    status: str = IN_PROGRESS
    ended_at: datetime | None = None
    answers: dict[int, RecordedAnswer] = field(default_factory=dict)
    shown_at: dict[int, datetime] = field(default_factory=dict)
    paste_events: dict[int, int] = field(default_factory=dict)
    focus_losses: int = 0


def start_attempt(n_items: int, now: datetime, limit: timedelta = DEFAULT_LIMIT) -> AttemptState:
    """Open an attempt; the deadline is fixed here and never moves."""
    now = _utc(now)
    if limit <= timedelta(0):
        raise ValueError("limit must be positive")
    return AttemptState(started_at=now, deadline=now + limit, n_items=n_items)


def time_left(state: AttemptState, now: datetime) -> timedelta:
    """Remaining time (zero once the deadline has passed or the attempt has ended)."""
    if state.status != IN_PROGRESS:
        return timedelta(0)
    return max(timedelta(0), state.deadline - _utc(now))


def expire_if_due(state: AttemptState, now: datetime) -> bool:
    """Flip an in-progress attempt to expired at or after its deadline; True if it is expired."""
    if state.status == IN_PROGRESS and _utc(now) >= state.deadline:
        state.status = EXPIRED
        state.ended_at = state.deadline
    return state.status == EXPIRED


def _require_open(state: AttemptState, now: datetime) -> None:
    if state.status != IN_PROGRESS:
        raise AttemptClosed(f"attempt is {state.status}")
    if expire_if_due(state, now):
        raise DeadlinePassed(f"deadline {state.deadline.isoformat()} has passed")


def mark_shown(state: AttemptState, position: int, now: datetime) -> AttemptState:
    """Record when the server first served ``position`` (for reading-time signals)."""
    _require_open(state, now)
    _check_position(state, position)
    state.shown_at.setdefault(position, _utc(now))
    return state


def _check_position(state: AttemptState, position: int) -> None:
    if not 0 <= position < state.n_items:
        raise IndexError(f"position {position} is outside 0..{state.n_items - 1}")


def record_answer(
    state: AttemptState,
    position: int,
    answer: Mapping[str, Any],
    now: datetime,
    drawn: DrawnItem | None = None,
) -> AttemptState:
    """Autosave an answer (presented order). Refused once closed; after the deadline the attempt
    flips to expired and :class:`DeadlinePassed` is raised. Pass ``drawn`` to validate the answer.
    """
    _require_open(state, now)
    _check_position(state, position)
    if drawn is not None:
        get_kind(drawn.item.kind).validate_answer(drawn.item, answer)
    now = _utc(now)
    previous = state.answers.get(position)
    if previous is None:
        state.answers[position] = RecordedAnswer(dict(answer), now, now)
    else:
        previous.answer, previous.answered_at = dict(answer), now
        previous.revisions += 1
    return state


def record_event(
    state: AttemptState, kind: str, now: datetime, position: int | None = None
) -> AttemptState:
    """Count a client-reported event ("paste" at a position, or "focus_loss"); time is ours."""
    _require_open(state, now)
    if kind == "paste" and position is not None:
        _check_position(state, position)
        state.paste_events[position] = state.paste_events.get(position, 0) + 1
    elif kind == "focus_loss":
        state.focus_losses += 1
    else:
        raise ValueError(f"unknown event {kind!r}")
    return state


def submit(state: AttemptState, now: datetime) -> AttemptState:
    """Finish the attempt. After the deadline it expires instead (raises DeadlinePassed)."""
    _require_open(state, now)
    state.status = SUBMITTED
    state.ended_at = _utc(now)
    return state


# Integrity signals: recorded for a human reviewer, never acted on alone.

READING_WPM = 275


@dataclass(frozen=True)
class Signal:
    """One integrity observation."""

    kind: str
    position: int | None
    detail: str


def reading_seconds(drawn: DrawnItem, wpm: int = READING_WPM) -> float:
    """Seconds a fast reader needs to read the prompt and every response."""
    words = len(drawn.item.prompt.split()) + sum(len(r.split()) for r in drawn.item.responses)
    return words / wpm * 60.0


def _normalise(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()


def integrity_signals(
    state: AttemptState,
    drawn: Sequence[DrawnItem],
    *,
    too_fast_share: float = 0.5,
    wpm: int = READING_WPM,
    focus_loss_threshold: int = 5,
) -> list[Signal]:
    """Signals: answers faster than ``too_fast_share`` of reading time, identical rationales,
    pasted text, repeated focus loss. Elapsed time per item is from when the server showed it
    (or, failing that, the previous answer or the start) to its first autosave."""
    signals: list[Signal] = []
    by_position = {d.position: d for d in drawn}
    previous = state.started_at
    for position in sorted(state.answers, key=lambda p: state.answers[p].first_answered_at):
        recorded = state.answers[position]
        start = state.shown_at.get(position, previous)
        elapsed = (recorded.first_answered_at - start).total_seconds()
        previous = recorded.first_answered_at
        item = by_position.get(position)
        if item is None:
            continue
        needed = reading_seconds(item, wpm)
        if elapsed < too_fast_share * needed:
            signals.append(
                Signal("too_fast", position, f"{elapsed:.0f}s for ~{needed:.0f}s of reading")
            )
    rationales: dict[str, list[int]] = {}
    for position, recorded in state.answers.items():
        text = recorded.answer.get("rationale") or ""
        if len(text.split()) >= 3:
            rationales.setdefault(_normalise(text), []).append(position)
    for positions in rationales.values():
        if len(positions) > 1:
            signals.append(Signal("identical_rationale", None, f"positions {sorted(positions)}"))
    for position, count in sorted(state.paste_events.items()):
        signals.append(Signal("paste", position, f"{count} paste event(s)"))
    if state.focus_losses >= focus_loss_threshold:
        signals.append(Signal("focus_loss", None, f"left the page {state.focus_losses} times"))
    return signals


def can_retake(
    previous_attempt_end_times: Sequence[datetime],
    now: datetime,
    max_attempts: int = 2,
    cooldown: timedelta = timedelta(days=30),
) -> tuple[bool, datetime | None]:
    """May another attempt start now? (allowed, when it becomes allowed; None if never)."""
    now = _utc(now)
    if len(previous_attempt_end_times) >= max_attempts:
        return False, None
    if not previous_attempt_end_times:
        return True, now
    available = max(_utc(t) for t in previous_attempt_end_times) + cooldown
    return (True, now) if now >= available else (False, available)
