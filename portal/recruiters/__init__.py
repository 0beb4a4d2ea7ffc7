"""The recruiter workspace: pipeline, search, candidate review, SLAs, funnel analytics."""

from flask import Blueprint

from portal.auth.roles import restrict_blueprint
from portal.models import Role

bp = Blueprint("recruiters", __name__, url_prefix="/recruiter")
restrict_blueprint(bp, Role.RECRUITER, Role.ADMIN)

from portal.recruiters import cli, search, tasks, views  # noqa: E402,F401 - routes, hooks, tasks
