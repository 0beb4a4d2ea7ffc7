"""An applicant's own data: download it as JSON, or have it deleted (anonymised)."""

from flask import Blueprint

from portal.auth.roles import restrict_blueprint
from portal.models import Role

bp = Blueprint("privacy", __name__, url_prefix="/me/privacy")
restrict_blueprint(bp, Role.APPLICANT)

from portal.privacy import views  # noqa: E402,F401
