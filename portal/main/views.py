"""Home page, dashboard redirect and the health check."""

from flask import Blueprint, jsonify, redirect, render_template, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from portal.auth.views import dashboard_url
from portal.main.health import health
from portal.postings import pages
from portal.postings.board import landing_postings

bp = Blueprint("main", __name__)


@bp.get("/")
def index() -> str | Response:
    if current_user.is_authenticated:
        return redirect(dashboard_url(current_user))
    return render_template("main/index.html", postings=landing_postings(), pages=pages)


@bp.get("/dashboard")
@login_required
def dashboard() -> Response:
    return redirect(dashboard_url(current_user))


@bp.get("/healthz")
def healthz() -> tuple[Response, int]:
    """Report whether the database (and the broker, when configured) answer."""
    healthy, checks = health()
    body = {"status": "ok" if healthy else "unavailable", **checks}
    return jsonify(body), 200 if healthy else 503


@bp.get("/terms")
def terms() -> str:
    return render_template("main/terms.html")


@bp.get("/favicon.ico")
def favicon() -> Response:
    return redirect(url_for("static", filename="favicon.svg"))
