"""Applications per posting: applying, the applicant's list, and candidate owners."""

from portal.applications.views import bp, staff_bp

blueprints = [bp, staff_bp]
