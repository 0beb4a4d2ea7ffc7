"""The demo's fake Stripe: wired from settings, started by `make run` only when enabled."""

from typing import Any

import pytest

from portal.payments import gateway
from portal.payments.fakestripe import FakeStripeServer


@pytest.fixture
def app_config() -> dict[str, Any]:
    return {
        "STRIPE_FAKE": True,
        "STRIPE_API_BASE": None,
        "STRIPE_WEBHOOK_SECRET": None,
        "STRIPE_FAKE_PORT": 23456,
        "STRIPE_FAKE_WEBHOOK_SECRET": "whsec_from_settings",
    }


def test_fake_port_and_webhook_secret_come_from_settings(app):
    assert gateway.api_base() == "http://127.0.0.1:23456"
    assert gateway.webhook_secret() == "whsec_from_settings"
    assert gateway.is_simulation()


def test_fake_stripe_command_explains_a_taken_port(app, stripe_fake: FakeStripeServer):
    port = stripe_fake.url.rsplit(":", 1)[1]
    result = app.test_cli_runner().invoke(args=["fake-stripe", "--port", port])
    assert result.exit_code == 1
    assert f"cannot listen on 127.0.0.1:{port}" in result.output
    assert "is a fake Stripe running?" in result.output


def test_make_run_starts_no_fake_unless_enabled(app, stripe_fake: FakeStripeServer):
    app.config["STRIPE_FAKE"] = False
    # The taken port makes the command fail fast (exit 1) if it went on to start a server.
    port = stripe_fake.url.rsplit(":", 1)[1]
    result = app.test_cli_runner().invoke(args=["fake-stripe", "--only-if-enabled", "--port", port])
    assert result.exit_code == 0
    assert result.output == ""
