"""The applicant's privacy page: download my data, delete my data."""

import json

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_login import current_user, logout_user
from werkzeug.wrappers import Response as BaseResponse

from portal.auth.roles import restrict_blueprint
from portal.models import Role
from portal.privacy import services

bp = Blueprint("privacy", __name__, url_prefix="/me/privacy")
restrict_blueprint(bp, Role.APPLICANT)

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


@bp.post("/delete")
def delete() -> BaseResponse | tuple[str, int]:
    if request.form.get("confirm", "").strip() != CONFIRM_WORD or not current_user.check_password(
        request.form.get("password", "")
    ):
        error = f"Type {CONFIRM_WORD} and your current password to confirm."
        return render_template("privacy/index.html", confirm_word=CONFIRM_WORD, error=error), 422
    services.anonymise(current_user.applicant, actor=current_user)
    logout_user()
    flash("Your data has been deleted and your account closed.", "success")
    return redirect(url_for("main.index"))
