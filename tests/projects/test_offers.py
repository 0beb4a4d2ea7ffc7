"""Offers: rate card, email, capacity, accept with acknowledgements, decline, expiry, access."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Applicant, Assignment, AuditEvent, GuidelineAck, OutboxEmail
from portal.models.base import utcnow
from portal.projects import tasks
from portal.projects.services.features import seats_filled
from portal.projects.services.guidelines import needs_guideline_ack
from portal.projects.services.offers import accept_offer, make_offer
from portal.projects.services.rules import AGREEMENT_VERSION, ProjectError
from tests import factories
from tests.factories import make_candidate, make_project
from tests.factories import publish_guideline as publish


def _offer_form(**overrides):
    data = {"rate": "30.00", "hours": "10", "starts_on": "", "expires_in_days": "7"}
    data.update(overrides)
    return data


def _sign_in_as(auth, applicant: Applicant) -> None:
    auth.logout()
    assert auth.login(applicant.user.email).status_code == 302


def test_admin_offer_quotes_the_rate_card_and_emails_the_contractor(client, auth):
    auth.as_role("admin")
    project = make_project(rate_min_cents=2500, rate_max_cents=2800)
    person = make_candidate(
        96, years_experience=12, labelling_experience=[{"months": 20}], desired_rate_cents=2600
    )
    db.session.commit()

    page = client.get(f"/admin/projects/{project.id}/offer/{person.id}").get_data(as_text=True)
    # 25 + 3 (10+ years) + 2 (18+ months) + 2 (95+) + 3 (US, tier A) = 35, clamped to 28.
    assert 'value="28.00"' in page and "Clamped to the project&#39;s maximum $28.00" in page

    response = client.post(
        f"/admin/projects/{project.id}/offer/{person.id}",
        data=_offer_form(rate="28.00", hours="15"),
    )
    assert response.status_code == 302
    offer = db.session.scalar(select(Assignment))
    assert (offer.status, offer.hourly_rate_cents, offer.weekly_hours) == ("offered", 2800, 15)
    assert "Clamped to the project's maximum $28.00" in offer.rate_reasons
    assert abs(offer.expires_at - offer.offered_at - timedelta(days=7)) < timedelta(minutes=1)
    assert db.session.get(Applicant, person.id).stage == "offered"
    email = db.session.scalar(select(OutboxEmail).where(OutboxEmail.to == person.user.email))
    assert "Medical QA preference ranking" in email.subject
    assert "$28.00/hour" in email.body and f"/me/offers/{offer.id}" in email.body
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "offer.made"))


def test_rate_outside_the_band_is_refused(client, auth):
    auth.as_role("admin")
    project = make_project()
    person = make_candidate()
    db.session.commit()
    response = client.post(
        f"/admin/projects/{project.id}/offer/{person.id}", data=_offer_form(rate="50.00")
    )
    assert response.status_code == 422
    assert "within the project" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Assignment)) == 0


def test_capacity_is_checked_when_offering(client, auth):
    admin = auth.as_role("admin")
    first, second = make_project(title="First"), make_project(title="Second")
    person = make_candidate(weekly_hours=20)
    db.session.commit()
    make_offer(first, person.id, actor=admin, hours=15)
    response = client.post(
        f"/admin/projects/{second.id}/offer/{person.id}", data=_offer_form(hours="10")
    )
    assert response.status_code == 422
    assert "at most 5 h free" in response.get_data(as_text=True)
    booked = db.session.scalar(
        select(func.sum(Assignment.weekly_hours)).where(Assignment.applicant_id == person.id)
    )
    assert booked == 15


def test_one_seat_per_person_and_headcount_at_offer_time(app):
    project = make_project(headcount=1)
    a, b = make_candidate(), make_candidate()
    db.session.commit()
    make_offer(project, a.id, actor=None)
    with pytest.raises(ProjectError, match="already has an offer"):
        make_offer(project, a.id, actor=None)
    with pytest.raises(ProjectError, match="no open seats"):
        make_offer(project, b.id, actor=None)


def test_people_who_fail_a_hard_constraint_cannot_be_offered(client, auth):
    auth.as_role("admin")
    project = make_project(allowed_countries=["US"])
    abroad = make_candidate(country="DE")
    db.session.commit()
    response = client.post(f"/admin/projects/{project.id}/offer/{abroad.id}", data=_offer_form())
    assert response.status_code == 422
    assert "Country DE is not allowed" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Assignment)) == 0


def test_accept_requires_acknowledging_guidelines_and_agreement(client, auth):
    project = make_project(headcount=1)
    publish(project, 1, "# Rules\n\n<script>alert(1)</script>\n\nRank **carefully**.")
    person = make_candidate()
    db.session.commit()
    offer = make_offer(project, person.id, actor=None)
    _sign_in_as(auth, person)

    page = client.get(f"/me/offers/{offer.id}").get_data(as_text=True)
    assert "<strong>carefully</strong>" in page
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page

    form = {"guideline_version": "1", "agreement_version": AGREEMENT_VERSION}
    response = client.post(f"/me/offers/{offer.id}/accept", data={**form, "ack_agreement": "y"})
    assert response.status_code == 422
    assert "confirm you read the guidelines" in response.get_data(as_text=True)
    response = client.post(f"/me/offers/{offer.id}/accept", data={**form, "ack_guidelines": "y"})
    assert response.status_code == 422
    assert db.session.get(Assignment, offer.id).status == "offered"

    response = client.post(
        f"/me/offers/{offer.id}/accept", data={**form, "ack_guidelines": "y", "ack_agreement": "y"}
    )
    assert response.status_code == 302
    db.session.expire_all()
    accepted = db.session.get(Assignment, offer.id)
    assert accepted.status == "accepted" and accepted.responded_at is not None
    assert accepted.accepted_guideline_version == 1
    assert accepted.agreement_version == AGREEMENT_VERSION
    ack = db.session.scalar(select(GuidelineAck).where(GuidelineAck.applicant_id == person.id))
    assert ack is not None and ack.acknowledged_at is not None
    assert db.session.get(Applicant, person.id).stage == "onboarding"
    assert project.status == "staffed"  # its one seat is taken
    assert needs_guideline_ack(person.id, project.id) is None


def test_accepting_a_stale_guideline_version_is_refused(app):
    project = make_project()
    publish(project, 1)
    person = make_candidate()
    db.session.commit()
    offer = make_offer(project, person.id, actor=None)
    publish(project, 2)
    db.session.commit()
    with pytest.raises(ProjectError, match="version 2"):
        accept_offer(offer, person, guideline_version=1, agreement_version=AGREEMENT_VERSION)
    assert offer.status == "offered"


def test_capacity_is_checked_again_when_accepting(app):
    first, second = make_project(title="First"), make_project(title="Second")
    person = make_candidate(weekly_hours=20)
    db.session.commit()
    a = make_offer(first, person.id, actor=None, hours=10)
    make_offer(second, person.id, actor=None, hours=10)
    person.weekly_hours = 15  # they updated their availability after the offers
    db.session.commit()
    with pytest.raises(ProjectError, match="15 h/week available"):
        accept_offer(a, person, guideline_version=None, agreement_version=AGREEMENT_VERSION)
    assert db.session.get(Assignment, a.id).status == "offered"


def test_decline_returns_to_shortlist_only_after_the_last_open_offer(client, auth):
    first, second = make_project(title="First"), make_project(title="Second")
    person = make_candidate(weekly_hours=30)
    db.session.commit()
    a = make_offer(first, person.id, actor=None)
    b = make_offer(second, person.id, actor=None)
    _sign_in_as(auth, person)
    assert (
        client.post(f"/me/offers/{a.id}/decline", data={"reason": "Too few hours"}).status_code
        == 302
    )
    assert db.session.get(Applicant, person.id).stage == "offered"
    assert client.post(f"/me/offers/{b.id}/decline", data={}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Applicant, person.id).stage == "shortlisted"
    assert {x.status for x in db.session.scalars(select(Assignment))} == {"declined"}
    # A declined offer cannot be accepted afterwards.
    response = client.post(
        f"/me/offers/{a.id}/accept",
        data={"ack_agreement": "y", "agreement_version": AGREEMENT_VERSION},
    )
    assert response.status_code == 422 and "declined" in response.get_data(as_text=True)


def test_expired_offers_read_as_lapsed_and_only_the_beat_task_writes_it(client, auth):
    first, second = make_project(title="First"), make_project(title="Second")
    reader, idle = make_candidate(), make_candidate()
    db.session.commit()
    past = utcnow() - timedelta(minutes=1)
    seen = make_offer(first, reader.id, actor=None, expires_at=past)
    unseen = make_offer(second, idle.id, actor=None, expires_at=past)

    _sign_in_as(auth, reader)
    page = client.get("/me/offers/").get_data(as_text=True)
    assert "No open offers" in page and "lapsed" in page
    assert "lapsed" in client.get(f"/me/offers/{seen.id}").get_data(as_text=True)
    db.session.expire_all()
    # A GET changes nothing: the offer reads as lapsed but is written down only by the task.
    assert db.session.get(Assignment, seen.id).status == "offered"
    assert db.session.get(Applicant, reader.id).stage == "offered"
    # Its seat and hours are free already for every read.
    assert seats_filled([first.id]).get(first.id, 0) == 0
    response = client.post(
        f"/me/offers/{seen.id}/accept",
        data={"ack_agreement": "y", "agreement_version": AGREEMENT_VERSION},
    )
    assert response.status_code == 422
    assert "expired" in response.get_data(as_text=True)

    assert tasks.lapse_offers.delay().get() == 2
    assert tasks.lapse_offers.delay().get() == 0  # idempotent
    db.session.expire_all()
    assert db.session.get(Assignment, seen.id).status == "lapsed"
    assert db.session.get(Assignment, unseen.id).status == "lapsed"
    assert db.session.get(Applicant, reader.id).stage == "shortlisted"
    lapsed = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "offer.lapsed"))
    assert {e.subject_id for e in lapsed} == {seen.id, unseen.id}


def test_applicants_see_only_their_own_offers(client, auth):
    project = make_project()
    owner, other = make_candidate(), make_candidate()
    db.session.commit()
    offer = make_offer(project, owner.id, actor=None)
    _sign_in_as(auth, other)
    assert client.get(f"/me/offers/{offer.id}").status_code == 404
    assert project.title not in client.get("/me/offers/").get_data(as_text=True)
    response = client.post(
        f"/me/offers/{offer.id}/accept",
        data={"ack_agreement": "y", "agreement_version": AGREEMENT_VERSION},
    )
    assert response.status_code == 404
    assert client.post(f"/me/offers/{offer.id}/decline").status_code == 404
    assert client.get(f"/admin/projects/{project.id}").status_code == 403
    assert db.session.get(Assignment, offer.id).status == "offered"


def test_staff_cannot_open_contractor_offer_pages(client, auth):
    auth.as_role("admin")
    assert client.get("/me/offers/").status_code == 403
    factories.make_user("recruiter")


def test_contractor_pages_join_the_navigation_with_the_first_offer(client, auth):
    applicant = make_candidate()
    _sign_in_as(auth, applicant)
    nav = client.get("/me/").get_data(as_text=True).split('<nav class="nav"')[1].split("</nav>")[0]
    assert "/me/privacy/" in nav and "/me/offers/" not in nav and "/me/payments/" not in nav
    make_offer(make_project(), applicant.id, actor=None)
    nav = client.get("/me/").get_data(as_text=True).split('<nav class="nav"')[1].split("</nav>")[0]
    assert "/me/offers/" in nav and "/me/payments/timesheets" in nav and "/me/payments/" in nav
