"""Errors as RFC 9457 problem documents (application/problem+json), for the API blueprint only."""

import json
from typing import Any

from flask import Blueprint, Flask, current_app, request
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Response

from portal.extensions import db

PROBLEM_JSON = "application/problem+json"

TITLES = {
    400: "Bad request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    413: "Payload too large",
    415: "Unsupported media type",
    422: "Unprocessable content",
    429: "Too many requests",
    500: "Internal server error",
}


class ApiError(Exception):
    """An answer other than success; becomes a problem document."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        errors: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.errors = errors
        self.headers = headers or {}


class RequestInvalid(ApiError):
    """The request does not match the documented schema (nothing was attempted)."""


def problem(
    status: int,
    detail: str,
    *,
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
        "instance": request.path,
    }
    if errors is not None:
        body["errors"] = errors
    response = current_app.response_class(
        json.dumps(body), status=status, mimetype=PROBLEM_JSON, headers=headers
    )
    return response


def from_error(error: ApiError) -> Response:
    return problem(error.status, error.detail, errors=error.errors, headers=error.headers)


def _http_detail(error: HTTPException) -> str:
    description = error.description or ""
    if type(error).description == description or not description:
        return {
            404: "There is no such resource. See /api/v1/openapi.json for the operations.",
            405: f"{request.method} is not allowed here.",
            429: "Too many requests for this token. Wait and retry (see Retry-After).",
        }.get(error.code or 500, TITLES.get(error.code or 500, "Error") + ".")
    return description


def register(bp: Blueprint) -> None:
    """Every error inside the API blueprint answers as a problem document."""

    @bp.errorhandler(ApiError)
    def _api_error(error: ApiError) -> Response:
        return from_error(error)

    @bp.errorhandler(HTTPException)
    def _http_error(error: HTTPException) -> Response:
        code = error.code or 500
        headers = {k: v for k, v in error.get_headers() if k.lower() != "content-type"}
        return problem(code, _http_detail(error), headers=headers)

    @bp.errorhandler(Exception)
    def _unhandled(error: Exception) -> Response:
        current_app.logger.exception("unhandled API error on %s %s", request.method, request.path)
        db.session.rollback()
        return problem(500, "Something went wrong on our side. It is logged; retry later.")


def register_fallback(bp: Blueprint, prefix: str) -> None:
    """Unknown paths and wrong methods under the API's prefix: 404/405 as problems too.

    Routing fails before any blueprint is chosen, so a catch-all route of the blueprint takes
    them; it matches the path against the API's own rules to tell 404 from 405.
    """

    @bp.route("/", defaults={"rest": ""}, methods=_ALL)
    @bp.route("/<path:rest>", methods=_ALL)
    def fallback(rest: str) -> Response:
        rules = _api_map(current_app, prefix)
        try:
            rules.bind("api").match(request.path, method=request.method)
        except MethodNotAllowed as exc:
            allowed = ", ".join(sorted(exc.valid_methods or ()))
            return problem(
                405, f"{request.method} is not allowed here.", headers={"Allow": allowed}
            )
        except NotFound:
            pass
        return problem(404, _http_detail(NotFound()))


_ALL = ["GET", "POST", "PUT", "PATCH", "DELETE"]


def _api_map(app: Flask, prefix: str) -> Map:
    cached = app.extensions.get("api_rules")
    if cached is None:
        rules = [
            Rule(r.rule, methods=r.methods, endpoint=r.endpoint)
            for r in app.url_map.iter_rules()
            if r.rule.startswith(prefix) and r.endpoint != "api.fallback"
        ]
        cached = app.extensions["api_rules"] = Map(rules)
    return cached
