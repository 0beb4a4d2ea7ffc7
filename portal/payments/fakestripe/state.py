"""The fake's in-memory Stripe: one object holding every resource, each in its own module."""

from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from portal.payments.fakestripe.accounts import AccountsMixin
from portal.payments.fakestripe.balance import BalanceMixin
from portal.payments.fakestripe.events import EventsMixin
from portal.payments.fakestripe.idempotency import SavedResponse
from portal.payments.fakestripe.links import AccountLink, AccountLinksMixin
from portal.payments.fakestripe.transfers import TransfersMixin
from portal.payments.fakestripe.webhooks import WebhookEndpoint, WebhookSender

FAILURE_MODES = ("500", "network", "network_after")


@dataclass
class Failure:
    """An injected failure for the next matching API request."""

    mode: str
    path_prefix: str | None = None


@dataclass
class FakeStripeState(AccountsMixin, AccountLinksMixin, BalanceMixin, TransfersMixin, EventsMixin):
    """Everything the fake knows; every public method takes ``self.lock`` itself."""

    api_key: str | None = None
    webhook_endpoints: list[WebhookEndpoint] = field(default_factory=list)
    initial_balance: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.lock = threading.RLock()
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
            self.failures: deque[Failure] = deque()
            self.request_log: list[tuple[str, str, int]] = []
            self.webhook_endpoints = list(self._configured_endpoints)

    def now(self) -> int:
        """The fake's clock (wall clock plus any test offset), in Unix seconds."""
        return int(time.time()) + self.clock_offset

    def advance_clock(self, seconds: int) -> None:
        """Move the fake's clock forward, e.g. to expire account links."""
        with self.lock:
            self.clock_offset += int(seconds)

    def fail_next(self, count: int = 1, mode: str = "500", path_prefix: str | None = None) -> None:
        """Make the next ``count`` API requests (optionally under a path) fail in ``mode``.

        ``500``: answer 500 without executing; ``network``: drop the connection without
        executing; ``network_after``: execute, then drop the connection (response lost).
        """
        if mode not in FAILURE_MODES:
            raise ValueError(f"mode must be one of {FAILURE_MODES}")
        with self.lock:
            self.failures.extend(Failure(mode, path_prefix) for _ in range(int(count)))

    def take_failure(self, path: str) -> Failure | None:
        """Pop the first injected failure that applies to ``path``."""
        with self.lock:
            for failure in self.failures:
                if failure.path_prefix is None or path.startswith(failure.path_prefix):
                    self.failures.remove(failure)
                    return failure
        return None

    def add_webhook_endpoint(self, endpoint: WebhookEndpoint) -> None:
        """Start delivering future events to ``endpoint``."""
        with self.lock:
            self.webhook_endpoints.append(endpoint)
