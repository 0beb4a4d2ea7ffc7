"""Error pages that match the site, and JSON errors for clients that ask for JSON."""

from flask import Flask, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

MESSAGES = {
    400: "The request could not be understood.",
    403: "You do not have access to this page.",
    404: "We could not find that page.",
    405: "That action is not allowed here.",
    413: "That file is too large. The limit is 10 MB.",
    429: "Too many attempts. Wait a minute and try again.",
    500: "Something went wrong on our side. We have been notified.",
}


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


def render_error(code: int, message: str | None = None) -> tuple[str | Response, int]:
    message = message or MESSAGES.get(code, "Something went wrong.")
    if _wants_json():
        return jsonify(error=message, status=code), code
    return render_template("errors/error.html", code=code, message=message), code


def register_errorhandlers(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> tuple[str | Response, int]:
        return render_error(
            400,
            "This form has expired or was not sent from this site. Reload the page and try again.",
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[str | Response, int] | HTTPException:
        if error.code is None or error.code < 400:
            return error
        # abort(404, "No such project.") carries a message for the person; keep it.
        custom = error.description != type(error).description and error.code not in (413, 429)
        return render_error(error.code, error.description if custom else None)

    @app.errorhandler(Exception)
    def unhandled(error: Exception) -> tuple[str | Response, int]:
        app.logger.exception("unhandled error on %s %s", request.method, request.path)
        from portal.extensions import db

        db.session.rollback()
        return render_error(500)
