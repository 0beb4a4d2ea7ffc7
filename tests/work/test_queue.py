"""The work queue: exactly-once claims, overlap, skip, submit, expiry, refusals."""

import random
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Judgement, RaterPause, TaskClaim
from portal.work import queue
from tests.work.helpers import batch_of, live_project, rater


def _claim(assignment, **kw):
    return queue.claim_next(assignment.applicant_id, assignment.project_id, **kw)


def _answer(claim, canonical_choice=-2, rationale="A is correct."):
    """The form answer (shown order) that means ``canonical_choice`` in canonical order."""
    shown = canonical_choice if claim.permutation == [0, 1] else -canonical_choice
    return {"choice": shown, "rationale": rationale}


def test_no_task_goes_to_more_raters_than_its_overlap(app, now, tmp_path):
    project = live_project()
    batch_of(project, tmp_path, 1, overlap=3)
    raters = [rater(project) for _ in range(4)]
    db.session.commit()
    claims = [_claim(a) for a in raters]
    assert [c is not None for c in claims] == [True, True, True, False]
    assert claims[0].task.slots_taken == 3


def test_a_rater_never_gets_the_same_task_twice(app, now, tmp_path):
    project = live_project()
    batch_of(project, tmp_path, 3, overlap=3)
    a = rater(project)
    db.session.commit()
    seen = []
    while (claim := _claim(a)) is not None:
        seen.append(claim.task_id)
        queue.submit(claim.id, a.applicant_id, _answer(claim))
    assert sorted(seen) == sorted(set(seen)) and len(seen) == 3


def test_an_open_claim_is_shown_again_not_a_second_task(app, now, tmp_path):
    project = live_project()
    batch_of(project, tmp_path, 3)
    a = rater(project)
    db.session.commit()
    first, second = _claim(a), _claim(a)
    assert first.id == second.id
    assert db.session.scalar(select(func.count(TaskClaim.id))) == 1


def test_skip_frees_the_slot_and_the_rater_never_sees_the_task_again(app, now, tmp_path):
    project = live_project()
    batch_of(project, tmp_path, 1, overlap=1)
    a, b = rater(project), rater(project)
    db.session.commit()
    claim = _claim(a)
    assert _claim(b) is None
    with pytest.raises(queue.AnswerError):
        queue.skip(claim.id, a.applicant_id, "  ")
    queue.skip(claim.id, a.applicant_id, "I can't read code")
    assert _claim(a) is None
    other = _claim(b)
    assert other is not None and other.task_id == claim.task_id
    db.session.refresh(claim)
    assert claim.status == "skipped" and claim.skip_reason == "I can't read code"


def test_submit_stores_the_canonical_answer_time_and_guideline_version(app, now, tmp_path):
    project = live_project()
    batch_of(project, tmp_path, 1, guideline_version=4)
    a = rater(project)
    db.session.commit()
    claim = _claim(a, rng=random.Random(3))
    now.advance(seconds=95)
    # "The first response shown is slightly better": canonical A only when not swapped.
    judgement = queue.submit(claim.id, a.applicant_id, {"choice": -1, "rationale": "clearer"})
    assert judgement.answer == {"choice": -1 if claim.permutation == [0, 1] else 1}
    assert judgement.seconds == 95 and judgement.guideline_version == 4
    assert judgement.rationale == "clearer"
    with pytest.raises(queue.WorkRefused):
        queue.submit(claim.id, a.applicant_id, _answer(claim))


def test_swapped_presentation_is_mapped_back(app, now, tmp_path):
    project = live_project()
    batch_of(project, tmp_path, 1)
    a = rater(project)
    db.session.commit()
    claim = _claim(a)
    claim.permutation = [1, 0]  # response B of the data shown first
    db.session.commit()
    judgement = queue.submit(claim.id, a.applicant_id, {"choice": -3, "rationale": "x"})
    assert judgement.answer == {"choice": 3}


def test_missing_rationale_saves_nothing_unless_flagged(app, now, tmp_path):
    project = live_project()
    batch_of(project, tmp_path, 2, rationale_required=True)
    a = rater(project)
    db.session.commit()
    claim = _claim(a)
    with pytest.raises(queue.AnswerError, match="rationale"):
        queue.submit(claim.id, a.applicant_id, {"choice": 1})
    assert db.session.scalar(select(func.count(Judgement.id))) == 0
    assert db.session.get(TaskClaim, claim.id).status == "open"
    judgement = queue.submit(claim.id, a.applicant_id, {"flag": {"reason": "response B empty"}})
    assert judgement.flag_reason == "response B empty" and judgement.answer == {"choice": None}


def test_an_expired_claim_gives_its_slot_to_someone_else(app, now, tmp_path):
    project = live_project()
    batch_of(project, tmp_path, 1, overlap=1)
    a, b = rater(project), rater(project)
    db.session.commit()
    held = _claim(a)
    assert _claim(b) is None
    now.advance(minutes=queue.CLAIM_MINUTES + 1)
    taken = _claim(b)
    assert taken is not None and taken.task_id == held.task_id
    db.session.refresh(held)
    assert held.status == "expired"
    with pytest.raises(queue.WorkRefused):
        queue.submit(held.id, a.applicant_id, _answer(held))
    assert taken.task.slots_taken == 1


@pytest.mark.parametrize("status", ["offered", "accepted", "ended", "declined"])
def test_work_outside_an_active_assignment_is_refused(app, now, tmp_path, status):
    project = live_project()
    batch_of(project, tmp_path, 1)
    a = rater(project, status=status)
    db.session.commit()
    with pytest.raises(queue.WorkRefused):
        _claim(a)
    assert db.session.scalar(select(func.count(TaskClaim.id))) == 0


def test_work_before_the_start_date_or_while_paused_is_refused(app, now, tmp_path):
    project = live_project()
    batch_of(project, tmp_path, 2)
    a = rater(project)
    a.starts_on = now().date() + timedelta(days=1)
    db.session.commit()
    with pytest.raises(queue.WorkRefused, match="before this contract starts"):
        _claim(a)
    a.starts_on = now().date()
    db.session.add(RaterPause(project_id=project.id, applicant_id=a.applicant_id))
    db.session.commit()
    with pytest.raises(queue.WorkRefused, match="paused"):
        _claim(a)


def test_a_held_task_cannot_be_submitted_after_the_assignment_ends(app, now, tmp_path):
    project = live_project()
    batch_of(project, tmp_path, 1)
    a = rater(project)
    db.session.commit()
    claim = _claim(a)
    a.status = "ended"
    db.session.commit()
    with pytest.raises(queue.WorkRefused):
        queue.submit(claim.id, a.applicant_id, _answer(claim))
    assert db.session.scalar(select(func.count(Judgement.id))) == 0


def test_someone_elses_claim_is_refused(app, now, tmp_path):
    project = live_project()
    batch_of(project, tmp_path, 1)
    a, b = rater(project), rater(project)
    db.session.commit()
    claim = _claim(a)
    with pytest.raises(queue.WorkRefused):
        queue.submit(claim.id, b.applicant_id, _answer(claim))
    with pytest.raises(queue.WorkRefused):
        queue.skip(claim.id, b.applicant_id, "nope")
