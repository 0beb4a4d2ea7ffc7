"""Stripe Connect onboarding, webhooks, timesheets and weekly payouts.

Three blueprints: the contractor's pages under ``/me/payments``, the admin's under
``/admin/timesheets`` and ``/admin/payouts``, and the public ``/stripe/webhook``.
"""

from portal.payments.views import admin_bp, bp, webhook_bp

blueprints = [bp, admin_bp, webhook_bp]
