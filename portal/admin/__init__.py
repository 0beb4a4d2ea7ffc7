"""Administration: staff accounts, the outbox and the audit trail."""

from flask import Blueprint

from portal.auth.roles import restrict_blueprint
from portal.models import Role

bp = Blueprint("admin", __name__, url_prefix="/admin")
restrict_blueprint(bp, Role.ADMIN)

from portal.admin import views  # noqa: E402,F401
