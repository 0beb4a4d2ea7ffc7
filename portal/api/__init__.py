"""JSON API v1 under /api/v1/: token auth, OpenAPI 3.1, a thin layer over the services.

`init_app` wires it: the blueprints (the API and the staff's Account page), CSRF exemption
(the API takes no cookies), a rate limit per token, and the `create-token` command.
"""

import hashlib

from flask import Blueprint, Flask, current_app, g, request
from flask_limiter.util import get_remote_address

PREFIX = "/api/v1"
bp = Blueprint("api", __name__, url_prefix=PREFIX)
account_bp = Blueprint("account", __name__, url_prefix="/account")

# Reachable without a token: the document and its page.
PUBLIC_ENDPOINTS = frozenset({"api.openapi", "api.docs", "api.fallback"})


def rate_limit_key() -> str:
    """Limits count per token (a hash of it, never the secret); without one, per address."""
    header = request.headers.get("Authorization", "")
    if header:
        return "api-token:" + hashlib.sha256(header.encode("utf-8", "replace")).hexdigest()[:32]
    return "api-ip:" + (get_remote_address() or "")


def _rate_limit() -> str:
    return current_app.config["API_RATE_LIMIT"]


@bp.before_request
def _authenticate() -> None:
    from portal.api.problems import ApiError
    from portal.api.tokens import TokenError, authenticate

    if request.endpoint in PUBLIC_ENDPOINTS:
        return
    try:
        g.api_token = authenticate(request.headers.get("Authorization"))
    except TokenError as exc:
        raise ApiError(401, str(exc), headers={"WWW-Authenticate": "Bearer"}) from exc


def init_app(app: Flask) -> None:
    from portal.api import account, cli, problems, staffing, views  # noqa: F401 - routes
    from portal.extensions import csrf, limiter

    if not getattr(bp, "_api_wired", False):  # a blueprint is set up once per process
        problems.register(bp)
        problems.register_fallback(bp, PREFIX)
        limiter.shared_limit(_rate_limit, scope="api-v1", key_func=rate_limit_key)(bp)
        bp._api_wired = True  # type: ignore[attr-defined]
    csrf.exempt(bp)
    app.register_blueprint(bp)
    app.register_blueprint(account_bp)
    app.cli.add_command(cli.create_token_command)
