"""Applicant pages: dashboard, resume upload and status, the experience profile."""

import io
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wrappers import Response

from portal.applicants import profile as profiles
from portal.applicants import services
from portal.applicants.forms import ProfileForm, ResumeForm
from portal.applications.services import answer_by, can_withdraw
from portal.auth.roles import restrict_blueprint
from portal.extensions import db, limiter
from portal.models import Resume, Role
from portal.pipeline import EXIT_REASONS, STAGES, WAITING_ON_US
from portal.projects.services.assignments import board_for
from portal.storage import get_storage
from portal.workdays import ANSWER_WITHIN

bp = Blueprint("applicants", __name__, url_prefix="/me")
restrict_blueprint(bp, Role.APPLICANT)

# The original resume files: their owner, recruiters and admins (ownership checked per file).
files_bp = Blueprint("resume_files", __name__, url_prefix="/resumes")
restrict_blueprint(files_bp, Role.APPLICANT, Role.RECRUITER, Role.ADMIN)

MIMETYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "txt": "text/plain; charset=utf-8",
}
MSG_TOO_LARGE = (
    "That file is larger than 10 MB, our limit for resumes. Export a smaller PDF (without "
    "embedded images) or upload a DOCX."
)
# Blank rows offered below the filled ones, so the form works without JavaScript.
SPARE_ROWS = {"experience": 2, "education": 1, "labelling": 1, "languages": 1}


@bp.get("/")
def dashboard() -> str:
    applicant = current_user.applicant
    return render_template(
        "applicants/dashboard.html",
        applicant=applicant,
        stage_label=STAGES[applicant.stage],
        steps=services.next_steps(current_user),
        resume=services.current_resume(applicant),
        answer_window=(
            profiles.answer_window(applicant) if applicant.profile_completed_at else None
        ),
        answer_within=ANSWER_WITHIN,
        waiting_on_us=applicant.stage in WAITING_ON_US,
        assignments=board_for(applicant),
        outcome=_outcome(applicant),
        applications=[(a, answer_by(a), can_withdraw(a)) for a in applicant.applications],
        stages=STAGES,
    )


def _outcome(applicant: Any) -> dict[str, Any] | None:
    """What is true for a failed, rejected or withdrawn applicant (the dashboard says it)."""
    if applicant.stage == "assessed_failed":
        from portal.assessment.attempts import attempts_of, eligibility_after

        scored = [a for a in attempts_of(applicant) if a.score is not None]
        latest = max(scored, key=lambda a: a.ended_at or a.deadline) if scored else None
        return {
            "kind": "failed",
            "attempt": latest,
            "retake_at": eligibility_after(applicant, latest) if latest else None,
        }
    if applicant.stage in ("rejected", "withdrawn"):
        code = applicant.exit_reason or (
            "applicant_choice" if applicant.stage == "withdrawn" else "other"
        )
        return {"kind": applicant.stage, "told": EXIT_REASONS.get(code, EXIT_REASONS["other"])[1]}
    return None


def _render_resume_page(form: ResumeForm, status: int = 200) -> tuple[str, int]:
    applicant = current_user.applicant
    resume = services.current_resume(applicant)
    return render_template(
        "applicants/resume.html",
        form=form,
        resume=resume,
        state=services.resume_status(resume),
        history=services.resume_history(applicant),
        read_only=services.read_only_reason(applicant),
    ), status


def _upload_limit() -> str:
    return current_app.config.get("RESUME_UPLOAD_RATE_LIMIT", "30 per hour")


def _user_key() -> str:
    return f"user:{current_user.id}"


@bp.route("/resume", methods=["GET", "POST"])
@limiter.limit(_upload_limit, methods=["POST"], key_func=_user_key)  # parsing costs CPU
def resume() -> tuple[str, int] | Response:
    form = ResumeForm()
    if not form.validate_on_submit():
        return _render_resume_page(form, 422 if form.errors else 200)
    upload = form.resume.data
    if upload is None or not getattr(upload, "filename", ""):
        form.resume.errors = [services.MSG_NO_FILE]
        return _render_resume_page(form, 422)
    try:
        resume = services.upload_resume(
            current_user.applicant, upload.read(), upload.filename, actor=current_user
        )
    except services.UploadError as exc:
        form.resume.errors = [str(exc)]
        closed = services.read_only_reason(current_user.applicant)
        return _render_resume_page(form, 403 if closed else 422)
    if resume.status == "parsed":
        flash("We already read this file; your profile is pre-filled from it.", "success")
    else:
        flash("Resume uploaded. We are reading it now.", "success")
    return redirect(url_for("applicants.resume"))


@bp.errorhandler(RequestEntityTooLarge)
def too_large(error: RequestEntityTooLarge) -> tuple[Any, int]:
    # CSRF protection reads the body before the role guard runs: check who is asking here.
    signed_in = current_user.is_authenticated and current_user.applicant is not None
    if request.endpoint == "applicants.resume" and signed_in:
        if request.accept_mimetypes.best == "application/json":
            return jsonify(error=MSG_TOO_LARGE, status=413), 413
        form = ResumeForm(formdata=None)
        form.resume.errors = [MSG_TOO_LARGE]
        return _render_resume_page(form, 413)
    from portal.errors import render_error

    return render_error(413)


@bp.get("/resume/status")
def resume_status() -> Response:
    """Polled by static/js/intake.js while a parse is queued or running."""
    applicant = current_user.applicant
    resume = services.current_resume(applicant)
    services.requeue_if_stale(resume)
    state = services.resume_status(resume)
    if request.args.get("prefill") and state["status"] == "parsed":
        state["prefill"] = profiles.prefill_inputs(applicant, resume)
    response = jsonify(state)
    response.headers["Cache-Control"] = "no-store"
    return response


def _profile_form(formdata: Any = None) -> tuple[ProfileForm, set[str]]:
    applicant = current_user.applicant
    data, check = profiles.prefill(applicant, services.current_resume(applicant))
    if formdata is not None:
        return ProfileForm(formdata=formdata), check  # keep "check this" on a re-rendered form
    form = ProfileForm(formdata=None, data=data)
    for name, spare in SPARE_ROWS.items():
        field = getattr(form, name)
        filled = sum(1 for entry in field.entries if not entry.form.is_blank())
        while len(field.entries) < filled + spare:
            field.append_entry()
    return form, check


def _render_profile(form: ProfileForm, check: set[str], status: int = 200) -> tuple[str, int]:
    applicant = current_user.applicant
    resume = services.current_resume(applicant)
    return render_template(
        "applicants/profile.html",
        form=form,
        check=check,
        resume=resume,
        state=services.resume_status(resume),
        hours_warning=profiles.hours_warning(form.weekly_hours.data),
        submitted=applicant.profile_completed_at is not None,
        read_only=services.read_only_reason(applicant),
    ), status


@bp.route("/profile", methods=["GET", "POST"])
def profile() -> tuple[str, int] | Response:
    if request.method == "GET":
        form, check = _profile_form()
        return _render_profile(form, check)
    form, check = _profile_form(request.form)
    read_only = services.read_only_reason(current_user.applicant)
    if read_only:
        return _render_profile(form, check, 403)  # the page says why; nothing is saved
    submitting = request.form.get("action") == "submit"
    valid = form.validate()
    if submitting:
        valid = form.validate_complete() and valid
    if not valid:
        flash("Some answers need fixing (marked below); nothing you typed was lost.", "error")
        return _render_profile(form, check, 422)
    applicant = current_user.applicant
    values = form.values()
    warning = profiles.hours_warning(values["weekly_hours"])
    if submitting:
        answer_by = profiles.submit_profile(applicant, values, actor=current_user)
        flash(
            f"Profile submitted. We will answer by {answer_by:%A %d %B %Y} "
            f"(within {ANSWER_WITHIN[1]} business days).",
            "success",
        )
        if warning:
            flash(warning, "warning")
        return redirect(url_for("applicants.dashboard"))
    profiles.save_profile(applicant, values, actor=current_user)
    flash("Draft saved. Submit the profile when you are ready.", "success")
    if warning:
        flash(warning, "warning")
    return redirect(url_for("applicants.profile"))


def _download_name(resume: Resume) -> str:
    """The uploaded name, with the extension of the type we detected."""
    stem = resume.filename.rsplit(".", 1)[0] if "." in resume.filename else resume.filename
    return f"{stem or 'resume'}.{resume.kind}"


@files_bp.get("/<int:resume_id>/download")
def download(resume_id: int) -> Response:
    """The original upload, for its owner, recruiters and admins."""
    resume = db.get_or_404(Resume, resume_id)
    storage = get_storage()
    if not services.can_download(current_user, resume) or not storage.exists(resume.sha256):
        abort(404)  # do not confirm that someone else's resume exists; or it was deleted
    with storage.open(resume.sha256) as fh:
        data = fh.read()  # at most 10 MB; closing here keeps file handles from leaking
    return send_file(
        io.BytesIO(data),
        mimetype=MIMETYPES.get(resume.kind, "application/octet-stream"),
        as_attachment=True,
        download_name=_download_name(resume),
        max_age=0,
    )
