"""Guidelines evolve: new versions need acknowledging before more work; admins see who did."""

from sqlalchemy import select

from portal.extensions import db
from portal.models import Assignment, GuidelineAck, OutboxEmail
from portal.projects.services.guidelines import current_guideline, needs_guideline_ack
from portal.projects.services.offers import accept_offer, make_offer
from portal.projects.services.rules import AGREEMENT_VERSION
from tests.factories import make_candidate, make_project
from tests.factories import publish_guideline as publish


def _working(project, person) -> Assignment:
    offer = make_offer(project, person.id, actor=None)
    current = current_guideline(project.id)
    accept_offer(
        offer,
        person,
        guideline_version=current.version if current else None,
        agreement_version=AGREEMENT_VERSION,
    )
    offer.status = "active"  # payments does this once Stripe is connected
    db.session.commit()
    return offer


def test_new_version_requires_reacknowledgement(client, auth):
    project = make_project(headcount=3)
    publish(project, 1)
    alice = make_candidate(full_name="Alice Active")
    bob = make_candidate(full_name="Bob Active")
    db.session.commit()
    _working(project, alice)
    _working(project, bob)
    assert needs_guideline_ack(alice.id, project.id) is None

    auth.as_role("admin")
    response = client.post(
        f"/admin/projects/{project.id}/guidelines",
        data={
            "title": "Rules v2",
            "changelog": "Ties need a reason",
            "body_md": "# Ties\n\nExplain.",
        },
    )
    assert response.status_code == 302
    v2 = needs_guideline_ack(alice.id, project.id)
    assert v2 is not None and v2.version == 2
    emails = db.session.scalars(
        select(OutboxEmail).where(OutboxEmail.template == "guideline_update")
    )
    assert {e.to for e in emails} == {alice.user.email, bob.user.email}

    auth.logout()
    auth.login(alice.user.email)
    page = client.get("/me/").get_data(as_text=True)
    assert "guideline-banner" in page and f"/me/offers/guidelines/{project.id}" in page
    page = client.get(f"/me/offers/guidelines/{project.id}").get_data(as_text=True)
    assert "<h1>Ties</h1>" in page and "Ties need a reason" in page
    response = client.post(f"/me/offers/guidelines/{project.id}", data={"guideline_id": v2.id})
    assert response.status_code == 422  # the box was not ticked
    response = client.post(
        f"/me/offers/guidelines/{project.id}", data={"guideline_id": v2.id, "confirm": "y"}
    )
    assert response.status_code == 302
    assert needs_guideline_ack(alice.id, project.id) is None
    assert "guideline-banner" not in client.get("/me/").get_data(as_text=True)
    assert (
        len(
            db.session.scalars(
                select(GuidelineAck).where(GuidelineAck.applicant_id == alice.id)
            ).all()
        )
        == 2
    )

    auth.logout()
    auth.as_role("admin")
    page = client.get(f"/admin/projects/{project.id}/guidelines").get_data(as_text=True)
    alice_row = page[page.index("Alice Active") : page.index("</tr>", page.index("Alice Active"))]
    bob_row = page[page.index("Bob Active") : page.index("</tr>", page.index("Bob Active"))]
    assert "v2" in alice_row and "up to date" in alice_row
    assert "v1" in bob_row and "pending" in bob_row


def test_acknowledging_an_outdated_version_is_refused(client, auth):
    project = make_project()
    v1 = publish(project, 1)
    person = make_candidate()
    db.session.commit()
    _working(project, person)
    publish(project, 2)
    publish(project, 3)
    db.session.commit()
    auth.login(person.user.email)
    response = client.post(
        f"/me/offers/guidelines/{project.id}", data={"guideline_id": v1.id, "confirm": "y"}
    )
    assert "newer version" in response.get_data(as_text=True)
    assert needs_guideline_ack(person.id, project.id).version == 3


def test_guideline_page_only_for_people_on_the_project(client, auth):
    project = make_project()
    publish(project, 1)
    stranger = make_candidate()
    db.session.commit()
    auth.login(stranger.user.email)
    assert client.get(f"/me/offers/guidelines/{project.id}").status_code == 404


def test_no_guidelines_means_nothing_to_acknowledge(app):
    project = make_project()
    person = make_candidate()
    db.session.commit()
    assert needs_guideline_ack(person.id, project.id) is None
