"""Stripe's response envelope: JSON bodies, ``Request-Id``, ``Stripe-Version`` and retry advice."""

from __future__ import annotations

import json
from typing import Any

from werkzeug.wrappers import Response

from portal.payments.fakestripe.common import StripeFault


def stripe_headers(response: Response, request_id: str, key: str | None, version: str) -> None:
    """The headers Stripe puts on every API response (the version echoes the request's)."""
    response.headers["Request-Id"] = request_id
    response.headers["Stripe-Version"] = version
    if key:
        response.headers["Idempotency-Key"] = key


def json_response(body: Any, request_id: str, key: str | None, version: str) -> Response:
    """A 200 with ``body`` as Stripe formats it."""
    response = Response(json.dumps(body, indent=2), content_type="application/json")
    stripe_headers(response, request_id, key, version)
    return response


def error_response(
    fault: StripeFault, request_id: str, key: str | None, version: str, *, retry: bool = False
) -> Response:
    """Stripe's ``{"error": ...}`` with ``Stripe-Should-Retry`` saying whether a retry can help."""
    body = fault.body()
    body["error"]["request_log_url"] = f"https://dashboard.stripe.com/test/logs/{request_id}"
    response = Response(
        json.dumps(body, indent=2), status=fault.status, content_type="application/json"
    )
    stripe_headers(response, request_id, key, version)
    response.headers["Stripe-Should-Retry"] = "true" if retry else "false"
    return response
