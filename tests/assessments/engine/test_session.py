from datetime import UTC, datetime, timedelta

import pytest

from assessments.draw import DrawnItem
from assessments.items import Item, ItemValidationError
from assessments.session import (
    EXPIRED,
    SUBMITTED,
    AttemptClosed,
    DeadlinePassed,
    can_retake,
    expire_if_due,
    integrity_signals,
    mark_shown,
    record_answer,
    record_event,
    start_attempt,
    submit,
    time_left,
)

T0 = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
LIMIT = timedelta(minutes=45)


def drawn(position: int, words: int = 200) -> DrawnItem:
    item = Item(
        kind="pairwise",
        prompt="word " * words,
        responses=("a", "b"),
        gold=1,
        rationale_required=True,
    )
    return DrawnItem(position, item, (0, 1))


def test_deadline_fixed_at_start_and_time_left():
    state = start_attempt(3, T0, LIMIT)
    assert state.deadline == T0 + LIMIT
    assert time_left(state, T0 + timedelta(minutes=5)) == timedelta(minutes=40)
    assert time_left(state, T0 + timedelta(hours=2)) == timedelta(0)


def test_naive_clock_is_refused():
    with pytest.raises(ValueError):
        start_attempt(3, datetime(2025, 1, 1), LIMIT)


def test_answers_autosave_and_revise():
    state = start_attempt(3, T0, LIMIT)
    record_answer(state, 0, {"choice": 1}, T0 + timedelta(minutes=1))
    record_answer(state, 0, {"choice": 2}, T0 + timedelta(minutes=2))
    saved = state.answers[0]
    assert saved.answer == {"choice": 2} and saved.revisions == 2
    assert saved.first_answered_at == T0 + timedelta(minutes=1)
    with pytest.raises(IndexError):
        record_answer(state, 3, {"choice": 1}, T0)
    with pytest.raises(ItemValidationError):
        record_answer(state, 1, {"choice": 7}, T0, drawn(1))


def test_late_answer_is_refused_and_expires():
    state = start_attempt(3, T0, LIMIT)
    record_answer(state, 0, {"choice": 1}, T0 + LIMIT - timedelta(seconds=1))
    with pytest.raises(DeadlinePassed):
        record_answer(state, 1, {"choice": 1}, T0 + LIMIT)
    assert state.status == EXPIRED and state.ended_at == T0 + LIMIT
    assert 1 not in state.answers
    with pytest.raises(AttemptClosed):
        submit(state, T0 + LIMIT + timedelta(seconds=5))


def test_expire_if_due_and_submit():
    state = start_attempt(3, T0, LIMIT)
    assert not expire_if_due(state, T0 + timedelta(minutes=10))
    submit(state, T0 + timedelta(minutes=10))
    assert state.status == SUBMITTED and state.ended_at == T0 + timedelta(minutes=10)
    assert not expire_if_due(state, T0 + timedelta(hours=5))  # submitted stays submitted
    with pytest.raises(AttemptClosed):
        record_answer(state, 0, {"choice": 1}, T0 + timedelta(minutes=11))
    late = start_attempt(3, T0, LIMIT)
    assert expire_if_due(late, T0 + LIMIT)


def test_integrity_signals():
    state = start_attempt(3, T0, LIMIT)
    items = [drawn(0), drawn(1), drawn(2, words=5)]
    mark_shown(state, 0, T0)
    record_answer(
        state,
        0,
        {"choice": 1, "rationale": "same reason for every item here"},
        T0 + timedelta(seconds=3),
    )  # 200 words in 3 s
    mark_shown(state, 1, T0 + timedelta(seconds=5))
    record_answer(
        state,
        1,
        {"choice": 1, "rationale": "Same reason for every item, here!"},
        T0 + timedelta(minutes=2),
    )
    record_answer(state, 2, {"choice": 1}, T0 + timedelta(minutes=3))
    record_event(state, "paste", T0 + timedelta(minutes=1), position=1)
    for _ in range(5):
        record_event(state, "focus_loss", T0 + timedelta(minutes=1))
    kinds = [(s.kind, s.position) for s in integrity_signals(state, items)]
    assert ("too_fast", 0) in kinds and ("too_fast", 1) not in kinds
    assert ("too_fast", 2) not in kinds
    assert ("identical_rationale", None) in kinds
    assert ("paste", 1) in kinds and ("focus_loss", None) in kinds


def test_retake_policy():
    now = T0
    assert can_retake([], now, 2, timedelta(days=30)) == (True, now)
    ok, when = can_retake([now - timedelta(days=10)], now, 2, timedelta(days=30))
    assert not ok and when == now + timedelta(days=20)
    assert can_retake([now - timedelta(days=31)], now, 2, timedelta(days=30)) == (True, now)
    assert can_retake([now - timedelta(days=90)] * 2, now, 2, timedelta(days=30)) == (False, None)
