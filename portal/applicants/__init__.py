"""The applicant's own pages: dashboard, resume, experience form."""

from flask import Blueprint

from portal.auth.roles import restrict_blueprint
from portal.models import Role

bp = Blueprint("applicants", __name__, url_prefix="/me")
restrict_blueprint(bp, Role.APPLICANT)

from portal.applicants import views  # noqa: E402,F401
