"""A stateful, local fake of the slice of Stripe's API the portal uses.

The official SDK talks to it unchanged (``base_addresses`` pointed at ``FakeStripeServer.url``).
It never contacts Stripe and listens on loopback only.
"""

from portal.payments.fakestripe.accounts import ACCOUNT_PRESETS
from portal.payments.fakestripe.app import FakeStripeApp
from portal.payments.fakestripe.server import FakeStripeServer
from portal.payments.fakestripe.state import FakeStripeState
from portal.payments.fakestripe.webhooks import WebhookEndpoint, sign_payload

__all__ = [
    "ACCOUNT_PRESETS",
    "FakeStripeApp",
    "FakeStripeServer",
    "FakeStripeState",
    "WebhookEndpoint",
    "sign_payload",
]
