"""Stripe Connect onboarding through the contractor's pages, against the fake Stripe."""

import pytest
import requests
from sqlalchemy import select

from portal.extensions import db
from portal.models import Applicant, Assignment, AuditEvent, StripeAccount
from portal.payments import accounts
from tests import factories
from tests.factories import make_bare_project as make_project


def sign_in_contractor(auth, stage="onboarding", country="FR"):
    """A contractor who accepted an offer (only they may connect a Stripe account)."""
    user = auth.as_role("applicant", applicant={"stage": stage, "country": country})
    project = make_project(f"Project {user.id}")
    db.session.add(
        Assignment(
            project_id=project.id,
            applicant_id=user.applicant.id,
            status="accepted",
            hourly_rate_cents=3000,
            weekly_hours=10,
        )
    )
    db.session.commit()
    return user.applicant


def test_connect_redirects_to_stripe_and_the_return_shows_the_real_status(
    app, client, auth, stripe_fake
):
    applicant = sign_in_contractor(auth)
    page = client.get("/me/payments/")
    assert page.status_code == 200 and "Connect with Stripe" in page.get_data(as_text=True)
    assert "Simulation" in page.get_data(as_text=True)  # the API base is a local fake

    response = client.post("/me/payments/onboard")
    assert response.status_code == 302
    link = response.headers["Location"]
    assert link.startswith(stripe_fake.url + "/onboard/")
    account = db.session.scalar(select(StripeAccount))
    assert account.applicant_id == applicant.id and account.country == "FR"

    # Back from Stripe without finishing: the page says what Stripe still needs.
    page = client.get("/me/payments/return", follow_redirects=True)
    text = page.get_data(as_text=True)
    assert "Incomplete" in text and "external account" in text

    with requests.Session() as browser:
        browser.trust_env = False
        assert "Complete onboarding" in browser.get(link).text
        finished = browser.post(link, data={"action": "complete"}, allow_redirects=False)
    assert finished.headers["Location"].endswith("/me/payments/return")

    page = client.get("/me/payments/return", follow_redirects=True)
    assert "ready to receive payouts" in page.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(StripeAccount, account.id).status == "ready"
    assert db.session.get(Applicant, applicant.id).stage == "active"
    assert (
        db.session.scalar(select(AuditEvent).where(AuditEvent.action == "stage.moved")).details[
            "to_stage"
        ]
        == "active"
    )


def test_a_second_connect_reuses_the_account_and_refresh_makes_a_new_link(
    app, client, auth, stripe_fake
):
    sign_in_contractor(auth)
    first = client.post("/me/payments/onboard").headers["Location"]
    refreshed = client.get("/me/payments/refresh").headers["Location"]
    assert refreshed != first and refreshed.startswith(stripe_fake.url)
    assert len(stripe_fake.state.accounts) == 1
    assert db.session.scalar(select(db.func.count()).select_from(StripeAccount)) == 1


def test_refresh_is_for_the_signed_in_owner_only(app, client, auth):
    assert client.get("/me/payments/refresh").status_code == 302  # to sign-in
    auth.as_role("recruiter")
    assert client.get("/me/payments/refresh").status_code == 403


@pytest.mark.parametrize(
    ("preset", "label", "shown"),
    [
        ("incomplete", "Incomplete", "ssn last 4"),
        ("pending_verification", "Pending verification", "verifying your details"),
        ("restricted", "Restricted", "rejected.other"),
        ("complete", "Ready", "ready to receive payouts"),
    ],
)
def test_each_onboarding_state_is_shown_clearly(
    app, client, auth, stripe_fake, preset, label, shown
):
    sign_in_contractor(auth)
    client.post("/me/payments/onboard")
    account = db.session.scalar(select(StripeAccount))
    stripe_fake.set_account(account.stripe_account_id, preset)
    text = client.get("/me/payments/return", follow_redirects=True).get_data(as_text=True)
    assert label in text and shown in text


def test_not_started_page_and_no_keys_configured(app, client, auth):
    sign_in_contractor(auth)
    assert "Connect with Stripe" in client.get("/me/payments/").get_data(as_text=True)
    app.config["STRIPE_SECRET_KEY"] = None
    text = client.get("/me/payments/").get_data(as_text=True)
    assert "Payments are not configured" in text and "Simulation" not in text
    response = client.post("/me/payments/onboard", follow_redirects=True)
    assert response.status_code == 200
    assert "not configured" in response.get_data(as_text=True)
    assert client.get("/me/payments/return").status_code == 302


def test_periodic_sync_updates_accounts_without_webhooks(app, gateway, stripe_fake):
    user_applicant = factories.make_applicant(stage="onboarding")
    project = make_project()
    db.session.add(
        Assignment(
            project_id=project.id,
            applicant_id=user_applicant.id,
            status="accepted",
            hourly_rate_cents=3000,
            weekly_hours=10,
        )
    )
    account_id = gateway.create_express_account("x@example.org", "US")
    db.session.add(
        StripeAccount(
            applicant_id=user_applicant.id, stripe_account_id=account_id, status="incomplete"
        )
    )
    db.session.commit()
    stripe_fake.complete_onboarding(account_id)  # no webhook endpoint is configured

    from portal.payments.tasks import sync_accounts_task

    assert sync_accounts_task.delay().get() == {"checked": 1, "changed": 1, "errors": 0}
    db.session.expire_all()
    assert accounts.account_for(user_applicant.id).status == "ready"
    assert db.session.get(Applicant, user_applicant.id).stage == "active"
    assert db.session.scalar(select(Assignment.status)) == "active"


def test_gateway_errors_are_shown_not_crashed(app, client, auth, stripe_fake):
    sign_in_contractor(auth)
    stripe_fake.fail_next(10, "500")
    response = client.post("/me/payments/onboard", follow_redirects=True)
    stripe_fake.state.failures.clear()
    assert response.status_code == 200
    assert "Stripe could not start onboarding" in response.get_data(as_text=True)
