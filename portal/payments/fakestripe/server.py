"""Run the fake Stripe on 127.0.0.1 in a background thread (tests) or in the foreground (demo)."""

from __future__ import annotations

import errno
import threading
from types import TracebackType
from typing import Any, Self

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from portal.payments.fakestripe.app import FakeStripeApp
from portal.payments.fakestripe.state import FakeStripeState
from portal.payments.fakestripe.webhooks import WebhookEndpoint, WebhookTarget


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


class FakeStripeServer:
    """A threaded werkzeug server for :class:`FakeStripeApp` bound to loopback.

    ``with FakeStripeServer(balance=100_00) as fake: StripeGateway("sk_test_x", fake.url)``
    """

    def __init__(
        self,
        port: int = 0,
        *,
        host: str = "127.0.0.1",
        api_key: str | None = None,
        balance: int | dict[str, int] | None = None,
        webhook_target: WebhookTarget | None = None,
        webhook_secret: str | None = None,
        connect_webhook_target: WebhookTarget | None = None,
        connect_webhook_secret: str | None = None,
        platform_country: str = "US",
        quiet: bool = True,
    ) -> None:
        if host not in ("127.0.0.1", "localhost", "::1"):
            raise ValueError("the fake only listens on loopback")
        if isinstance(balance, int):
            balance = {"usd": balance}
        endpoints = []
        for target, secret, connect in (
            (webhook_target, webhook_secret, False),
            (connect_webhook_target, connect_webhook_secret, True),
        ):
            if target is not None:
                if not secret:
                    raise ValueError("each webhook target needs its signing secret")
                endpoints.append(WebhookEndpoint(target, secret, connect))
        self.state = FakeStripeState(
            api_key=api_key,
            webhook_endpoints=endpoints,
            initial_balance=dict(balance or {}),
            platform_country=platform_country,
        )
        self.app = FakeStripeApp(self.state)
        self.host = host
        self.port = port
        self.quiet = quiet
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """Base URL to pass as ``api_base``, e.g. ``http://127.0.0.1:54321``."""
        if self._server is None:
            raise RuntimeError("FakeStripeServer is not started")
        return f"http://{self.host}:{self._server.server_port}"

    def _make(self) -> BaseWSGIServer:
        handler: Any = _QuietHandler if self.quiet else WSGIRequestHandler
        return make_server(self.host, self.port, self.app, threaded=True, request_handler=handler)

    def bind(self) -> Self:
        """Open the listening socket (port 0 picks a free one); ``OSError`` if it is taken."""
        if self._server is None:
            try:
                self._server = self._make()
            except SystemExit:  # werkzeug exits when the port is taken; a library must not
                raise OSError(errno.EADDRINUSE, "address already in use") from None
        return self

    def start(self) -> Self:
        """Bind and serve on a daemon thread."""
        if self._thread is not None:
            return self
        server = self.bind()._server
        assert server is not None
        self._thread = threading.Thread(target=server.serve_forever, name="fakestripe", daemon=True)
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Bind if needed and serve in the current thread until interrupted (the demo)."""
        server = self.bind()._server
        assert server is not None
        try:
            server.serve_forever()
        finally:
            self._server = None
            server.server_close()
            self.state.sender.close()

    def stop(self) -> None:
        """Stop serving, close the socket and the webhook sender."""
        server, thread = self._server, self._thread
        self._server = self._thread = None
        if server is not None:
            server.shutdown()
            server.server_close()
        if thread is not None:
            thread.join(timeout=5)
        self.state.sender.close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # Conveniences for tests; each mirrors a ``/_fake/...`` control endpoint.

    def set_balance(self, amount: int, currency: str = "usd") -> None:
        """Set the platform's available balance."""
        self.state.set_balance(amount, currency)

    def set_account(self, account_id: str, preset: str | None = None, **fields: Any) -> None:
        """Apply an account preset (not_started, incomplete, pending_verification, restricted,
        complete) and/or field overrides; emits ``account.updated``."""
        self.state.update_account_state(account_id, preset, **fields)

    def complete_onboarding(self, account_id: str) -> None:
        """Mark the account as fully onboarded and able to receive transfers."""
        self.state.update_account_state(account_id, "complete")

    def fail_next(
        self,
        count: int = 1,
        mode: str = "500",
        path_prefix: str | None = None,
        delay: float = 0,
        method: str | None = None,
    ) -> None:
        """Fail the next ``count`` API requests: ``500``, ``500_after``, ``network``,
        ``network_after`` or ``slow`` (see ``FAILURE_MODES``)."""
        self.state.fail_next(count, mode, path_prefix, delay, method)

    def update_platform_account(self, **fields: Any) -> None:
        """Change the platform's own account (an ``account.updated`` without ``account``)."""
        self.state.update_platform_account(**fields)

    def add_webhook_endpoint(
        self, target: WebhookTarget, secret: str, connect: bool = False
    ) -> None:
        """Deliver future platform (or, ``connect=True``, Connect) events to a URL or a
        callable ``(payload, headers) -> status``."""
        self.state.add_webhook_endpoint(WebhookEndpoint(target, secret, connect))

    def flush_webhooks(self, timeout: float = 10.0) -> bool:
        """Wait until queued webhook deliveries have been attempted."""
        return self.state.sender.flush(timeout)

    def reset(self) -> None:
        """Forget all objects, keys, failures and added endpoints."""
        self.state.reset()
