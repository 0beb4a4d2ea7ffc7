"""The applicant's own pages: dashboard, resume, experience form; and resume downloads."""

from flask import Blueprint

from portal.auth.roles import restrict_blueprint
from portal.models import Role

bp = Blueprint("applicants", __name__, url_prefix="/me")
restrict_blueprint(bp, Role.APPLICANT)

# The original resume files: their owner, recruiters and admins (ownership checked per file).
files_bp = Blueprint("resume_files", __name__, url_prefix="/resumes")
restrict_blueprint(files_bp, Role.APPLICANT, Role.RECRUITER, Role.ADMIN)

from portal.applicants import views  # noqa: E402,F401
from portal.resumes import tasks  # noqa: E402,F401 - registers resumes.parse with Celery
