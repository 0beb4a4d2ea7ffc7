"""Administration: staff accounts, the outbox and the audit trail."""

from portal.admin.views import bp

blueprints = [bp]
