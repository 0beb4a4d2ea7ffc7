"""Response headers, the proxy in front of the app, and the limiter's store: wired in the factory.

- Every response carries the CSP and the usual hardening headers; `form-action` admits the local
  fake Stripe (http://127.0.0.1:*) only when the demo's fake is on.
- Every response to a signed-in person (and every CSV or data export) is `Cache-Control: no-store`,
  so a shared machine's browser or a proxy keeps no personal data.
- `PROXY_FIX` (the number of proxies in front of the app) applies werkzeug's ProxyFix, so the
  sign-in limit keys on the client's address, not the proxy's.
- Under gunicorn with several workers, an in-memory limiter store counts per worker: a loud
  warning at startup, or a refusal to start with `RATELIMIT_REQUIRE_SHARED_STORAGE`.
"""

import logging
import os
import shlex
import sys
from datetime import timedelta

from flask import Flask, g, session
from sqlalchemy import inspect
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.wrappers import Response

log = logging.getLogger("portal.security")

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; frame-ancestors 'none'; form-action 'self' https://*.stripe.com{local}; "
    "base-uri 'self'; object-src 'none'"
)
# Responses that carry personal data even when the request itself was not signed in (a token).
PRIVATE_MIMETYPES = frozenset({"text/csv", "application/zip"})


class LimiterStorageError(RuntimeError):
    """Several web workers would each count rate limits on their own."""


def content_security_policy(fake_stripe: bool) -> str:
    """The CSP; the fake Stripe's local onboarding form is a form target only in the demo."""
    return CSP.format(local=" http://127.0.0.1:*" if fake_stripe else "")


def register(app: Flask) -> None:
    """Cookie flags, ProxyFix when configured, the limiter store check, headers on responses."""
    follow_session_cookie(app)
    proxies = int(app.config.get("PROXY_FIX") or 0)
    if proxies > 0:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies, x_port=proxies
        )
    check_limiter_storage(app)

    @app.after_request
    def _headers(response: Response) -> Response:
        from portal.payments.gateway import is_simulation

        headers = response.headers
        headers.setdefault("Content-Security-Policy", content_security_policy(is_simulation()))
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if app.config.get("SESSION_COOKIE_SECURE"):
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        signed_in = loaded_user_id() is not None or "_user_id" in session
        if signed_in or response.mimetype in PRIVATE_MIMETYPES or _is_attachment(response):
            headers["Cache-Control"] = "no-store"
            headers.pop("Expires", None)
        return response


def loaded_user_id() -> int | None:
    """The signed-in user's id, without a query: Flask-Login's user if a hook or the view
    loaded it (after a commit it is expired, and reading ``current_user.id`` would reload it)."""
    user = g.get("_login_user")
    if user is None:
        return None
    state = inspect(user, raiseerr=False)
    return state.identity[0] if state is not None and state.identity else None


def follow_session_cookie(app: Flask) -> None:
    """The remember-me cookie gets the session cookie's flags unless set on its own."""
    config = app.config
    for flag in ("SECURE", "HTTPONLY", "SAMESITE"):
        config.setdefault(f"REMEMBER_COOKIE_{flag}", config.get(f"SESSION_COOKIE_{flag}"))
    config.setdefault(
        "REMEMBER_COOKIE_DURATION", timedelta(days=int(config["REMEMBER_COOKIE_DAYS"]))
    )


def _is_attachment(response: Response) -> bool:
    return "attachment" in (response.headers.get("Content-Disposition") or "")


def gunicorn_workers(argv: list[str] | None = None, environ: dict[str, str] | None = None) -> int:
    """How many workers the gunicorn running this process starts (0 when not under gunicorn)."""
    argv = sys.argv if argv is None else argv
    environ = dict(os.environ if environ is None else environ)
    if not argv or not os.path.basename(argv[0]).startswith("gunicorn"):
        return 0
    tokens = shlex.split(environ.get("GUNICORN_CMD_ARGS", "")) + list(argv[1:])
    workers = int(environ.get("WEB_CONCURRENCY") or 1)
    for i, token in enumerate(tokens):
        if token in {"-w", "--workers"} and i + 1 < len(tokens) and tokens[i + 1].isdigit():
            workers = int(tokens[i + 1])
        elif token.startswith("--workers=") and token[10:].isdigit():
            workers = int(token[10:])
        elif token.startswith("-w") and token[2:].isdigit():
            workers = int(token[2:])
    return workers


def check_limiter_storage(app: Flask, workers: int | None = None) -> None:
    """Warn loudly (or refuse) when several workers would each keep their own rate counts."""
    workers = gunicorn_workers() if workers is None else workers
    storage = str(app.config.get("RATELIMIT_STORAGE_URI") or "memory://")
    if workers <= 1 or not storage.startswith("memory://"):
        return
    message = (
        f"Rate limits are kept in memory by each of {workers} gunicorn workers, so every limit "
        "(sign-in, sign-up, password reset) is multiplied by the worker count. Set "
        "RATELIMIT_STORAGE_URI=redis://… to share one count."
    )
    if app.config.get("RATELIMIT_REQUIRE_SHARED_STORAGE"):
        raise LimiterStorageError(message)
    log.warning("SECURITY WARNING: %s", message)
