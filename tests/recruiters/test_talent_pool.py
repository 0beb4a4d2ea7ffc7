"""SLA honesty: only stages where we owe the next step count; the talent pool is not overdue."""

from datetime import timedelta

from sqlalchemy import select

from portal import clock
from portal.extensions import db
from portal.models import Applicant, Assignment, AuditEvent
from portal.recruiters import charts
from portal.recruiters.sla import sla_status
from portal.recruiters.tasks import pool_idle
from tests import factories
from tests.factories import make_listed_candidate as candidate


def test_profile_complete_and_the_talent_pool_have_no_sla_clock():
    entered = clock.now() - timedelta(days=30)
    assert sla_status("profile_complete", entered, clock.now()) is None
    assert sla_status("talent_pool", entered, clock.now()) is None
    assert sla_status("assessed_passed", entered, clock.now()) == "overdue"


def test_sla_counts_and_digest_exclude_profile_complete_and_the_talent_pool(app):
    factories.make_user("recruiter", email="r1@example.org")
    db.session.commit()
    candidate(full_name="Owes Assessment", stage="profile_complete", days_in_stage=12)
    candidate(full_name="Pooled Pat", stage="talent_pool", days_in_stage=12)
    candidate(full_name="Waiting Wes", stage="assessed_passed", days_in_stage=12)
    assert charts.sla_counts(clock.now()) == {"overdue": 1, "due": 0, "waiting": 1}
    from portal.recruiters.tasks import sla_digest

    assert sla_digest.delay().get() == 1
    from portal.models import OutboxEmail

    body = db.session.scalar(select(OutboxEmail.body).where(OutboxEmail.template == "sla_digest"))
    assert "Waiting Wes" in body
    assert "Owes Assessment" not in body and "Pooled Pat" not in body


def test_idle_shortlisted_people_move_to_the_pool_only_when_no_open_project_has_a_seat(app):
    idle = candidate(full_name="Idle Ida", stage="shortlisted", days_in_stage=15)
    fresh = candidate(full_name="Fresh Fay", stage="shortlisted", days_in_stage=3)
    project = factories.make_project(headcount=1)
    db.session.commit()
    assert pool_idle.delay().get() == 0  # a seat is open: they may still be staffed
    assert db.session.get(Applicant, idle.id).stage == "shortlisted"

    other = factories.make_candidate(stage="active")
    db.session.add(
        Assignment(
            project_id=project.id,
            applicant_id=other.id,
            status="active",
            hourly_rate_cents=3000,
            weekly_hours=10,
        )
    )
    db.session.commit()
    assert pool_idle.delay().get() == 1
    assert pool_idle.delay().get() == 0  # idempotent
    db.session.expire_all()
    assert db.session.get(Applicant, idle.id).stage == "talent_pool"
    assert db.session.get(Applicant, fresh.id).stage == "shortlisted"
    moved = db.session.scalar(
        select(AuditEvent).where(
            AuditEvent.action == "stage.moved", AuditEvent.applicant_id == idle.id
        )
    )
    assert moved.details["to_stage"] == "talent_pool" and moved.actor_id is None
    assert charts.sla_counts(clock.now())["waiting"] == 1  # Fay only


def test_the_idle_days_are_a_setting(app):
    app.config["TALENT_POOL_IDLE_DAYS"] = 2
    person = candidate(stage="shortlisted", days_in_stage=3)
    assert pool_idle.delay().get() == 1
    db.session.expire_all()
    assert db.session.get(Applicant, person.id).stage == "talent_pool"


def test_a_recruiter_moves_someone_to_the_pool_and_back_by_hand(client, auth):
    recruiter = auth.as_role("recruiter")
    person = candidate(stage="shortlisted")
    for stage in ("talent_pool", "shortlisted"):
        response = client.post(
            f"/recruiter/candidates/{person.id}/move", data={"move-to_stage": stage}
        )
        assert response.status_code == 302, response.get_data(as_text=True)
        db.session.expire_all()
        assert db.session.get(Applicant, person.id).stage == stage
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "stage.moved").order_by(AuditEvent.id)
    ).all()
    assert [(e.details["to_stage"], e.actor_id) for e in events] == [
        ("talent_pool", recruiter.id),
        ("shortlisted", recruiter.id),
    ]


def test_the_dashboard_says_what_is_true_in_the_talent_pool(client, auth):
    auth.as_role("applicant", applicant={"stage": "talent_pool"})
    page = client.get("/me/").get_data(as_text=True)
    assert "Talent pool" in page
    assert "in our talent pool: no project has a seat for you right now" in page
    assert "It is our turn" not in page


def test_the_dashboard_does_not_say_it_is_our_turn_when_the_applicant_owes_the_assessment(
    client, auth
):
    auth.as_role("applicant", applicant={"stage": "profile_complete"})
    page = client.get("/me/").get_data(as_text=True)
    assert "It is our turn" not in page
    assert "take the assessment" in page
