"""Which Stripe the portal talks to: real keys, the local fake (demo), or none at all."""

from flask import current_app

from portal.payments.stripe_gateway import StripeGateway, _is_loopback

FAKE_SECRET_KEY = "sk_test_local_fake"


class PaymentsNotConfigured(RuntimeError):
    """No Stripe key is configured (and the fake is not enabled)."""


def secret_key() -> str | None:
    key = current_app.config.get("STRIPE_SECRET_KEY")
    if not key and current_app.config.get("STRIPE_FAKE"):
        return FAKE_SECRET_KEY
    return key or None


def api_base() -> str | None:
    base = current_app.config.get("STRIPE_API_BASE")
    if not base and current_app.config.get("STRIPE_FAKE"):
        return fake_api_base()
    return base or None


def fake_api_base() -> str:
    """Where the demo's fake Stripe listens (``STRIPE_FAKE_PORT`` on loopback)."""
    return f"http://127.0.0.1:{int(current_app.config['STRIPE_FAKE_PORT'])}"


def webhook_secret() -> str | None:
    """The signing secret of the endpoint for events on the platform's own account."""
    secret = current_app.config.get("STRIPE_WEBHOOK_SECRET")
    if not secret and current_app.config.get("STRIPE_FAKE"):
        return str(current_app.config["STRIPE_FAKE_WEBHOOK_SECRET"])
    return secret or None


def connect_webhook_secret() -> str | None:
    """The signing secret of the endpoint for events on connected accounts."""
    secret = current_app.config.get("STRIPE_CONNECT_WEBHOOK_SECRET")
    if not secret and current_app.config.get("STRIPE_FAKE"):
        return str(current_app.config["STRIPE_FAKE_CONNECT_WEBHOOK_SECRET"])
    return secret or None


def payments_configured() -> bool:
    """Whether a Stripe key (or the local fake) is configured."""
    return secret_key() is not None


def is_simulation() -> bool:
    """True when the API base is a local fake: money moves only in its memory."""
    base = api_base()
    return payments_configured() and base is not None and _is_loopback(base)


def get_gateway() -> StripeGateway:
    """A gateway for the configured Stripe; the caller closes it (use it as a context manager)."""
    key = secret_key()
    if key is None:
        raise PaymentsNotConfigured("Payments are not configured (STRIPE_SECRET_KEY is unset).")
    return StripeGateway(
        key, api_base(), platform_country=str(current_app.config["STRIPE_PLATFORM_COUNTRY"])
    )
