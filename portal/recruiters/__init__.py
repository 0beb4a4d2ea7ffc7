"""The recruiter workspace: pipeline, search, candidate review, SLAs, funnel analytics."""

from portal.recruiters import tools  # noqa: F401  (its routes join the blueprint)
from portal.recruiters.views import bp

blueprints = [bp]
