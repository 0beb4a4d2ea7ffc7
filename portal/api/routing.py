"""The API's blueprints and what applies to all of their requests: authentication by token,
CSRF exemption, the per-token rate limit and problem+json errors."""

import hashlib

from flask import Blueprint, current_app, g, request
from flask_limiter.util import get_remote_address

from portal.api import problems
from portal.extensions import csrf, limiter

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
    from portal.api.tokens import TokenError, authenticate

    if request.endpoint in PUBLIC_ENDPOINTS:
        return
    try:
        g.api_token = authenticate(request.headers.get("Authorization"))
    except TokenError as exc:
        raise problems.ApiError(401, str(exc), headers={"WWW-Authenticate": "Bearer"}) from exc


csrf.exempt(bp)  # bearer tokens only: a browser's cookies carry no authority here
limiter.shared_limit(_rate_limit, scope="api-v1", key_func=rate_limit_key)(bp)
problems.register(bp)
problems.register_fallback(bp, PREFIX)
