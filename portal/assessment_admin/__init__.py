"""Admin pages for the assessment: the item bank with statistics, and the guidelines."""

from flask import Blueprint

from portal.auth.roles import restrict_blueprint
from portal.models import Role

bp = Blueprint("assessment_admin", __name__, url_prefix="/admin")
restrict_blueprint(bp, Role.ADMIN)

from portal.assessment_admin import views  # noqa: E402,F401
