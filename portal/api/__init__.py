"""JSON API v1 under /api/v1/: token auth, OpenAPI 3.1, a thin layer over the services.

Two blueprints: the API itself (no cookies, no CSRF, a rate limit per token, problem+json
errors; see `routing`) and the staff's Account page where tokens are made and revoked.
"""

from portal.api import account, staffing, views, work  # noqa: E402,F401,I001 - routes
from portal.api.routing import account_bp, bp

blueprints = [bp, account_bp]
