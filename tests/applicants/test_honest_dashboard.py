"""The applicant dashboard says what is true at each stage; rejections carry a structured reason."""

from datetime import timedelta

from sqlalchemy import select

from portal import clock
from portal.extensions import db
from portal.models import Applicant, Attempt, AuditEvent
from portal.pipeline import move
from tests import factories


def test_a_failed_assessment_shows_the_result_and_the_retake_date(app, client, auth):
    user = auth.as_role("applicant", applicant={"stage": "assessed_failed"})
    ended = clock.now() - timedelta(days=2)
    db.session.add(
        Attempt(
            applicant_id=user.applicant.id,
            status="submitted",
            started_at=ended - timedelta(minutes=40),
            deadline=ended,
            ended_at=ended,
            n_items=20,
            score=48.5,
            passed=False,
        )
    )
    db.session.commit()
    page = client.get("/me/").get_data(as_text=True)
    assert "did not reach the bar" in page and "score 48.5" in page
    retake = ended + timedelta(days=app.config.get("ASSESSMENT_RETAKE_COOLDOWN_DAYS", 30))
    assert f"retake it from <strong>{retake:%d %b %Y}" in page
    assert "It is our turn" not in page
    assert "accept an offer" not in page.lower()


def test_a_rejected_applicant_sees_the_reason_chosen_for_them_not_the_internal_note(
    app, client, auth
):
    recruiter = auth.as_role("recruiter")
    applicant = factories.make_applicant(stage="shortlisted")
    db.session.commit()
    response = client.post(
        f"/recruiter/candidates/{applicant.id}/move",
        data={
            "move-to_stage": "rejected",
            "move-exit_reason": "experience",
            "move-reason": "internal: weak on pharmacology",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.expire_all()
    rejected = db.session.get(Applicant, applicant.id)
    assert (rejected.stage, rejected.exit_reason) == ("rejected", "experience")
    moved = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "stage.moved"))
    assert moved.details["exit_reason"] == "experience" and moved.actor_id == recruiter.id
    auth.logout()
    auth.login(rejected.user.email)
    page = client.get("/me/").get_data(as_text=True)
    assert "Your application is closed." in page
    assert "does not match the expertise" in page
    assert "pharmacology" not in page


def test_a_withdrawn_applicant_is_told_so(app, client, auth):
    user = auth.as_role("applicant", applicant={"stage": "shortlisted"})
    move(user.applicant, "withdrawn", actor=user)
    db.session.commit()
    page = client.get("/me/").get_data(as_text=True)
    assert "You withdrew your application." in page
    assert "It is our turn" not in page
