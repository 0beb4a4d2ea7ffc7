"""The recruiter workspace: pipeline, search, candidate review, SLAs, funnel analytics."""

from portal.recruiters.views import bp

blueprints = [bp]
