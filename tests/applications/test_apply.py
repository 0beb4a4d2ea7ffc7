"""Applying to postings: one application per posting, each with its own stage and answer-by."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from portal import pipeline
from portal.applications import services
from portal.applications.sync import DEFAULT_SLUG
from portal.extensions import db
from portal.models import Application, Attempt, AuditEvent, Posting, StageSpan
from tests import factories


def make_posting(slug: str, **fields) -> Posting:
    values = {"title": slug.replace("-", " ").title(), "status": "open", "answer_days": 3}
    values.update(fields)
    posting = Posting(slug=slug, **values)
    db.session.add(posting)
    db.session.commit()
    return posting


def postings_of(applicant) -> list[str]:
    return sorted(a.posting.slug for a in applicant.applications)


def test_a_new_applicant_belongs_to_the_default_posting(app):
    applicant = factories.make_applicant(stage="profile_complete")
    db.session.commit()
    assert postings_of(applicant) == [DEFAULT_SLUG]
    assert applicant.applications[0].stage == "profile_complete"


def test_applying_to_two_postings_works_and_each_keeps_its_own_stage(app, now):
    medical = make_posting("medical-reviewer")
    spanish = make_posting("spanish-rater")
    applicant = factories.make_applicant(country="US")
    db.session.commit()
    services.apply(applicant.id, medical.id)
    services.apply(applicant.id, spanish.id)
    db.session.refresh(applicant)
    assert postings_of(applicant) == sorted([DEFAULT_SLUG, "medical-reviewer", "spanish-rater"])
    first = services.application_of(applicant.id, medical.id)
    pipeline.move(first, "withdrawn", actor=None)
    db.session.commit()
    stages = {a.posting.slug: a.stage for a in applicant.applications}
    assert stages == {
        DEFAULT_SLUG: "applied",
        "medical-reviewer": "withdrawn",
        "spanish-rater": "applied",
    }
    # The applicant's own stage follows their furthest live application, not the withdrawal.
    assert applicant.stage == "applied"
    span = db.session.scalar(select(StageSpan).where(StageSpan.application_id == first.id))
    assert span.stage == "applied"


def test_applying_twice_to_the_same_posting_is_refused(app):
    posting = make_posting("medical-reviewer")
    applicant = factories.make_applicant()
    db.session.commit()
    services.apply(applicant.id, posting.id)
    with pytest.raises(services.ApplyError, match="already applied to Medical Reviewer"):
        services.apply(applicant.id, posting.id)
    count = db.session.scalar(
        select(func.count()).select_from(Application).where(Application.posting_id == posting.id)
    )
    assert count == 1


@pytest.mark.parametrize("status", ["draft", "paused", "closed"])
def test_a_posting_that_is_not_open_takes_no_application(app, status):
    posting = make_posting("medical-reviewer", status=status)
    applicant = factories.make_applicant()
    db.session.commit()
    with pytest.raises(services.ApplyError, match="not taking applications"):
        services.apply(applicant.id, posting.id)


def test_a_posting_for_other_countries_refuses_the_applicant(app):
    posting = make_posting("eu-only", locations=["DE", "FR"])
    outside = factories.make_applicant(country="US")
    inside = factories.make_applicant(country="DE")
    db.session.commit()
    with pytest.raises(services.ApplyError, match="cannot take applicants from your country"):
        services.apply(outside.id, posting.id)
    assert services.apply(inside.id, posting.id).posting_id == posting.id


def test_each_application_has_its_own_answer_by_from_its_posting(app, now):
    quick = make_posting("quick", answer_days=2)
    slow = make_posting("slow", answer_days=5)
    applicant = factories.make_applicant()
    db.session.commit()
    for posting in (quick, slow):
        application = services.apply(applicant.id, posting.id)
        assert services.answer_by(application) is None  # the applicant owes the next step
    # Monday 2 Nov: both applications pass the assessment and now wait on us.
    for application in applicant.applications:
        if application.posting.slug in ("quick", "slow"):
            application.stage = "assessed_passed"
            application.stage_changed_at = now()
    db.session.commit()
    by = {a.posting.slug: services.answer_by(a) for a in applicant.applications}
    assert by["quick"] == date(2026, 11, 4)
    assert by["slow"] == date(2026, 11, 9)  # five business days: over the weekend


def test_a_completed_profile_and_a_valid_passed_attempt_are_reused(app, now):
    legal = make_posting("legal-rater", track="law")
    medical = make_posting("medical-reviewer", track="medicine")
    applicant = factories.make_applicant(stage="assessed_passed", domains=["law"])
    applicant.profile_completed_at = now() - timedelta(days=20)
    db.session.add(
        Attempt(
            applicant_id=applicant.id,
            status="submitted",
            started_at=now() - timedelta(days=10),
            deadline=now() - timedelta(days=10) + timedelta(hours=1),
            ended_at=now() - timedelta(days=10),
            n_items=10,
            track="law",
            score=90,
            passed=True,
        )
    )
    db.session.commit()
    reused = services.apply(applicant.id, legal.id)
    asked = services.apply(applicant.id, medical.id)
    assert reused.stage == "assessed_passed"
    assert asked.stage == "profile_complete"  # another track: that assessment is still to take
    reasons = db.session.scalars(
        select(AuditEvent.reason).where(AuditEvent.action == "stage.moved")
    ).all()
    assert any(r and r.startswith("assessment reused") for r in reasons)


def test_an_expired_passed_attempt_is_not_reused(app, now):
    legal = make_posting("legal-rater", track="law")
    applicant = factories.make_applicant(domains=["law"])
    applicant.profile_completed_at = now() - timedelta(days=500)
    ended = now() - timedelta(days=400)
    db.session.add(
        Attempt(
            applicant_id=applicant.id,
            status="submitted",
            started_at=ended,
            deadline=ended,
            ended_at=ended,
            n_items=10,
            track="law",
            score=90,
            passed=True,
        )
    )
    db.session.commit()
    assert services.apply(applicant.id, legal.id).stage == "profile_complete"


def test_apply_page_confirms_then_applies(client, auth):
    posting = make_posting("medical-reviewer")
    user = auth.as_role("applicant")
    page = client.get("/jobs/medical-reviewer/apply")
    assert page.status_code == 200
    assert "Apply to Medical Reviewer" in page.get_data(as_text=True)
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(Application)
            .where(Application.posting_id == posting.id)
        )
        == 0
    )  # GET changes nothing
    done = client.post("/jobs/medical-reviewer/apply", follow_redirects=True)
    text = done.get_data(as_text=True)
    assert "You applied to Medical Reviewer." in text
    assert 'data-testid="application-medical-reviewer"' in text
    again = client.post("/jobs/medical-reviewer/apply", follow_redirects=True)
    assert "You have already applied to Medical Reviewer." in again.get_data(as_text=True)
    assert services.application_of(user.applicant.id, posting.id) is not None


def test_anonymous_visitors_sign_in_or_up_and_come_back(client):
    make_posting("medical-reviewer")
    response = client.get("/jobs/medical-reviewer/apply")
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith("/auth/signin?next=/jobs/medical-reviewer/apply")
    signin = client.get(location).get_data(as_text=True)
    assert "posting=medical-reviewer" in signin  # "New here? Apply" keeps the posting
    user = factories.make_user("applicant")
    db.session.commit()
    back = client.post(location, data={"email": user.email, "password": factories.PASSWORD})
    assert back.headers["Location"] == "/jobs/medical-reviewer/apply"


def test_sign_up_from_a_posting_applies_to_it(client):
    make_posting("spanish-rater")
    response = client.post(
        "/auth/signup?posting=spanish-rater",
        data={
            "name": "Lucía Pérez",
            "email": "lucia@example.com",
            "password": "a long enough passphrase",
            "confirm": "a long enough passphrase",
        },
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    applications = db.session.scalars(select(Application)).all()
    assert [a.posting.slug for a in applications] == ["spanish-rater"]


def test_sign_up_without_a_posting_goes_to_the_default_posting(client):
    client.post(
        "/auth/signup",
        data={
            "name": "Ana Lima",
            "email": "ana@example.com",
            "password": "a long enough passphrase",
            "confirm": "a long enough passphrase",
        },
    )
    applications = db.session.scalars(select(Application)).all()
    assert [a.posting.slug for a in applications] == [DEFAULT_SLUG]


def test_staff_cannot_apply(client, auth):
    make_posting("medical-reviewer")
    auth.as_role("recruiter")
    assert client.post("/jobs/medical-reviewer/apply").status_code == 403


def test_the_data_export_lists_the_applications(client, auth):
    posting = make_posting("medical-reviewer", title="Medical Reviewer")
    user = auth.as_role("applicant")
    services.apply(user.applicant.id, posting.id)
    data = client.get("/me/privacy/export.json").get_json()
    assert sorted(a["posting"] for a in data["applications"]) == [
        "AI Response Rater (remote, freelance)",
        "Medical Reviewer",
    ]
    assert {a["stage"] for a in data["applications"]} == {"Applied"}


def test_an_applicant_withdraws_one_application_and_keeps_the_other(client, auth):
    posting = make_posting("medical-reviewer", title="Medical Reviewer")
    user = auth.as_role("applicant")
    services.apply(user.applicant.id, posting.id)
    dashboard = client.get("/me/").get_data(as_text=True)
    assert 'action="/jobs/medical-reviewer/withdraw"' in dashboard
    done = client.post("/jobs/medical-reviewer/withdraw", follow_redirects=True)
    assert "You withdrew your application to Medical Reviewer." in done.get_data(as_text=True)
    applicant = user.applicant
    db.session.refresh(applicant)
    stages = {a.posting.slug: (a.stage, a.exit_reason) for a in applicant.applications}
    assert stages == {
        DEFAULT_SLUG: ("applied", None),
        "medical-reviewer": ("withdrawn", "applicant_choice"),
    }
    assert applicant.stage == "applied"
    again = client.post("/jobs/medical-reviewer/withdraw", follow_redirects=True)
    assert "Medical Reviewer is already closed." in again.get_data(as_text=True)
