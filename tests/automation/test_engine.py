"""Each rule kind moves (or reminds) the right people, once, audited with the rule's version."""

from sqlalchemy import func, select

from portal import events
from portal.automation import engine
from portal.extensions import db
from portal.models import Applicant, AuditEvent, OutboxEmail, ReviewItem, RuleAction
from tests import factories
from tests.automation.conftest import CLEAR, CLEAR_FAIL, assessed, rule


def emails_to(applicant: Applicant) -> list[OutboxEmail]:
    return list(
        db.session.scalars(select(OutboxEmail).where(OutboxEmail.applicant_id == applicant.id))
    )


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_clear_pass_is_shortlisted_emailed_and_audited_with_rule_and_version(posting):
    applicant = assessed(passed=True, score=88, per_tier=CLEAR)
    shortlist = rule(posting, "assessment_passed")
    engine.run_posting(posting.id)
    assert applicant.stage == "shortlisted"
    applied = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "automation.applied"))
    assert applied.applicant_id == applicant.id
    assert applied.details["rule_id"] == shortlist.id
    assert applied.details["rule_version"] == shortlist.version == 1
    moved = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.action == "stage.moved", AuditEvent.applicant_id == applicant.id
        )
    ).all()[-1]
    assert moved.details["to_stage"] == "shortlisted" and "Shortlist a clear pass" in moved.reason
    (mail,) = [m for m in emails_to(applicant) if m.template == "automation_shortlisted"]
    assert "AI Response Rater" in mail.subject


def test_running_twice_does_nothing_more(posting, now):
    waiting = factories.make_applicant()  # will be reminded (no stage change to stop a repeat)
    db.session.commit()
    now.advance(days=8)
    applicant = assessed(passed=True, score=88, per_tier=CLEAR)
    engine.run_posting(posting.id)
    first = (count(AuditEvent), count(OutboxEmail), count(RuleAction))
    now.advance(minutes=5)  # the next beat
    report = engine.run_posting(posting.id)
    engine.run_for_applicant(applicant.id)
    engine.run_for_applicant(waiting.id)
    assert (count(AuditEvent), count(OutboxEmail), count(RuleAction)) == first
    assert report.acted == 0 and applicant.stage == "shortlisted"
    assert len(emails_to(waiting)) == 1


def test_pass_below_the_rules_score_goes_to_a_person(posting):
    rule(posting, "assessment_passed").min_score = 80
    db.session.commit()
    applicant = assessed(passed=True, score=76, per_tier=CLEAR)
    engine.run_posting(posting.id)
    assert applicant.stage == "assessed_passed"
    item = db.session.scalar(select(ReviewItem).where(ReviewItem.applicant_id == applicant.id))
    assert item.reason == "below_rule" and "76.0 < 80" in item.detail


def test_failed_rejection_waits_24_hours_then_moves_and_emails_the_retake_date(posting, now):
    applicant = assessed(passed=False, score=40, per_tier=CLEAR_FAIL)
    engine.run_posting(posting.id)
    assert applicant.stage == "assessed_failed"
    assert not [m for m in emails_to(applicant) if m.template.startswith("automation")]
    now.advance(hours=23)
    engine.run_posting(posting.id)
    assert applicant.stage == "assessed_failed"
    now.advance(hours=1, minutes=5)
    engine.run_posting(posting.id)
    assert applicant.stage == "rejected" and applicant.exit_reason == "assessment"
    (mail,) = [m for m in emails_to(applicant) if m.template == "automation_rejected_assessment"]
    assert "You may take the assessment again from" in mail.body
    applied = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "automation.applied"))
    assert applied.details["rule_id"] == rule(posting, "assessment_failed").id


def test_profile_incomplete_is_reminded_at_7_days_and_withdrawn_at_21(posting, now):
    applicant = factories.make_applicant()
    db.session.commit()
    now.advance(days=6)
    engine.run_posting(posting.id)
    assert emails_to(applicant) == []
    now.advance(days=1, minutes=1)
    engine.run_posting(posting.id)
    engine.run_posting(posting.id)
    reminders = [m for m in emails_to(applicant) if m.template == "automation_profile_reminder"]
    assert len(reminders) == 1 and applicant.stage == "applied"
    now.advance(days=14)
    engine.run_posting(posting.id)
    assert applicant.stage == "withdrawn" and applicant.exit_reason == "no_response"
    assert [m for m in emails_to(applicant) if m.template == "automation_withdrawn"]


def test_an_offer_rule_queues_the_offer_and_one_click_makes_it(posting, admin):
    project = factories.make_project()
    applicant = factories.make_candidate(score=90, stage="shortlisted")
    db.session.commit()
    offer_rule = rule(posting, "shortlisted_seat")
    subject = engine.subjects.of_applicant(applicant.id)[0]
    seat = {"project_id": project.id, "project": project.title, "hours": 15, "rate_cents": 9900}
    seat["rate_cents"] = min(max(seat["rate_cents"], posting.pay_min_cents), posting.pay_max_cents)
    engine.apply(offer_rule, subject, engine.clock.now(), seat)
    db.session.commit()
    assert applicant.stage == "shortlisted"  # waits for a person's click
    row = db.session.scalar(select(RuleAction).where(RuleAction.status == "confirm"))
    engine.confirm_offer(row.id, actor=admin)
    assert applicant.stage == "offered"
    offer = applicant_offer(applicant)
    assert offer.hourly_rate_cents == posting.pay_max_cents and offer.weekly_hours == 15


def test_an_automatic_offer_rule_offers_at_once(posting):
    project = factories.make_project()
    applicant = factories.make_candidate(score=90, stage="shortlisted")
    db.session.commit()
    offer_rule = rule(posting, "shortlisted_seat")
    offer_rule.action = "offer"
    subject = engine.subjects.of_applicant(applicant.id)[0]
    seat = {"project_id": project.id, "hours": 12, "rate_cents": 3000}
    engine.apply(offer_rule, subject, engine.clock.now(), seat)
    db.session.commit()
    assert applicant.stage == "offered" and applicant_offer(applicant).hourly_rate_cents == 3000


def applicant_offer(applicant):
    from portal.models import Assignment

    return db.session.scalar(select(Assignment).where(Assignment.applicant_id == applicant.id))


def test_scoring_an_assessment_runs_the_rules_at_once(app, posting):
    applicant = assessed(passed=True, score=90, per_tier=CLEAR)
    events.assessment_scored.send(app, applicant_id=applicant.id)
    db.session.commit()  # the event's work is queued after commit (eager here)
    db.session.expire_all()
    assert db.session.get(Applicant, applicant.id).stage == "shortlisted"


def test_a_paused_posting_moves_nobody(posting, admin):
    from portal.automation import rules

    applicant = assessed(passed=True, score=90, per_tier=CLEAR)
    rules.set_paused(posting, True, actor=admin)
    engine.run_all()
    assert applicant.stage == "assessed_passed"
    rules.set_paused(posting, False, actor=admin)
    engine.run_all()
    assert applicant.stage == "shortlisted"


def test_a_rule_moves_only_the_application_to_its_own_posting(posting, admin):
    from portal.automation import rules
    from portal.models import Application, Posting

    other = Posting(slug="medical-reviewer", title="Medical reviewer", status="open")
    db.session.add(other)
    applicant = assessed(passed=True, score=90, per_tier=CLEAR)
    second = Application(applicant=applicant, posting=other, stage="assessed_passed")
    db.session.add(second)
    db.session.commit()
    rules.add_default_rules(other, actor=admin, enabled=True)
    rules.set_paused(posting, True, actor=admin)
    engine.run_all()
    default = next(a for a in applicant.applications if a.posting_id == posting.id)
    assert second.stage == "shortlisted" and default.stage == "assessed_passed"
    row = db.session.scalar(select(RuleAction).where(RuleAction.status == "done"))
    assert (row.subject_type, row.subject_id, row.posting_id) == (
        "application",
        second.id,
        other.id,
    )
