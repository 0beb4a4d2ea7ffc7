"""The gold audit: an admin sends items to a panel of trusted raters (staff), who answer blind.

Item status: ``draft`` (imported or written, never drawn) → ``audit`` (with the panel) →
``live`` (the panel agrees with the gold; its agreement becomes the gold strength) or ``review``
(the panel disagrees or splits; the item waits in the review queue, not drawn). The verdict is
``assessments.audit.panel_verdict``; it is applied once ``MIN_PANEL`` raters have answered.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from assessments.audit import MIN_PANEL, PanelVerdict, panel_verdict
from assessments.items import ItemValidationError, get_kind
from portal import audit
from portal.assessment.bank import to_engine
from portal.auth.roles import restrict_blueprint
from portal.extensions import db
from portal.models import Item, PanelAnswer, Role, User

bp = Blueprint("assessment_panel", __name__, url_prefix="/panel")
restrict_blueprint(bp, Role.ADMIN, Role.RECRUITER)


class PanelError(ValueError):
    """The answer cannot be recorded; the message says why."""


def send_to_panel(item: Item, actor: User) -> None:
    """Put a draft (or reviewed) item in front of the panel (commits)."""
    item.status = "audit"
    audit.record("item.sent_to_panel", actor=actor, subject_type="item", subject_id=item.id)
    db.session.commit()


def waiting_for(rater: User) -> list[Item]:
    """Items in audit this rater has not answered."""
    answered = select(PanelAnswer.item_id).where(PanelAnswer.rater_id == rater.id)
    return list(
        db.session.scalars(
            select(Item).where(Item.status == "audit", Item.id.not_in(answered)).order_by(Item.id)
        )
    )


def verdict(item: Item) -> PanelVerdict:
    """The panel's verdict on the item's current gold."""
    answers = db.session.scalars(select(PanelAnswer.answer).where(PanelAnswer.item_id == item.id))
    return panel_verdict(to_engine(item), list(answers))


def answer(rater: User, item: Item, raw: dict[str, Any]) -> PanelVerdict | None:
    """Record a blind answer (canonical order); apply the verdict once the panel is complete.

    Returns the verdict when it was applied. Commits.
    """
    if item.status != "audit":
        raise PanelError("This item is not with the panel.")
    engine_item = to_engine(item)
    try:
        get_kind(item.kind).validate_answer(engine_item, raw)
    except ItemValidationError as exc:
        raise PanelError(str(exc)) from exc
    mine = (PanelAnswer.item_id == item.id) & (PanelAnswer.rater_id == rater.id)
    exists = db.session.scalar(select(PanelAnswer.id).where(mine))
    if exists is not None:
        raise PanelError("You have already answered this item.")
    db.session.add(PanelAnswer(item_id=item.id, rater_id=rater.id, answer=raw))
    db.session.flush()
    result = verdict(item)
    applied = result.n >= MIN_PANEL
    if applied:
        if result.needs_review:
            item.status, item.needs_review = "review", True
        else:
            item.status, item.gold_strength = "live", result.strength
    audit.record(
        "item.panel_answered",
        actor=rater,
        subject_type="item",
        subject_id=item.id,
        n=result.n,
        verdict=result.verdict if applied else "pending",
    )
    db.session.commit()
    return result if applied else None


def parse_form(item: Item, form: Any) -> dict[str, Any]:
    """The panel form's fields → an answer in canonical order."""
    out: dict[str, Any] = {}
    if form.get("flag"):
        out["flag"] = {"reason": (form.get("flag_reason") or "").strip() or "flagged"}
    if item.kind == "pairwise":
        raw = form.get("choice", "")
        if raw.lstrip("-").isdigit():
            out["choice"] = int(raw)
    else:
        ranks = [form.get(f"rank{i}", "") for i in range(len(item.responses))]
        if all(r.isdigit() for r in ranks):
            out["ranking"] = [int(r) for r in ranks]
    return out


@bp.get("/")
def queue() -> str:
    """Items waiting for this rater's blind answer (the gold is not shown)."""
    return render_template("assessment_admin/panel.html", items=waiting_for(current_user))


@bp.post("/<int:item_id>")
def submit(item_id: int) -> Response | tuple[str, int]:
    item = db.get_or_404(Item, item_id)
    try:
        result = answer(current_user, item, parse_form(item, request.form))
    except PanelError as exc:
        flash(str(exc), "error")
        return redirect(url_for("assessment_panel.queue"))
    if result is None:
        flash("Answer saved.", "success")
    else:
        flash(f"Panel complete for item {item.id}: the panel {result.verdict}.", "success")
    return redirect(url_for("assessment_panel.queue"))
