"""Client projects, rate cards, matching and proposals (the admin's pages under /admin/projects).

`matching` and `ratecard` are the pure core (numpy/scipy only); `services/` feeds it from the
database and holds the use cases, one module per concern; the contractor's side is `portal.offers`.
"""

from flask import Blueprint

from portal.auth.roles import restrict_blueprint
from portal.models import Role

bp = Blueprint("projects", __name__, url_prefix="/admin/projects")
restrict_blueprint(bp, Role.ADMIN)

from portal.projects import tasks, views  # noqa: E402,F401
