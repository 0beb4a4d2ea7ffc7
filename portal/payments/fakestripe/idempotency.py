"""Stripe's idempotency layer, as Stripe documents it.

- The first request with a key runs; what it answered is SAVED under (API key, account, key) for
  24 hours, errors included once the endpoint began executing (a 500 too), and replayed to every
  retry with ``Idempotent-Replayed: true``. A saved 500 therefore stays a 500 for a day: only a
  new key can succeed.
- Validation failures are not saved (the same key can be used again with fixed parameters).
- A retry with different parameters is refused (400 ``idempotency_error``).
- A retry while the first request is still running gets 409 with ``Stripe-Should-Retry: true``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from werkzeug.wrappers import Response

from portal.payments.fakestripe.common import StripeFault
from portal.payments.fakestripe.responses import error_response, stripe_headers

if TYPE_CHECKING:
    from portal.payments.fakestripe.state import FakeStripeState

IDEMPOTENCY_TTL_SECONDS = 24 * 3600

Scope = tuple[str, str | None, str]


@dataclass
class SavedResponse:
    """What the idempotency layer replays for a key."""

    method: str
    path: str
    params: dict[str, Any]
    status: int
    body: bytes
    created: int


def run_once(
    state: FakeStripeState,
    scope: Scope,
    signature: tuple[str, str, dict[str, Any]],
    request_id: str,
    version: str,
    execute: Callable[[], tuple[Response, bool]],
) -> Response:
    """Execute ``execute`` at most once per key; ``execute`` says whether its answer is saved."""
    key = scope[2]
    with state.lock:
        saved = state.idempotency.get(scope)
        if saved is not None and state.now() - saved.created > IDEMPOTENCY_TTL_SECONDS:
            del state.idempotency[scope]
            saved = None
        if saved is not None:
            if (saved.method, saved.path, saved.params) != signature:
                fault = StripeFault(
                    400,
                    "Keys for idempotent requests can only be used with the same parameters "
                    "they were first used with. Try using a key other than "
                    f"'{key}' if you meant to execute a different request.",
                    type_="idempotency_error",
                )
                return error_response(fault, request_id, key, version)
            response = Response(saved.body, status=saved.status, content_type="application/json")
            stripe_headers(response, request_id, key, version)
            response.headers["Idempotent-Replayed"] = "true"
            if saved.status >= 400:
                response.headers["Stripe-Should-Retry"] = "false"
            return response
        if scope in state.in_flight:
            fault = StripeFault(
                409,
                "There is currently another in-progress request using this idempotent key "
                "(that probably means you submitted twice, and the other request is still "
                f"going through): {key}. Please try again later.",
                code="idempotency_key_in_use",
            )
            return error_response(fault, request_id, key, version, retry=True)
        state.in_flight.add(scope)
    try:
        response, store = execute()
    finally:
        with state.lock:
            state.in_flight.discard(scope)
    if store:
        with state.lock:
            method, path, params = signature
            state.idempotency[scope] = SavedResponse(
                method=method,
                path=path,
                params=params,
                status=response.status_code,
                body=response.get_data(),
                created=state.now(),
            )
    return response
