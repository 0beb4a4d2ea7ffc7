"""Risky and borderline people never move by rule; undo within the delay; dry runs write nothing."""

import pytest
from sqlalchemy import func, select

from portal.automation import engine, rules
from portal.automation.decide import borderline_tiers
from portal.extensions import db
from portal.models import (
    AuditEvent,
    AutomationRule,
    OutboxEmail,
    ReviewItem,
    RuleAction,
)
from tests import factories
from tests.automation.conftest import CLEAR, CLEAR_FAIL, NEAR_BAR, assessed, rule

SIGNALS = [{"kind": "too_fast", "position": 3, "detail": "4s for ~30s of reading"}]


def reasons_for(applicant) -> set[str]:
    return set(
        db.session.scalars(select(ReviewItem.reason).where(ReviewItem.applicant_id == applicant.id))
    )


def test_borderline_is_the_binomial_tolerance_of_the_bar():
    # bar 0.84 on 12 effective items: z·sqrt(p(1-p)/n) = 1.28 × 0.106 ≈ 0.136
    assert borderline_tiers({"t": {"bar": 0.84, "n_eff": 12, "direction": 0.71}})
    assert borderline_tiers({"t": {"bar": 0.84, "n_eff": 12, "direction": 0.97}})
    assert not borderline_tiers({"t": {"bar": 0.84, "n_eff": 12, "direction": 1.0}})
    assert not borderline_tiers({"t": {"bar": 0.84, "n_eff": 12, "direction": 0.69}})


@pytest.mark.parametrize("passed", [True, False])
def test_borderline_and_risky_and_flagged_never_move(posting, now, passed):
    score = 90 if passed else 40
    tiers = CLEAR if passed else CLEAR_FAIL
    borderline = assessed(passed=passed, score=score, per_tier=NEAR_BAR)
    risky = assessed(passed=passed, score=score, per_tier=tiers, signals=SIGNALS)
    flagged = assessed(passed=passed, score=score, per_tier=tiers)
    flagged_user = flagged.user
    from portal.recruiters.services import tag_applicants

    tag_applicants([flagged], "flagged", actor=factories.make_user("recruiter"))
    for _ in range(2):
        engine.run_posting(posting.id)
        now.advance(days=3)
    stage = "assessed_passed" if passed else "assessed_failed"
    assert (borderline.stage, risky.stage, flagged.stage) == (stage, stage, stage)
    assert reasons_for(borderline) == {"borderline"}
    assert reasons_for(risky) == {"integrity"}
    assert reasons_for(flagged) == {"resume_flag"}
    moved = db.session.scalar(select(func.count()).where(AuditEvent.action == "automation.applied"))
    assert moved == 0 and flagged_user is not None


def test_a_signal_found_before_a_delayed_rejection_is_due_stops_it(posting, now):
    applicant = assessed(passed=False, score=40, per_tier=CLEAR_FAIL)
    engine.run_posting(posting.id)
    factories.make_user  # noqa: B018 - the tag below is the new fact
    from portal.recruiters.services import tag_applicants

    tag_applicants([applicant], "resume-flagged", actor=factories.make_user("recruiter"))
    now.advance(hours=25)
    engine.run_posting(posting.id)
    assert applicant.stage == "assessed_failed" and reasons_for(applicant) == {"resume_flag"}


def test_the_queue_shows_only_what_needs_a_person_with_the_reason(posting, client, auth, now):
    risky = assessed(passed=True, score=90, per_tier=CLEAR, signals=SIGNALS, full_name="Risa Risky")
    assessed(passed=True, score=90, per_tier=CLEAR, full_name="Clara Clear")
    engine.run_posting(posting.id)
    auth.as_role("recruiter")
    page = client.get("/recruiter/queue/").get_data(as_text=True)
    assert "Risa Risky" in page and "Integrity signals on the assessment: too_fast" in page
    assert "Clara Clear" not in page
    assert risky.stage == "assessed_passed"


def test_queue_is_ordered_by_answer_by_date(posting, now):
    from portal.automation import queue

    late = assessed(passed=True, score=90, per_tier=NEAR_BAR)
    engine.run_posting(posting.id)  # raised first, but answered later
    now.advance(days=-3)
    early = assessed(passed=True, score=90, per_tier=NEAR_BAR)
    now.advance(days=3)
    engine.run_posting(posting.id)
    assert [row.applicant.id for row in queue.open_items()] == [early.id, late.id]


def test_a_recruiter_can_undo_a_rejection_within_the_delay(posting, now, client, auth):
    applicant = assessed(passed=False, score=40, per_tier=CLEAR_FAIL)
    engine.run_posting(posting.id)
    row = db.session.scalar(select(RuleAction).where(RuleAction.status == "scheduled"))
    now.advance(hours=20)
    auth.as_role("recruiter")
    page = client.get("/recruiter/queue/").get_data(as_text=True)
    assert "Undo" in page
    response = client.post(f"/recruiter/queue/actions/{row.id}/undo")
    assert response.status_code == 302
    now.advance(hours=10)
    engine.run_posting(posting.id)
    db.session.expire_all()
    assert db.session.get(type(applicant), applicant.id).stage == "assessed_failed"
    sent = db.session.scalars(
        select(OutboxEmail.template).where(OutboxEmail.applicant_id == applicant.id)
    ).all()
    assert "automation_rejected_assessment" not in sent
    assert reasons_for(applicant) == {"undone"}


def test_undo_after_the_delay_is_refused(posting, now):
    assessed(passed=False, score=40, per_tier=CLEAR_FAIL)
    engine.run_posting(posting.id)
    row = db.session.scalar(select(RuleAction).where(RuleAction.status == "scheduled"))
    now.advance(hours=24)
    with pytest.raises(engine.AutomationError, match="already due"):
        engine.undo(row.id, actor=factories.make_user("recruiter"))


def table_counts() -> dict[str, int]:
    return {
        table.name: db.session.scalar(select(func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    }


def test_a_dry_run_shows_what_the_rule_would_do_and_writes_nothing(posting, now):
    for r in db.session.scalars(select(AutomationRule)):
        r.enabled = False
    db.session.commit()
    clear = assessed(passed=False, score=40, per_tier=CLEAR_FAIL)
    risky = assessed(passed=False, score=40, per_tier=CLEAR_FAIL, signals=SIGNALS)
    now.advance(days=2)
    before = table_counts()
    report = rules.dry_run(rule(posting, "assessment_failed"))
    db.session.commit()
    assert table_counts() == before
    assert report.looked_at == 2 and report.counts == {"act": 1, "hold": 1}
    outcomes = {row["applicant"].id: row["outcome"] for row in report.rows}
    assert outcomes[clear.id] == "Reject (with reason)"
    assert outcomes[risky.id].startswith("to a person: Integrity")
    assert clear.stage == risky.stage == "assessed_failed"


def test_an_action_that_fails_is_retried_then_goes_to_a_person_without_stopping_the_run(
    posting, now
):
    from portal.models import EmailTemplate

    template = db.session.scalar(
        select(EmailTemplate).where(EmailTemplate.key == "automation_rejected_assessment")
    )
    template.body = "{{ portal_url.__class__.__mro__ }}"  # the sandbox refuses to render it
    db.session.commit()
    failed = assessed(passed=False, score=40, per_tier=CLEAR_FAIL)
    engine.run_posting(posting.id)
    now.advance(hours=25)
    passed = assessed(passed=True, score=90, per_tier=CLEAR)
    for _ in range(3):
        engine.run_posting(posting.id)
        now.advance(minutes=5)
    assert passed.stage == "shortlisted"  # the rest of the run went on
    assert failed.stage == "assessed_failed"
    row = db.session.scalar(select(RuleAction).where(RuleAction.applicant_id == failed.id))
    assert row.status == "failed" and row.detail["tries"] == 3
    assert reasons_for(failed) == {"action_failed"}
    sent = db.session.scalars(
        select(OutboxEmail.template).where(OutboxEmail.applicant_id == failed.id)
    ).all()
    assert "automation_rejected_assessment" not in sent
