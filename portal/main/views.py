"""Home page, dashboard redirect and the health check."""

from flask import current_app, jsonify, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import text
from werkzeug.wrappers import Response

from portal.auth.views import dashboard_url
from portal.extensions import db
from portal.main import bp


@bp.get("/")
def index() -> str | Response:
    if current_user.is_authenticated:
        return redirect(dashboard_url(current_user))
    return render_template("main/index.html")


@bp.get("/dashboard")
@login_required
def dashboard() -> Response:
    return redirect(dashboard_url(current_user))


@bp.get("/healthz")
def healthz() -> tuple[Response, int]:
    """Report whether the database (and the broker, when configured) answer."""
    checks: dict[str, str] = {}
    healthy = True
    try:
        db.session.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - any failure means unhealthy
        checks["database"] = f"error: {exc.__class__.__name__}"
        healthy = False
    finally:
        db.session.rollback()
    if current_app.config.get("CELERY_BROKER_URL"):
        celery = current_app.extensions["celery"]
        try:
            with celery.connection_for_write() as conn:
                conn.ensure_connection(max_retries=1, timeout=2)
            checks["broker"] = "ok"
        except Exception as exc:  # noqa: BLE001
            checks["broker"] = f"error: {exc.__class__.__name__}"
            healthy = False
    else:
        checks["broker"] = "eager (no broker configured)"
    body = {"status": "ok" if healthy else "unavailable", **checks}
    return jsonify(body), 200 if healthy else 503


@bp.get("/terms")
def terms() -> str:
    return render_template("main/terms.html")


@bp.get("/favicon.ico")
def favicon() -> Response:
    return redirect(url_for("static", filename="favicon.svg"))
