"""The onboarding + payout flow against Stripe's real test mode (skipped without test keys).

Run with ``STRIPE_TEST_SECRET_KEY=sk_test_... pytest -m stripe_live tests/payments``. The
platform test balance must hold a little USD (Stripe's 4000000000000077 test card adds it).
"""

import os
import uuid

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import Payout, StripeAccount
from portal.payments import accounts, payouts
from portal.payments.stripe_gateway import StripeGateway
from tests.factories import approved_sheet, make_contractor
from tests.payments.conftest import last_week

pytestmark = pytest.mark.stripe_live
KEY = os.environ.get("STRIPE_TEST_SECRET_KEY", "")


@pytest.fixture
def app_config():
    if not KEY.startswith("sk_test_"):
        pytest.skip("STRIPE_TEST_SECRET_KEY (a sk_test_ key) is not set")
    return {
        "STRIPE_SECRET_KEY": KEY,
        "STRIPE_API_BASE": None,
        "PAYOUT_KEY_NAMESPACE": f"livetest-{uuid.uuid4().hex[:10]}",
    }


def test_onboarding_link_and_one_transfer_in_test_mode(app):
    with StripeGateway(KEY) as gateway:
        applicant, assignment = make_contractor(rate_cents=100)
        db.session.commit()
        link = accounts.onboarding_link(
            applicant, gateway, "https://example.com/refresh", "https://example.com/return", "US"
        )
        assert link.startswith("https://connect.stripe.com/")
        account = db.session.scalar(select(StripeAccount))
        accounts.refresh_account(account, gateway)
        db.session.commit()
        assert account.status == "incomplete" and account.currently_due

        # A fresh Express account cannot receive transfers: the week stays unpaid, visibly.
        approved_sheet(assignment, last_week(), [4, 0, 0, 0, 0, 0, 0])
        db.session.commit()
        run = payouts.run_payouts(gateway, week=last_week())
        assert run.failed_count == 1
        payout = db.session.scalar(select(Payout))
        assert payout.status == "failed" and "not ready" in payout.failure_reason
