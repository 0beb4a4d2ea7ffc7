"""Contractors abroad: Stripe's cross-border rules, applied before any account is created."""

import pytest
import requests
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Assignment, AuditEvent, Payout, StripeAccount
from portal.payments import payouts
from portal.payments.connect_countries import (
    CROSS_BORDER,
    CountryNotSupported,
    account_terms,
)
from portal.payments.stripe_gateway import CountryNotPayable
from tests.factories import approved_sheet
from tests.factories import make_bare_project as make_project
from tests.payments.conftest import last_week


def sign_in_contractor(auth, country: str):
    """An onboarding contractor living in ``country`` with an accepted assignment."""
    user = auth.as_role("applicant", applicant={"stage": "onboarding", "country": country})
    assignment = Assignment(
        project_id=make_project(f"Project for {country}").id,
        applicant_id=user.applicant.id,
        status="accepted",
        hourly_rate_cents=2500,
        weekly_hours=10,
    )
    db.session.add(assignment)
    db.session.commit()
    return user.applicant, assignment


def test_the_rules_table():
    assert account_terms("US", "US").service_agreement == "full"
    de = account_terms("US", "de")
    assert (de.country, de.service_agreement, de.capabilities) == (
        "DE",
        "recipient",
        ("transfers",),
    )
    assert account_terms("GB", "FR").cross_border
    with pytest.raises(CountryNotSupported, match="Russia"):
        account_terms("US", "RU")
    with pytest.raises(CountryNotSupported):  # Europe's platforms pay Europe only
        account_terms("DE", "IN")
    with pytest.raises(CountryNotSupported, match="profile"):
        account_terms("US", "")
    assert "US" not in CROSS_BORDER["US"]


def test_a_contractor_abroad_is_onboarded_as_a_recipient_and_paid(
    app, client, auth, stripe_fake, gateway
):
    applicant, assignment = sign_in_contractor(auth, "IN")
    response = client.post("/me/payments/onboard")
    assert response.status_code == 302
    link = response.headers["Location"]
    account = db.session.scalar(select(StripeAccount))
    assert account.country == "IN"
    remote = stripe_fake.state.accounts[account.stripe_account_id]
    assert remote["country"] == "IN"
    assert remote["tos_acceptance"]["service_agreement"] == "recipient"
    assert remote["capabilities"] == {"transfers": "inactive"}

    with requests.Session() as browser:
        browser.trust_env = False
        browser.get(link)
        browser.post(link, data={"action": "complete"}, allow_redirects=False)
    client.get("/me/payments/return")
    db.session.expire_all()
    assert db.session.get(StripeAccount, account.id).status == "ready"

    approved_sheet(db.session.get(Assignment, assignment.id), last_week(), [16, 0, 0, 0, 0, 0, 0])
    db.session.commit()
    run = payouts.run_payouts(gateway, week=last_week())
    assert [line["outcome"] for line in run.lines] == ["paid"]
    payout = db.session.scalar(select(Payout))
    assert payout.amount_cents == 4 * 2500
    (transfer,) = stripe_fake.state.transfers
    assert transfer["destination"] == account.stripe_account_id and transfer["amount"] == 10_000


def test_a_country_stripe_cannot_pay_is_refused_before_any_account_exists(
    app, client, auth, stripe_fake
):
    sign_in_contractor(auth, "RU")
    response = client.post("/me/payments/onboard", follow_redirects=True)
    text = response.get_data(as_text=True)
    assert "Stripe cannot send payouts to Russia" in text
    assert stripe_fake.state.accounts == {}  # Stripe was never asked
    assert [m for m, p, s in stripe_fake.state.request_log if p == "/v1/accounts"] == []
    assert db.session.scalar(select(func.count()).select_from(StripeAccount)) == 0
    assert (
        db.session.scalar(select(func.count()).where(AuditEvent.action == "stripe.account_created"))
        == 0
    )


def test_the_gateway_refuses_without_calling_stripe(gateway, stripe_fake):
    with pytest.raises(CountryNotPayable) as raised:
        gateway.create_express_account("ada@example.com", "KP")
    assert raised.value.code == "country_not_supported"
    assert stripe_fake.state.request_log == []


def test_the_platform_country_is_a_setting(app, client, auth, stripe_fake):
    app.config["STRIPE_PLATFORM_COUNTRY"] = "GB"
    sign_in_contractor(auth, "US")  # a US contractor is abroad for a UK platform: refused
    text = client.post("/me/payments/onboard", follow_redirects=True).get_data(as_text=True)
    assert "Stripe cannot send payouts to United States" in text
    assert stripe_fake.state.accounts == {}
