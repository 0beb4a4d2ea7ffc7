"""The fake Stripe API as a werkzeug WSGI application."""

from __future__ import annotations

import base64
import contextlib
import html
import json
import socket
import time
from collections.abc import Callable, Iterable
from typing import Any

from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from portal.payments.fakestripe.common import StripeFault, new_id
from portal.payments.fakestripe.encoding import decode_form
from portal.payments.fakestripe.idempotency import run_once
from portal.payments.fakestripe.responses import error_response, json_response
from portal.payments.fakestripe.state import Failure, FakeStripeState
from portal.payments.fakestripe.webhooks import WebhookEndpoint

_API = Map(
    [
        Rule("/v1/accounts", methods=["POST"], endpoint="create_account"),
        Rule("/v1/accounts/<account_id>", methods=["GET"], endpoint="get_account"),
        Rule("/v1/account_links", methods=["POST"], endpoint="create_account_link"),
        Rule("/v1/balance", methods=["GET"], endpoint="get_balance"),
        Rule("/v1/transfers", methods=["POST"], endpoint="create_transfer"),
        Rule("/v1/transfers", methods=["GET"], endpoint="list_transfers"),
        Rule("/v1/transfers/<transfer_id>", methods=["GET"], endpoint="get_transfer"),
        Rule("/v1/events", methods=["GET"], endpoint="list_events"),
        Rule("/v1/events/<event_id>", methods=["GET"], endpoint="get_event"),
    ]
)

_PAGES = Map(
    [
        Rule("/", methods=["GET"], endpoint="index"),
        Rule("/onboard/<account_id>/<token>", methods=["GET"], endpoint="onboard_page"),
        Rule("/onboard/<account_id>/<token>", methods=["POST"], endpoint="onboard_submit"),
        Rule("/_fake/reset", methods=["POST"], endpoint="ctl_reset"),
        Rule("/_fake/balance", methods=["POST"], endpoint="ctl_balance"),
        Rule("/_fake/accounts/<account_id>", methods=["POST"], endpoint="ctl_account"),
        Rule("/_fake/platform_account", methods=["POST"], endpoint="ctl_platform_account"),
        Rule(
            "/_fake/accounts/<account_id>/complete_onboarding",
            methods=["POST"],
            endpoint="ctl_complete",
        ),
        Rule("/_fake/fail", methods=["POST"], endpoint="ctl_fail"),
        Rule("/_fake/clock", methods=["POST"], endpoint="ctl_clock"),
        Rule("/_fake/webhook_endpoints", methods=["POST"], endpoint="ctl_webhook_endpoint"),
        Rule("/_fake/webhooks/flush", methods=["POST"], endpoint="ctl_flush"),
        Rule("/_fake/webhooks/deliveries", methods=["GET"], endpoint="ctl_deliveries"),
        Rule("/_fake/requests", methods=["GET"], endpoint="ctl_requests"),
    ]
)


class _ConnectionDropped(ConnectionAbortedError):
    """Raised after closing the socket so werkzeug treats the request as a dropped connection."""


class FakeStripeApp:
    """WSGI callable: ``/v1/...`` speaks Stripe, ``/onboard/...`` is the hosted onboarding page,
    ``/_fake/...`` lets tests steer the fake (no auth)."""

    def __init__(self, state: FakeStripeState | None = None) -> None:
        self.state = state or FakeStripeState()

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        request = Request(environ)
        response = self._api(request) if request.path.startswith("/v1/") else self._page(request)
        return response(environ, start_response)

    # -- the API ------------------------------------------------------------------------------

    def _api(self, request: Request) -> Response:
        request_id = new_id("req", 16)
        state = self.state
        version = request.headers.get("Stripe-Version") or state.api_version
        api_key = _api_key(request)
        if api_key is None:
            fault = StripeFault(
                401,
                "You did not provide an API key. You need to provide your API key in the "
                "Authorization header, using Bearer auth (e.g. 'Authorization: Bearer "
                "YOUR_SECRET_KEY').",
            )
            return self._log(request, error_response(fault, request_id, None, version))
        if not api_key.startswith(("sk_test_", "rk_test_")) or (
            state.api_key is not None and api_key != state.api_key
        ):
            masked = api_key[:8] + "*" * 10 + api_key[-4:] if len(api_key) > 12 else api_key
            fault = StripeFault(401, f"Invalid API Key provided: {masked}")
            return self._log(request, error_response(fault, request_id, None, version))

        failure = state.take_failure(request.method, request.path)
        if failure is not None and failure.mode == "network":
            self._drop(request)
        params = decode_form(
            request.form.items(multi=True)
            if request.method == "POST"
            else request.args.items(multi=True)
        )
        key = request.headers.get("Idempotency-Key")

        def execute() -> tuple[Response, bool]:
            return self._execute(request, params, request_id, key, version, failure)

        if request.method == "POST" and key:
            scope = (api_key, request.headers.get("Stripe-Account"), key)
            signature = (request.method, request.path, params)
            response = run_once(state, scope, signature, request_id, version, execute)
        else:
            response = execute()[0]
        if failure is not None and failure.mode == "network_after":
            self._drop(request)
        return self._log(request, response)

    def _execute(
        self,
        request: Request,
        params: dict[str, Any],
        request_id: str,
        key: str | None,
        version: str,
        failure: Failure | None,
    ) -> tuple[Response, bool]:
        """Answer the request; the flag says whether Stripe would save the answer for its key."""
        mode = failure.mode if failure is not None else None
        if mode == "500":
            return error_response(_internal_error(), request_id, key, version, retry=not key), True
        if mode == "slow" and failure is not None:
            time.sleep(failure.delay)
        response, saved = self._route(request, params, request_id, key, version)
        if mode == "500_after":  # it ran (money may have moved), but the answer is a 500
            return error_response(_internal_error(), request_id, key, version, retry=not key), True
        return response, saved

    def _route(
        self,
        request: Request,
        params: dict[str, Any],
        request_id: str,
        key: str | None,
        version: str,
    ) -> tuple[Response, bool]:
        adapter = _API.bind_to_environ(request.environ)
        try:
            endpoint, args = adapter.match()
        except (NotFound, MethodNotAllowed):
            fault = StripeFault(
                404,
                f"Unrecognized request URL ({request.method}: {request.path}). Please see "
                "https://stripe.com/docs or we can help at https://support.stripe.com/.",
                saved=False,
            )
            return error_response(fault, request_id, key, version), False
        meta = {"id": request_id, "idempotency_key": key}
        stripe_account = request.headers.get("Stripe-Account")
        state = self.state
        try:
            if endpoint == "create_account":
                body = state.create_account(params, meta)
            elif endpoint == "get_account":
                body = state.get_account(args["account_id"])
            elif endpoint == "create_account_link":
                body = state.create_account_link(params, request.host_url, meta)
            elif endpoint == "get_balance":
                body = state.get_balance()
            elif endpoint == "create_transfer":
                body = state.create_transfer(params, meta)
            elif endpoint == "list_transfers":
                body = state.list_transfers(params)
            elif endpoint == "get_transfer":
                body = state.get_transfer(args["transfer_id"])
            elif endpoint == "list_events":
                body = state.list_events(params, stripe_account)
            else:
                body = state.get_event(args["event_id"], stripe_account)
        except StripeFault as fault:
            return error_response(fault, request_id, key, version), fault.saved
        return json_response(body, request_id, key, version), True

    def _drop(self, request: Request) -> None:
        sock = request.environ.get("werkzeug.socket")
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        self.state.request_log.append((request.method, request.path, 0))
        raise _ConnectionDropped("fakestripe: simulated network failure")

    def _log(self, request: Request, response: Response) -> Response:
        self.state.request_log.append((request.method, request.path, response.status_code))
        return response

    # -- onboarding pages and control endpoints ----------------------------------------------

    def _page(self, request: Request) -> Response:
        adapter = _PAGES.bind_to_environ(request.environ)
        try:
            endpoint, args = adapter.match()
            return getattr(self, endpoint)(request, **args)
        except HTTPException as exc:
            return exc.get_response(request.environ)  # type: ignore[return-value]
        except (KeyError, ValueError, TypeError) as exc:
            return _json({"error": {"type": "fake_error", "message": str(exc)}}, 400)

    def index(self, request: Request) -> Response:
        """A short page saying what this server is."""
        return Response(
            "fakestripe: a local stand-in for api.stripe.com (test mode). "
            f"Point the SDK at {request.host_url.rstrip('/')}.\n",
            content_type="text/plain",
        )

    def onboard_page(self, request: Request, account_id: str, token: str) -> Response:
        """Stripe's hosted onboarding, reduced to three buttons."""
        link, usable = self.state.open_link(account_id, token)
        if link is None:
            return Response(
                _page_html("Link not found", "<p>This link is invalid.</p>"),
                404,
                content_type="text/html",
            )
        if not usable:
            return _redirect(link.refresh_url)
        account = self.state.get_account(account_id)
        due = account["requirements"]["currently_due"]
        due_html = "".join(f"<li>{html.escape(item)}</li>" for item in due) or "<li>nothing</li>"
        action = html.escape(f"/onboard/{account_id}/{token}")
        body = f"""
<p>Connected account <code>{html.escape(account_id)}</code>
({html.escape(str(account.get("email") or "no email"))})</p>
<p>Stripe still needs:</p><ul>{due_html}</ul>
<form method="post" action="{action}">
  <button type="submit" name="action" value="complete">Complete onboarding</button>
  <button type="submit" name="action" value="pending">Submit for verification</button>
  <button type="submit" name="action" value="exit">Save and exit</button>
</form>"""
        return Response(_page_html("Set up payouts", body), content_type="text/html")

    def onboard_submit(self, request: Request, account_id: str, token: str) -> Response:
        """Apply the chosen outcome once and send the browser to return_url."""
        target = self.state.finish_link(account_id, token, request.form.get("action", "exit"))
        if target is None:
            raise NotFound()
        return _redirect(target)

    def ctl_reset(self, request: Request) -> Response:
        """Forget everything."""
        self.state.reset()
        return _json({"ok": True})

    def ctl_balance(self, request: Request) -> Response:
        """Body ``{"amount": 100000, "currency": "usd"}`` sets the available balance."""
        data = _body(request)
        self.state.set_balance(int(data["amount"]), data.get("currency", "usd"))
        return _json(self.state.get_balance())

    def ctl_account(self, request: Request, account_id: str) -> Response:
        """Body ``{"preset": "restricted", "disabled_reason": "rejected.fraud", ...}``."""
        data = _body(request)
        preset = data.pop("preset", None)
        return _json(self.state.update_account_state(account_id, preset, **data))

    def ctl_platform_account(self, request: Request) -> Response:
        """Body: fields of the platform's own account; emits a platform ``account.updated``."""
        return _json(self.state.update_platform_account(**_body(request)))

    def ctl_complete(self, request: Request, account_id: str) -> Response:
        """Finish onboarding without the browser."""
        return _json(self.state.update_account_state(account_id, "complete"))

    def ctl_fail(self, request: Request) -> Response:
        """Body ``{"count": 1, "mode": one of FAILURE_MODES, "path_prefix": …, "delay": s,
        "method": "POST"}``."""
        data = _body(request)
        self.state.fail_next(
            int(data.get("count", 1)),
            str(data.get("mode", "500")),
            data.get("path_prefix"),
            float(data.get("delay", 0)),
            data.get("method"),
        )
        return _json({"ok": True, "pending": len(self.state.failures)})

    def ctl_clock(self, request: Request) -> Response:
        """Body ``{"advance": seconds}`` moves the fake's clock forward."""
        self.state.advance_clock(int(_body(request)["advance"]))
        return _json({"now": self.state.now()})

    def ctl_webhook_endpoint(self, request: Request) -> Response:
        """Body ``{"url": …, "secret": "whsec_…", "connect": false | true}``."""
        data = _body(request)
        self.state.add_webhook_endpoint(
            WebhookEndpoint(str(data["url"]), str(data["secret"]), bool(data.get("connect")))
        )
        return _json({"ok": True})

    def ctl_flush(self, request: Request) -> Response:
        """Wait for queued webhook deliveries."""
        return _json({"ok": self.state.sender.flush()})

    def ctl_deliveries(self, request: Request) -> Response:
        """Every webhook delivery attempt so far."""
        return _json({"data": [vars(d) for d in self.state.sender.deliveries]})

    def ctl_requests(self, request: Request) -> Response:
        """Every API request so far as ``[method, path, status]`` (status 0: dropped)."""
        return _json({"data": [list(r) for r in self.state.request_log]})


def _api_key(request: Request) -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    if scheme.lower() == "basic" and value.strip():
        try:
            user = base64.b64decode(value.strip()).decode().partition(":")[0]
        except ValueError:
            return None
        return user or None
    return None


def _internal_error() -> StripeFault:
    return StripeFault(500, "An unknown error occurred", type_="api_error")


def _json(data: Any, status: int = 200) -> Response:
    return Response(
        json.dumps(data, indent=2, default=str), status=status, content_type="application/json"
    )


def _body(request: Request) -> dict[str, Any]:
    if request.is_json:
        data = request.get_json(silent=True)
        return dict(data) if isinstance(data, dict) else {}
    return dict(request.form.items())


def _redirect(url: str) -> Response:
    return Response("", status=303, headers={"Location": url})


def _page_html(title: str, body: str) -> str:
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)} · fakestripe</title></head>
<body><h1>{html.escape(title)}</h1>{body}
<p><small>fakestripe test-mode onboarding: nothing here talks to Stripe.</small></p></body></html>
"""
