"""The applicant's privacy page: download my data, delete my data."""

import json

from flask import Response, abort, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user, logout_user
from sqlalchemy import select
from werkzeug.wrappers import Response as BaseResponse

from portal.extensions import db
from portal.models import Resume
from portal.privacy import bp, services
from portal.recruiters.files import resume_path

CONFIRM_WORD = "DELETE"


@bp.get("/")
def index() -> str:
    return render_template("privacy/index.html", confirm_word=CONFIRM_WORD, error=None)


@bp.get("/export.json")
def export() -> Response:
    data = services.export_data(current_user.applicant)
    return Response(
        json.dumps(data, indent=2, ensure_ascii=False),
        mimetype="application/json",
        headers={"Content-Disposition": 'attachment; filename="my-talent-portal-data.json"'},
    )


@bp.get("/resumes/<int:resume_id>")
def resume(resume_id: int) -> BaseResponse:
    """The applicant's own resume file; anyone else's is a 404 (not even a hint it exists)."""
    row = db.session.scalar(
        select(Resume).where(
            Resume.id == resume_id, Resume.applicant_id == current_user.applicant.id
        )
    )
    path = resume_path(row) if row is not None else None
    if path is None:
        abort(404)
    return send_file(path, as_attachment=True, download_name=row.filename or "resume")


@bp.post("/delete")
def delete() -> BaseResponse | tuple[str, int]:
    if request.form.get("confirm", "").strip() != CONFIRM_WORD or not current_user.check_password(
        request.form.get("password", "")
    ):
        error = f"Type {CONFIRM_WORD} and your current password to confirm."
        return render_template("privacy/index.html", confirm_word=CONFIRM_WORD, error=error), 422
    services.anonymise(current_user.applicant, actor=current_user)
    db.session.commit()
    logout_user()
    flash("Your data has been deleted and your account closed.", "success")
    return redirect(url_for("main.index"))
