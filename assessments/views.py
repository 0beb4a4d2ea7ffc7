"""The one Flask-facing module of the engine: the applicant's blueprint that administers an attempt.

Pages under ``/assessment/``: the rules, the attempt (one item per page, autosaved by
``static/js/assessment.js`` and usable as plain forms without JavaScript), the guidelines and the
result. The server's clock (``portal.clock``) alone decides what is on time.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from assessments import session as engine
from assessments.items import ItemValidationError
from portal import clock
from portal.assessment import attempts
from portal.assessment.autosave import autosave as autosave_answer
from portal.assessment.bank import current_guideline
from portal.auth.roles import restrict_blueprint
from portal.extensions import db
from portal.guidelines import render_markdown
from portal.models import Applicant, Attempt, Role

bp = Blueprint("assessment", __name__, url_prefix="/assessment")
restrict_blueprint(bp, Role.APPLICANT)
blueprints = [bp]

PAIRWISE_SCALE = {
    -3: "A is much better",
    -2: "A is better",
    -1: "A is slightly better",
    0: "Tie",
    1: "B is slightly better",
    2: "B is better",
    3: "B is much better",
}
# Endpoints that need no per-request check: static files, and the autosave, which closes an
# overdue attempt itself (the engine refuses the late answer and the attempt is scored).
SELF_CLOSING = frozenset({"static", "assessment.autosave"})
TIME_UP = "The time is up: the attempt was closed and scored at its deadline."


@bp.before_app_request
def _close_overdue_attempt() -> None:
    """On every request of a signed-in applicant, close their attempt if its deadline passed."""
    if request.endpoint in SELF_CLOSING or not current_user.is_authenticated:
        return
    if current_user.role != Role.APPLICANT:  # staff: no attempt, and no query to find out
        return
    applicant = getattr(current_user, "applicant", None)
    if applicant is not None:
        attempts.close_overdue_for(applicant.id)


@bp.app_template_filter("markdown")
def markdown_filter(text: str) -> Any:
    """Render Markdown safely (raw HTML escaped)."""
    return render_markdown(text)


def _applicant() -> Applicant:
    applicant = current_user.applicant
    assert applicant is not None
    return applicant


def _current() -> Attempt | None:
    return attempts.in_progress_attempt(_applicant())


def _latest_finished() -> Attempt | None:
    return db.session.scalar(
        select(Attempt)
        .where(Attempt.applicant_id == _applicant().id, Attempt.status != "in_progress")
        .order_by(Attempt.id.desc())
        .limit(1)
    )


@bp.get("/")
def rules() -> str:
    """The rules, and a start (or resume) button when the applicant may take it."""
    cfg = attempts.settings()
    return render_template(
        "assessment/rules.html",
        cfg=cfg,
        minutes=int(cfg.time_limit.total_seconds() // 60),
        decision=attempts.eligibility(current_user),
        last=_latest_finished(),
        guideline=current_guideline(),
    )


@bp.post("/start")
def start() -> Response:
    try:
        attempt = attempts.start_attempt(current_user)
    except attempts.AssessmentError as exc:
        flash(str(exc), "warning")
        return redirect(url_for("assessment.rules"))
    return redirect(url_for("assessment.item", position=_resume_position(attempt)))


def _resume_position(attempt: Attempt) -> int:
    for ai in attempt.items:
        if not attempts.is_answered(ai.answer):
            return ai.position
    return 0


@bp.get("/attempt")
def resume() -> Response:
    attempt = _current()
    if attempt is None:
        return redirect(url_for("assessment.result"))
    return redirect(url_for("assessment.item", position=_resume_position(attempt)))


def _closed_redirect() -> Response:
    if _latest_finished() is not None:
        return redirect(url_for("assessment.result"))
    return redirect(url_for("assessment.rules"))


def _seconds_left(attempt: Attempt) -> int:
    left = engine.time_left(attempts.engine_state(attempt), clock.now())
    return int(left.total_seconds())


def _form_error(exc: ItemValidationError) -> tuple[str, str]:
    """A rejected form answer's message, and the id of the field it is about."""
    text = str(exc)
    lowered = text.lower()
    if "flag" in lowered:
        return text, "flag_reason"
    if "rationale" in lowered:
        return text, "rationale"
    return text, "answer"


def _render_item(
    attempt: Attempt,
    position: int,
    answer: dict[str, Any] | None,
    error: ItemValidationError | None = None,
) -> str:
    view = attempts.position_view(attempt, position)
    guideline = current_guideline()
    message, error_field = _form_error(error) if error is not None else (None, None)
    return render_template(
        "assessment/item.html",
        attempt=attempt,
        position=position,
        view=view,
        answer=answer or {},
        error=message,
        error_field=error_field,
        scale=PAIRWISE_SCALE,
        seconds_left=_seconds_left(attempt),
        progress=[
            {
                "position": ai.position,
                "answered": attempts.is_answered(ai.answer),
                "flagged": bool((ai.answer or {}).get("flag")),
            }
            for ai in attempt.items
        ],
        guideline=guideline,
    )


@bp.get("/attempt/<int:position>")
def item(position: int) -> str | Response:
    attempt = _current()
    if attempt is None:
        return _closed_redirect()
    if not 0 <= position < attempt.n_items:
        return redirect(url_for("assessment.item", position=0))
    try:
        attempts.show_position(attempt, position)
    except attempts.AttemptClosed:
        flash(TIME_UP, "warning")
        return _closed_redirect()
    return _render_item(attempt, position, attempt.items[position].answer)


def _answer_from_form(form: Any, kind: str, n_responses: int) -> dict[str, Any]:
    """The answer a plain (no-JavaScript) form sends, in the shape the JSON autosave uses."""
    answer: dict[str, Any] = {}
    if kind == "pairwise" and form.get("choice", "").lstrip("-").isdigit():
        answer["choice"] = int(form["choice"])
    if kind == "ranking":
        ranks = [form.get(f"rank_{i}", "") for i in range(n_responses)]
        if all(r.isdigit() for r in ranks):
            answer["ranking"] = [int(r) for r in ranks]
    if form.get("rationale", "").strip():
        answer["rationale"] = form["rationale"]
    if form.get("flag"):
        answer["flag"] = {"reason": form.get("flag_reason", "")}
    return answer


@bp.post("/attempt/<int:position>")
def save_form(position: int) -> str | Response | tuple[str, int]:
    """The no-JavaScript path: save this item's form, then go where the button says."""
    attempt = _current()
    if attempt is None or not 0 <= position < attempt.n_items:
        return _closed_redirect()
    ai = attempt.items[position]
    answer = _answer_from_form(request.form, ai.item.kind, len(ai.item.responses))
    try:
        if answer != (ai.answer or {}):
            attempts.save_answer(attempt, position, answer)
    except attempts.AttemptClosed:
        flash(TIME_UP, "warning")
        return _closed_redirect()
    except ItemValidationError as exc:
        return _render_item(attempt, position, answer, error=exc), 422
    go = request.form.get("go", "stay")
    if go == "submit":
        return redirect(url_for("assessment.confirm_submit"))
    target = {"prev": position - 1, "next": position + 1}.get(go, position)
    if go.isdigit():
        target = int(go)
    target = min(max(target, 0), attempt.n_items - 1)
    return redirect(url_for("assessment.item", position=target))


def _json_closed() -> tuple[Response, int]:
    """409 for anything sent to an attempt that is no longer open, saying why."""
    last = _latest_finished()
    message = (
        "This attempt has already been submitted; answers can no longer change."
        if last is not None and last.status == "submitted"
        else TIME_UP
        if last is not None
        else "There is no attempt in progress."
    )
    return jsonify(error=message, closed=True, result_url=url_for("assessment.result")), 409


@bp.post("/attempt/<int:position>/answer")
def autosave(position: int) -> tuple[Response, int]:
    """JSON autosave of one item: ``{"answer": {...}}`` in shown order (the cheap path)."""
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        return jsonify(error="Send a JSON object with an answer."), 400
    try:
        saved = autosave_answer(current_user.id, position, payload.get("answer"))
    except attempts.AttemptClosed:
        return _json_closed()
    except IndexError:
        return jsonify(error="No such item in this attempt."), 404
    except ItemValidationError as exc:
        return jsonify(error=str(exc)), 422
    return jsonify(
        saved=True,
        position=position,
        answered=saved.answered,
        flagged=saved.flagged,
        seconds_left=saved.seconds_left,
    ), 200


@bp.post("/attempt/events")
def event() -> tuple[Response, int]:
    """Integrity events reported by the page: ``{"kind": "paste"|"focus_loss", "position": n}``."""
    attempt = _current()
    if attempt is None:
        return _json_closed()
    payload = request.get_json(silent=True) or {}
    kind, position = payload.get("kind"), payload.get("position")
    if kind not in ("paste", "focus_loss") or not (
        position is None or (isinstance(position, int) and 0 <= position < attempt.n_items)
    ):
        return jsonify(error="Unknown event."), 400
    try:
        attempts.record_event(attempt, kind, position)
    except attempts.AttemptClosed:
        return _json_closed()
    return jsonify(recorded=True), 200


@bp.get("/attempt/submit")
def confirm_submit() -> str | Response:
    attempt = _current()
    if attempt is None:
        return _closed_redirect()
    unanswered = [ai.position for ai in attempt.items if not attempts.is_answered(ai.answer)]
    return render_template(
        "assessment/submit.html",
        attempt=attempt,
        unanswered=unanswered,
        seconds_left=_seconds_left(attempt),
    )


@bp.post("/attempt/submit")
def submit() -> Response:
    attempt = _current()
    if attempt is None:
        return _closed_redirect()
    try:
        attempts.submit_attempt(attempt)
    except attempts.AttemptClosed:
        flash(TIME_UP, "warning")
    return redirect(url_for("assessment.result"))


@bp.get("/result")
def result() -> str | Response:
    """Passed or not, and when a retake is possible; never the gold or per-item correctness."""
    if _current() is not None:
        return redirect(url_for("assessment.resume"))
    attempt = _latest_finished()
    if attempt is None:
        return redirect(url_for("assessment.rules"))
    decision = attempts.eligibility(current_user)
    return render_template(
        "assessment/result.html",
        attempt=attempt,
        retake_at=attempts.eligibility_after(_applicant(), attempt),
        decision=decision,
    )


@bp.get("/guidelines")
def guidelines() -> str:
    return render_template("assessment/guidelines.html", guideline=current_guideline())
