"""Taking an attempt: start rules, the server deadline, resume, shuffling, no gold sent."""

import json
import re

from sqlalchemy import func, select

from portal.assessment import attempts
from portal.extensions import db
from portal.models import Attempt, AttemptItem, AuditEvent, OutboxEmail
from tests import factories
from tests.assessments.flow.conftest import shown_answer, the_attempt
from tests.conftest import START


def start(client):
    response = client.post("/assessment/start")
    assert response.status_code == 302, response.get_data(as_text=True)
    return response


def autosave(client, position, answer):
    return client.post(f"/assessment/attempt/{position}/answer", json={"answer": answer})


def test_rules_page_states_the_limits_and_offers_a_start(client, applicant, now):
    page = client.get("/assessment/").get_data(as_text=True)
    assert "12 items" in page and "45 minutes" in page
    assert "the clock keeps running" in page
    assert "Start the assessment" in page


def test_unverified_or_incomplete_applicants_cannot_start(client, auth, bank, now):
    auth.as_role("applicant", verified=False, applicant={"stage": "profile_complete"})
    page = client.get("/assessment/").get_data(as_text=True)
    assert "Confirm your email address first" in page and "Start the assessment" not in page
    client.post("/assessment/start")
    assert db.session.scalar(select(func.count()).select_from(Attempt)) == 0
    auth.logout()
    auth.as_role("applicant", applicant={"stage": "applied"})
    assert "Complete your experience profile first" in client.get("/assessment/").get_data(
        as_text=True
    )


def test_answer_after_the_deadline_is_refused_and_the_attempt_scored_at_the_deadline(
    client, applicant, now
):
    start(client)
    attempt = the_attempt(applicant)
    assert attempt.deadline == START + attempts.settings().time_limit
    first = attempt.items[0]
    now.advance(minutes=10)
    assert autosave(client, 0, shown_answer(first)).status_code == 200
    now.advance(minutes=35, seconds=1)  # 45 min + 1 s after the start
    late = autosave(client, 1, shown_answer(attempt.items[1]))
    assert late.status_code == 409
    assert "time is up" in late.get_json()["error"].lower()
    attempt = the_attempt(applicant)
    assert attempt.status == "expired"
    assert attempt.ended_at == attempt.deadline
    assert attempt.score is not None and attempt.passed is False
    assert attempt.items[1].answer is None  # the late answer was not stored
    # Replaying it, or submitting, changes nothing.
    assert autosave(client, 1, shown_answer(attempt.items[1])).status_code == 409
    client.post("/assessment/attempt/submit")
    assert the_attempt(applicant).status == "expired"


def test_countdown_is_the_server_time_left(client, applicant, now):
    start(client)
    now.advance(minutes=5, seconds=30)
    page = client.get("/assessment/attempt/0").get_data(as_text=True)
    assert 'data-seconds-left="2370"' in page  # 39 min 30 s
    assert "39:30 left" in page


def test_resume_after_reload_keeps_items_order_answers_and_real_time_left(client, applicant, now):
    start(client)
    attempt = the_attempt(applicant)
    order = [(ai.position, ai.item_id, list(ai.permutation)) for ai in attempt.items]
    first_page = client.get("/assessment/attempt/0").get_data(as_text=True)
    answer0 = shown_answer(attempt.items[0])
    answer1 = {**shown_answer(attempt.items[1]), "rationale": "Because B cites a source."}
    assert autosave(client, 0, answer0).get_json()["saved"] is True
    assert autosave(client, 1, answer1).status_code == 200
    now.advance(minutes=20)

    # A reload, or a second tab: /assessment/attempt goes to the first unanswered item.
    resumed = client.get("/assessment/attempt")
    assert resumed.headers["Location"].endswith("/assessment/attempt/2")
    again = client.get("/assessment/attempt/0").get_data(as_text=True)
    prompt = re.search(r'data-testid="prompt">(.*?)</div>', first_page, re.S).group(1)
    assert prompt in again
    assert 'data-seconds-left="1500"' in again
    page1 = client.get("/assessment/attempt/1").get_data(as_text=True)
    assert "Because B cites a source." in page1
    if "choice" in answer1:
        assert re.search(rf'value="{answer1["choice"]}"\s+checked', page1)
    attempt = the_attempt(applicant)
    assert [(ai.position, ai.item_id, list(ai.permutation)) for ai in attempt.items] == order
    assert attempt.items[1].answer == answer1
    # Starting again while in progress resumes the same attempt.
    start(client)
    assert db.session.scalar(select(func.count()).select_from(Attempt)) == 1


def test_order_and_response_positions_are_shuffled_per_attempt(app, now, bank):
    users = [
        factories.make_user("applicant", applicant={"stage": "profile_complete"}) for _ in "ab"
    ]
    db.session.commit()
    started = [attempts.start_attempt(u) for u in users]
    orders = [[ai.item_id for ai in a.items] for a in started]
    assert orders[0] != orders[1]
    perms = [list(ai.permutation) for a in started for ai in a.items]
    assert any(p != sorted(p) for p in perms) and any(p == sorted(p) for p in perms)
    # The page shows the responses in the attempt's order.
    ai = next(ai for ai in started[0].items if list(ai.permutation) != sorted(ai.permutation))
    view = attempts.position_view(started[0], ai.position)
    assert [r["text"] for r in view["responses"]] == [ai.item.responses[c] for c in ai.permutation]


def test_gold_is_never_sent_to_the_applicant(client, applicant, now):
    start(client)
    attempt = the_attempt(applicant)
    bodies = [client.get("/assessment/").get_data(as_text=True)]
    for ai in attempt.items:
        bodies.append(client.get(f"/assessment/attempt/{ai.position}").get_data(as_text=True))
        saved = autosave(client, ai.position, shown_answer(ai))
        bodies.append(json.dumps(saved.get_json()))
    bodies.append(client.get("/assessment/attempt/submit").get_data(as_text=True))
    client.post("/assessment/attempt/submit")
    bodies.append(client.get("/assessment/result").get_data(as_text=True))
    for body in bodies:
        lowered = body.lower()
        # Field names only: item texts may legitimately say "marigold" or "credit card".
        for secret in ("gold_strength", "permutation", "known_broken", "attention_check"):
            assert secret not in lowered, secret
        for key in ("gold", "credit", "tier"):
            assert not re.search(rf"[\"'\[-]{key}[\"'\]]?\s*[:=]", lowered), key
    assert "You passed" in bodies[-1]


def test_plain_form_post_saves_and_navigates_without_javascript(client, applicant, now):
    start(client)
    attempt = the_attempt(applicant)
    pairwise = next(ai for ai in attempt.items if ai.item.kind == "pairwise")
    response = client.post(
        f"/assessment/attempt/{pairwise.position}",
        data={"choice": "-2", "rationale": "A is right.", "go": "next"},
    )
    assert response.headers["Location"].endswith(f"/assessment/attempt/{pairwise.position + 1}")
    saved = db.session.get(AttemptItem, pairwise.id)
    db.session.refresh(saved)
    assert saved.answer == {"choice": -2, "rationale": "A is right."}
    flagged = client.post(
        f"/assessment/attempt/{pairwise.position}", data={"flag": "1", "flag_reason": ""}
    )
    assert flagged.status_code == 422 and "Say why you flag this item." in flagged.get_data(
        as_text=True
    )


def test_events_are_recorded_with_server_time(client, applicant, now):
    start(client)
    assert (
        client.post("/assessment/attempt/events", json={"kind": "paste", "position": 0}).status_code
        == 200
    )
    for _ in range(5):
        client.post("/assessment/attempt/events", json={"kind": "focus_loss"})
    attempt = the_attempt(applicant)
    assert attempt.items[0].paste_count == 1 and attempt.focus_losses == 5
    assert client.post("/assessment/attempt/events", json={"kind": "clock"}).status_code == 400


def test_submit_scores_moves_the_stage_audits_and_emails(client, applicant, now):
    start(client)
    attempt = the_attempt(applicant)
    for ai in attempt.items:
        now.advance(seconds=60)
        client.get(f"/assessment/attempt/{ai.position}")
        now.advance(seconds=60)
        assert autosave(client, ai.position, shown_answer(ai)).status_code == 200
    assert (
        client.post("/assessment/attempt/submit").headers["Location"].endswith("/assessment/result")
    )
    attempt = the_attempt(applicant)
    assert attempt.status == "submitted" and attempt.passed is True
    assert attempt.ended_at == now.at and attempt.guideline_version == 2
    db.session.refresh(applicant.applicant)
    assert applicant.applicant.stage == "assessed_passed"
    moved = db.session.scalar(
        select(AuditEvent).where(
            AuditEvent.action == "stage.moved", AuditEvent.applicant_id == applicant.applicant.id
        )
    )
    assert moved.details == {"from_stage": "profile_complete", "to_stage": "assessed_passed"}
    mail = db.session.scalar(select(OutboxEmail).where(OutboxEmail.template == "assessment_result"))
    assert mail.to == applicant.email and "passed" in mail.subject
    assert "You passed" in client.get("/assessment/result").get_data(as_text=True)


def test_failing_moves_to_assessed_failed_and_says_when_to_retake(client, applicant, now):
    start(client)
    attempt = the_attempt(applicant)
    for ai in attempt.items:
        autosave(client, ai.position, shown_answer(ai, correct=False))
    client.post("/assessment/attempt/submit")
    db.session.refresh(applicant.applicant)
    assert applicant.applicant.stage == "assessed_failed"
    page = client.get("/assessment/result").get_data(as_text=True)
    assert "Not passed this time" in page and "You can take it again from" in page
    assert "09 Nov 2026" in page  # ended 2 Nov + 7 days' cooldown


def test_a_second_tab_cannot_change_a_submitted_attempt(client, applicant, now):
    start(client)
    attempt = the_attempt(applicant)
    client.post("/assessment/attempt/submit")
    late = autosave(client, 0, shown_answer(attempt.items[0]))
    assert late.status_code == 409
    assert "already been submitted" in late.get_json()["error"]
    assert the_attempt(applicant).items[0].answer is None
