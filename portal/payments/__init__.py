"""Stripe Connect onboarding, webhooks, timesheets and weekly payouts.

Three blueprints: the contractor's pages under ``/me/payments``, the admin's under
``/admin/timesheets`` and ``/admin/payouts``, and the public ``/stripe/webhook``.
"""

from flask import Blueprint

from portal.auth.roles import restrict_blueprint
from portal.models import Role

bp = Blueprint("payments", __name__, url_prefix="/me/payments")
restrict_blueprint(bp, Role.APPLICANT)

admin_bp = Blueprint("payments_admin", __name__, url_prefix="/admin")
restrict_blueprint(admin_bp, Role.ADMIN)

# Public: Stripe calls it; the signature is the authentication. Also carries the CLI commands.
webhook_bp = Blueprint("stripe_webhooks", __name__, url_prefix="/stripe", cli_group=None)

blueprints = (bp, admin_bp, webhook_bp)

from portal.payments import cli, tasks, views  # noqa: E402,F401
