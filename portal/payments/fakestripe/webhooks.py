"""Stripe-style webhook signing and a background sender that delivers events to endpoints."""

from __future__ import annotations

import hashlib
import hmac
import logging
import queue
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger(__name__)

# A target is a URL or a callable ``(payload, headers) -> status`` (e.g. a Flask test client).
WebhookTarget = str | Callable[[bytes, dict[str, str]], int]


def sign_payload(payload: bytes, secret: str, timestamp: int | None = None) -> str:
    """Return the ``Stripe-Signature`` header value Stripe would send for ``payload``."""
    t = int(time.time()) if timestamp is None else int(timestamp)
    signed = f"{t}.".encode() + payload
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={t},v1={digest}"


@dataclass
class WebhookEndpoint:
    """One configured endpoint, as in Stripe's dashboard: events from "Your account" (the
    platform, ``connect=False``) or from "Connected accounts" (``connect=True``), never both."""

    target: WebhookTarget
    secret: str
    connect: bool = False

    def wants(self, event: dict[str, Any]) -> bool:
        """Whether this endpoint subscribes to ``event`` (Connect events carry ``account``)."""
        return self.connect == ("account" in event)


@dataclass
class Delivery:
    """A record of one delivery attempt, kept for tests to inspect."""

    event_id: str
    event_type: str
    target: str
    status: int | None
    error: str | None = None
    at: float = field(default_factory=time.time)


class WebhookSender:
    """Deliver events on a daemon thread after the API response, as Stripe does."""

    def __init__(self, timeout: float = 10.0) -> None:
        self.timeout = timeout
        self.deliveries: list[Delivery] = []
        self._queue: queue.Queue[tuple[WebhookEndpoint, dict[str, Any], bytes] | None] = (
            queue.Queue()
        )
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def enqueue(self, endpoint: WebhookEndpoint, event: dict[str, Any], payload: bytes) -> None:
        """Queue one event for delivery to one endpoint."""
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._run, name="fakestripe-webhooks", daemon=True
                )
                self._thread.start()
        self._queue.put((endpoint, event, payload))

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait until every queued event has been attempted; False on timeout."""
        deadline = time.monotonic() + timeout
        while self._queue.unfinished_tasks:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.01)
        return True

    def close(self) -> None:
        """Stop the delivery thread (pending events are attempted first)."""
        with self._lock:
            thread, self._thread = self._thread, None
        if thread is not None:
            self._queue.put(None)
            thread.join(timeout=self.timeout + 1)

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            try:
                if item is None:
                    return
                self._deliver(*item)
            finally:
                self._queue.task_done()

    def _deliver(self, endpoint: WebhookEndpoint, event: dict[str, Any], payload: bytes) -> None:
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
            "Stripe-Signature": sign_payload(payload, endpoint.secret),
        }
        status: int | None = None
        error: str | None = None
        target_name = endpoint.target if isinstance(endpoint.target, str) else repr(endpoint.target)
        try:
            if isinstance(endpoint.target, str):
                request = urllib.request.Request(
                    endpoint.target, data=payload, headers=headers, method="POST"
                )
                try:
                    with urllib.request.urlopen(request, timeout=self.timeout) as response:
                        status = response.status
                except urllib.error.HTTPError as exc:
                    status = exc.code
                    exc.close()
            else:
                status = int(endpoint.target(payload, headers))
        except Exception as exc:  # a failing endpoint must not kill the sender
            error = f"{type(exc).__name__}: {exc}"
            log.warning("webhook delivery of %s to %s failed: %s", event["id"], target_name, error)
        self.deliveries.append(Delivery(event["id"], event["type"], target_name, status, error))
