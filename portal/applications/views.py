"""Applying to a posting (applicants) and owning an application (recruiters): thin views."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from portal.applications import services
from portal.auth.roles import restrict_blueprint
from portal.extensions import db
from portal.models import Application, Role
from portal.redirects import safe_redirect

bp = Blueprint("applications", __name__)

# Recruiters' actions on one application.
staff_bp = Blueprint("application_staff", __name__, url_prefix="/recruiter/applications")
restrict_blueprint(staff_bp, Role.RECRUITER, Role.ADMIN)


@bp.route("/jobs/<slug>/apply", methods=["GET", "POST"])
def apply(slug: str) -> str | Response | tuple[str, int]:
    """GET: confirm; POST: apply. Visitors sign in (or sign up for this posting) first."""
    if not current_user.is_authenticated:
        return redirect(url_for("auth.signin", next=request.path, posting=slug))
    if current_user.role != Role.APPLICANT:
        abort(403)
    posting = services.posting_by_slug(slug)
    if posting is None or posting.status == "draft":
        abort(404)
    applicant = current_user.applicant
    existing = services.application_of(applicant.id, posting.id)
    if request.method == "POST":
        try:
            services.apply(applicant.id, posting.id)
        except services.ApplyError as exc:
            flash(str(exc), "error")
            return redirect(url_for("applicants.dashboard"))
        flash(f"You applied to {posting.title}.", "success")
        return redirect(url_for("applicants.dashboard"))
    problem = None if existing else services.refusal(applicant, posting)
    status = 200 if existing or not problem else 409
    return render_template(
        "applications/apply.html", posting=posting, existing=existing, problem=problem
    ), status


@bp.post("/jobs/<slug>/withdraw")
def withdraw(slug: str) -> Response:
    """The signed-in applicant withdraws their application to this posting."""
    if not current_user.is_authenticated:
        return redirect(url_for("auth.signin", next=url_for("applicants.dashboard")))
    if current_user.role != Role.APPLICANT:
        abort(403)
    posting = services.posting_by_slug(slug)
    if posting is None:
        abort(404)
    try:
        services.withdraw(current_user.applicant.id, posting.id)
    except services.ApplyError as exc:
        flash(str(exc), "error")
    else:
        flash(f"You withdrew your application to {posting.title}.", "success")
    return redirect(url_for("applicants.dashboard"))


@staff_bp.post("/<int:application_id>/owner")
def set_owner(application_id: int) -> Response:
    application = db.get_or_404(Application, application_id)
    raw = (request.form.get("owner_id") or "").strip()
    if raw == "me":
        owner_id: int | None = current_user.id
    elif raw.isdigit():
        owner_id = int(raw)
    else:
        owner_id = None
    try:
        services.set_owner(application.id, owner_id, actor=current_user)
    except services.ApplyError as exc:
        flash(str(exc), "error")
    else:
        flash("Owner cleared." if owner_id is None else "Owner set.", "success")
    back = url_for("recruiters.candidate", applicant_id=application.applicant_id)
    return redirect(safe_redirect(request.form.get("next")) or back)
