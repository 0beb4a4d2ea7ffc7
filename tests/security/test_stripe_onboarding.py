"""Finding 11: only a contractor with an accepted offer gets a Stripe account, and never by GET."""
# ruff: noqa: F811 - the payments fixtures are imported by name and used as arguments

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Assignment, StripeAccount
from tests import factories
from tests.factories import make_bare_project as make_project
from tests.payments.conftest import (  # noqa: F401 - fixtures
    app_config,
    stripe_fake,
    stripe_fake_server,
)
from tests.security.conftest import fresh, sign_in


def accounts_created(stripe):
    return db.session.scalar(select(func.count()).select_from(StripeAccount)), len(
        stripe.state.accounts
    )


@pytest.mark.parametrize("stage", ["applied", "assessed_failed", "shortlisted", "offered"])
def test_no_account_before_an_accepted_offer(client, stripe_fake, stage):
    user = factories.make_user("applicant", applicant={"stage": stage})
    db.session.commit()
    sign_in(client, user.email)
    response = client.post("/me/payments/onboard", follow_redirects=True)
    assert "once you have accepted an offer" in response.get_data(as_text=True)
    assert fresh(client, "/me/payments/refresh").status_code == 302
    assert accounts_created(stripe_fake) == (0, 0)
    page = fresh(client, "/me/payments/").get_data(as_text=True)
    assert "Connect with Stripe" not in page and "once you have accepted an offer" in page


def test_an_open_offer_is_not_enough(client, stripe_fake):
    user = factories.make_user("applicant", applicant={"stage": "offered"})
    project = make_project()
    db.session.add(
        Assignment(
            project_id=project.id,
            applicant_id=user.applicant.id,
            status="offered",
            hourly_rate_cents=3000,
            weekly_hours=10,
        )
    )
    db.session.commit()
    sign_in(client, user.email)
    client.post("/me/payments/onboard")
    assert accounts_created(stripe_fake) == (0, 0)


def test_refresh_never_creates_an_account_even_for_a_contractor(client, stripe_fake):
    user = factories.make_user("applicant", applicant={"stage": "onboarding"})
    project = make_project()
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
    sign_in(client, user.email)
    response = fresh(client, "/me/payments/refresh")
    assert response.headers["Location"].endswith("/me/payments/")
    assert accounts_created(stripe_fake) == (0, 0)
    response = client.post("/me/payments/onboard")  # the button: a POST
    assert response.headers["Location"].startswith(stripe_fake.url)
    assert accounts_created(stripe_fake) == (1, 1)
    again = fresh(client, "/me/payments/refresh")  # an expired link: a new link, same account
    assert again.headers["Location"].startswith(stripe_fake.url)
    assert accounts_created(stripe_fake) == (1, 1)
