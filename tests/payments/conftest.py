"""Fixtures for the payments tests: the fake Stripe, an app wired to it, ready contractors."""

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest

from portal.payments.fakestripe import FakeStripeServer
from portal.payments.stripe_gateway import StripeGateway
from portal.workdays import iso_week

WEBHOOK_SECRET = "whsec_test_payments"
CONNECT_WEBHOOK_SECRET = "whsec_test_payments_connect"
SECRET_KEY = "sk_test_payments"


@pytest.fixture(scope="session")
def stripe_fake_server() -> Iterator[FakeStripeServer]:
    with FakeStripeServer(balance=10_000_000) as server:
        yield server


@pytest.fixture
def stripe_fake(stripe_fake_server: FakeStripeServer) -> Iterator[FakeStripeServer]:
    stripe_fake_server.reset()
    yield stripe_fake_server
    stripe_fake_server.flush_webhooks()


@pytest.fixture
def app_config(stripe_fake: FakeStripeServer) -> dict[str, Any]:
    return {
        "STRIPE_SECRET_KEY": SECRET_KEY,
        "STRIPE_API_BASE": stripe_fake.url,
        "STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET,
        "STRIPE_CONNECT_WEBHOOK_SECRET": CONNECT_WEBHOOK_SECRET,
    }


@pytest.fixture
def gateway(stripe_fake: FakeStripeServer) -> Iterator[StripeGateway]:
    with StripeGateway(SECRET_KEY, api_base=stripe_fake.url) as gw:
        yield gw


def last_week() -> str:
    return iso_week(date.today() - timedelta(days=7))
