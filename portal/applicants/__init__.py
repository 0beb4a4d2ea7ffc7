"""The applicant's own pages: dashboard, resume, experience form; and resume downloads."""

from portal.applicants.views import bp, files_bp

blueprints = [bp, files_bp]
