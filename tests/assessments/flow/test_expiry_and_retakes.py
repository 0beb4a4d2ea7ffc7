"""The server closes abandoned attempts; retakes are limited and cooled down."""

from datetime import timedelta

from sqlalchemy import func, select

from portal.assessment import attempts
from portal.assessment.tasks import expire_attempt, expire_overdue
from portal.celery_app import BEAT_SCHEDULE
from portal.extensions import db
from portal.models import AuditEvent, OutboxEmail
from tests.assessments.flow.conftest import shown_answer, the_attempt


def test_beat_task_scores_an_abandoned_attempt_once(client, applicant, now):
    assert BEAT_SCHEDULE["expire-overdue-attempts"]["task"] == "assessment.expire_overdue"
    assert BEAT_SCHEDULE["expire-overdue-attempts"]["schedule"] == timedelta(minutes=1)
    client.post("/assessment/start")
    attempt = the_attempt(applicant)
    for ai in attempt.items[:4]:
        client.post(f"/assessment/attempt/{ai.position}/answer", json={"answer": shown_answer(ai)})
    # The browser is gone. Before the deadline the tasks leave the attempt alone...
    now.advance(minutes=44)
    assert expire_overdue.delay().get() == 0
    assert expire_attempt.delay(attempt.id).get() is False
    assert the_attempt(applicant).status == "in_progress"
    # ...after it, the beat closes and scores it at the deadline, exactly once.
    now.advance(minutes=2)
    assert expire_overdue.delay().get() == 1
    assert expire_overdue.delay().get() == 0
    assert expire_attempt.delay(attempt.id).get() is False
    attempt = the_attempt(applicant)
    assert attempt.status == "expired" and attempt.ended_at == attempt.deadline
    assert attempt.score is not None and attempt.passed is False
    assert attempt.result["items"][0]["answered"] is True
    assert db.session.scalar(select(func.count()).select_from(OutboxEmail)) == 1
    scored = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "assessment.scored"))
    assert len(scored.all()) == 1
    db.session.refresh(applicant.applicant)
    assert applicant.applicant.stage == "assessed_failed"


def test_any_request_after_the_deadline_closes_the_attempt(client, applicant, now):
    client.post("/assessment/start")
    now.advance(minutes=46)
    assert client.get("/me/").status_code == 200  # not even an assessment page
    assert the_attempt(applicant).status == "expired"
    page = client.get("/assessment/attempt/0")
    assert page.headers["Location"].endswith("/assessment/result")


def test_opening_an_item_after_the_deadline_sends_to_the_result(client, applicant, now):
    client.post("/assessment/start")
    attempt = the_attempt(applicant)
    now.advance(minutes=45)
    # Straight to the service (as if the request check had not run yet).
    try:
        attempts.show_position(attempt, 0)
    except attempts.DeadlinePassed:
        pass
    else:
        raise AssertionError("showing an item after the deadline must fail")
    assert the_attempt(applicant).status == "expired"


def fail_attempt(client, applicant):
    client.post("/assessment/start")
    attempt = the_attempt(applicant)
    for ai in attempt.items:
        client.post(
            f"/assessment/attempt/{ai.position}/answer",
            json={"answer": shown_answer(ai, correct=False)},
        )
    client.post("/assessment/attempt/submit")
    return the_attempt(applicant)


def test_retake_waits_for_the_cooldown_and_stops_at_the_limit(client, applicant, now):
    first = fail_attempt(client, applicant)
    assert first.passed is False
    now.advance(days=6)
    page = client.get("/assessment/").get_data(as_text=True)
    assert "You can take the assessment again later" in page
    assert "Start the assessment" not in page
    client.post("/assessment/start")
    assert the_attempt(applicant).id == first.id
    now.advance(days=1, seconds=1)
    assert "Start the assessment" in client.get("/assessment/").get_data(as_text=True)
    second = fail_attempt(client, applicant)
    assert second.id != first.id and second.passed is False
    now.advance(days=30)
    page = client.get("/assessment/").get_data(as_text=True)
    assert "You have used every attempt allowed" in page
    assert "used every attempt" in client.get("/assessment/result").get_data(as_text=True)


def test_a_passed_retake_moves_failed_to_passed(client, applicant, now):
    fail_attempt(client, applicant)
    now.advance(days=8)
    client.post("/assessment/start")
    attempt = the_attempt(applicant)
    for ai in attempt.items:
        client.post(f"/assessment/attempt/{ai.position}/answer", json={"answer": shown_answer(ai)})
    client.post("/assessment/attempt/submit")
    db.session.refresh(applicant.applicant)
    assert applicant.applicant.stage == "assessed_passed"
    moves = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "stage.moved").order_by(AuditEvent.id)
    ).all()
    assert [m.details["to_stage"] for m in moves] == ["assessed_failed", "assessed_passed"]


def test_start_schedules_the_expiry_task_at_the_deadline_with_a_broker(
    client, applicant, now, app, monkeypatch
):
    sent = []
    celery = app.extensions["celery"]
    monkeypatch.setattr(celery, "send_task", lambda name, **kw: sent.append((name, kw)))
    conf = celery.conf
    conf.task_always_eager = False
    try:
        client.post("/assessment/start")
    finally:
        conf.task_always_eager = True
    attempt = the_attempt(applicant)
    assert sent == [(expire_attempt.name, {"args": [attempt.id], "eta": attempt.deadline})]


def test_a_retake_never_redraws_an_item_the_applicant_saw(client, applicant, now):
    first = fail_attempt(client, applicant)
    seen = {ai.item.content_hash for ai in first.items}
    assert attempts.seen_by(applicant.applicant) == seen
    now.advance(days=8)
    client.post("/assessment/start")
    second = the_attempt(applicant)
    assert second.id != first.id
    assert not seen & {ai.item.content_hash for ai in second.items}
    exposure = attempts.recent_exposure(100)
    assert max(exposure.values()) <= 2 and set(exposure) == seen | {
        ai.item.content_hash for ai in second.items
    }
