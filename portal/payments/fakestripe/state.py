"""The fake's in-memory Stripe: one object holding every resource, each in its own module."""

from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from portal.payments.fakestripe.accounts import AccountsMixin, previous_attributes
from portal.payments.fakestripe.balance import BalanceMixin
from portal.payments.fakestripe.common import new_id
from portal.payments.fakestripe.events import EventsMixin
from portal.payments.fakestripe.idempotency import SavedResponse
from portal.payments.fakestripe.links import AccountLink, AccountLinksMixin
from portal.payments.fakestripe.transfers import TransfersMixin
from portal.payments.fakestripe.webhooks import WebhookEndpoint, WebhookSender
from portal.payments.stripe_gateway import API_VERSION

# 500: Stripe fails before executing; 500_after: it executes, then answers 500 (both are saved
# under an idempotency key); network / network_after: the connection drops before / after
# executing (nothing answered, nothing saved as an answer); slow: answer after ``delay`` seconds.
FAILURE_MODES = ("500", "500_after", "network", "network_after", "slow")


@dataclass
class Failure:
    """An injected failure for the next matching API request."""

    mode: str
    path_prefix: str | None = None
    delay: float = 0.0
    method: str | None = None  # e.g. POST: leave GET /v1/transfers alone

    def applies(self, method: str, path: str) -> bool:
        """Whether this failure is for a request of ``method`` to ``path``."""
        if self.method is not None and self.method.upper() != method.upper():
            return False
        return self.path_prefix is None or path.startswith(self.path_prefix)


@dataclass
class FakeStripeState(AccountsMixin, AccountLinksMixin, BalanceMixin, TransfersMixin, EventsMixin):
    """Everything the fake knows; every public method takes ``self.lock`` itself."""

    api_key: str | None = None
    webhook_endpoints: list[WebhookEndpoint] = field(default_factory=list)
    initial_balance: dict[str, int] = field(default_factory=dict)
    platform_country: str = "US"
    api_version: str = API_VERSION  # the account's default; requests may name their own

    def __post_init__(self) -> None:
        self.lock = threading.RLock()
        self.platform_country = self.platform_country.upper()
        self.platform_account_id = new_id("acct", 17)
        self.sender = WebhookSender()
        self._configured_endpoints = list(self.webhook_endpoints)
        self.reset()

    def reset(self) -> None:
        """Forget objects, keys and failures; restore the constructor's balance and endpoints."""
        with self.lock:
            self.clock_offset = 0
            self.accounts: dict[str, dict[str, Any]] = {}
            self.links: dict[str, AccountLink] = {}
            self.transfers: list[dict[str, Any]] = []  # oldest first
            self.events: list[dict[str, Any]] = []  # oldest first
            self.balance: dict[str, int] = dict(self.initial_balance)
            self.idempotency: dict[tuple[str, str | None, str], SavedResponse] = {}
            self.in_flight: set[tuple[str, str | None, str]] = set()
            self.failures: deque[Failure] = deque()
            self.request_log: list[tuple[str, str, int]] = []
            self.webhook_endpoints = list(self._configured_endpoints)
            self._platform: dict[str, Any] = {
                "business_profile": {"name": "Talent Portal", "url": None},
                "charges_enabled": True,
                "country": self.platform_country,
                "details_submitted": True,
                "email": "payments@talent-portal.example",
                "payouts_enabled": True,
                "type": "standard",
            }

    def now(self) -> int:
        """The fake's clock (wall clock plus any test offset), in Unix seconds."""
        return int(time.time()) + self.clock_offset

    def advance_clock(self, seconds: int) -> None:
        """Move the fake's clock forward, e.g. to expire account links."""
        with self.lock:
            self.clock_offset += int(seconds)

    def fail_next(
        self,
        count: int = 1,
        mode: str = "500",
        path_prefix: str | None = None,
        delay: float = 0.0,
        method: str | None = None,
    ) -> None:
        """Make the next ``count`` API requests (optionally one method, under a path) fail in
        ``mode``; see ``FAILURE_MODES`` (``delay`` is the wait of ``slow``)."""
        if mode not in FAILURE_MODES:
            raise ValueError(f"mode must be one of {FAILURE_MODES}")
        with self.lock:
            self.failures.extend(
                Failure(mode, path_prefix, float(delay), method) for _ in range(int(count))
            )

    def take_failure(self, method: str, path: str) -> Failure | None:
        """Pop the first injected failure that applies to this request."""
        with self.lock:
            for failure in self.failures:
                if failure.applies(method, path):
                    self.failures.remove(failure)
                    return failure
        return None

    def add_webhook_endpoint(self, endpoint: WebhookEndpoint) -> None:
        """Start delivering future events to ``endpoint``."""
        with self.lock:
            self.webhook_endpoints.append(endpoint)

    def update_platform_account(self, **fields: Any) -> dict[str, Any]:
        """Change the platform's own account: ``account.updated`` with no ``account`` key.

        Stripe sends it only to endpoints for "Your account" events, never to Connect ones.
        """
        with self.lock:
            before = {"id": self.platform_account_id, "object": "account", **self._platform}
            self._platform.update(fields)
            after = {"id": self.platform_account_id, "object": "account", **self._platform}
            previous = previous_attributes(before, after)
            if previous:
                self.record_event("account.updated", after, previous_attributes=previous)
            return after
