"""Events: recorded for every change, delivered to subscribed webhook endpoints, listed."""

from __future__ import annotations

import copy
import json
import threading
from typing import Any

from portal.payments.fakestripe.common import (
    StripeFault,
    new_id,
    paginate,
)
from portal.payments.fakestripe.common import (
    matches_created as _matches_created,
)
from portal.payments.fakestripe.webhooks import WebhookEndpoint, WebhookSender


class EventsMixin:
    """``/v1/events`` and webhook fan-out."""

    lock: threading.RLock
    api_version: str
    events: list[dict[str, Any]]  # oldest first
    webhook_endpoints: list[WebhookEndpoint]
    sender: WebhookSender

    def record_event(
        self,
        type_: str,
        obj: dict[str, Any],
        *,
        account: str | None = None,
        previous_attributes: dict[str, Any] | None = None,
        request: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Store an event like Stripe's and queue it for every subscribed webhook endpoint."""
        with self.lock:
            data: dict[str, Any] = {"object": copy.deepcopy(obj)}
            if previous_attributes is not None:
                data["previous_attributes"] = previous_attributes
            event: dict[str, Any] = {
                "id": new_id("evt"),
                "object": "event",
                "api_version": self.api_version,
                "created": self.now(),
                "data": data,
                "livemode": False,
                "pending_webhooks": 0,
                "request": request or {"id": None, "idempotency_key": None},
                "type": type_,
            }
            if account is not None:
                event["account"] = account
            endpoints = [e for e in self.webhook_endpoints if e.wants(event)]
            event["pending_webhooks"] = len(endpoints)
            self.events.append(event)
            payload = json.dumps(event, indent=2).encode()
            for endpoint in endpoints:
                self.sender.enqueue(endpoint, event, payload)
            return event

    def list_events(self, params: dict[str, Any], stripe_account: str | None) -> dict[str, Any]:
        """GET /v1/events: platform events, or one connected account's with ``Stripe-Account``."""
        types = params.get("types") or ([params["type"]] if params.get("type") else None)
        with self.lock:
            items = [
                e
                for e in self.events
                if e.get("account") == stripe_account
                and _matches_created(e["created"], params.get("created"))
                and (types is None or any(_type_matches(e["type"], t) for t in types))
            ]
            return paginate(items, params, "/v1/events")

    def get_event(self, event_id: str, stripe_account: str | None) -> dict[str, Any]:
        """GET /v1/events/{id}."""
        with self.lock:
            for event in self.events:
                if event["id"] == event_id and event.get("account") == stripe_account:
                    return copy.deepcopy(event)
        raise StripeFault(404, f"No such event: '{event_id}'", code="resource_missing", param="id")


def _type_matches(event_type: str, pattern: str) -> bool:
    if pattern.endswith(".*"):
        return event_type.startswith(pattern[:-1])
    return event_type == pattern
