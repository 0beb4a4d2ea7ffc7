"""The contractor's side: offers to accept or decline, and guideline versions to acknowledge."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from portal import clock, guideline_checks
from portal.auth.roles import restrict_blueprint
from portal.extensions import db
from portal.guidelines import render_markdown
from portal.models import Applicant, Assignment, Guideline, Project, Role
from portal.offers.forms import AcceptForm, AckForm, DeclineForm
from portal.projects.services.assignments import acknowledge_guideline
from portal.projects.services.guidelines import (
    current_guideline,
    has_acknowledged,
    pending_acknowledgements,
)
from portal.projects.services.offers import (
    accept_offer,
    decline_offer,
    offers_for,
    open_offers_for,
)
from portal.projects.services.rules import AGREEMENT_VERSION, ProjectError, holds_seat

bp = Blueprint("offers", __name__, url_prefix="/me/offers")
restrict_blueprint(bp, Role.APPLICANT)


@bp.app_context_processor
def _guideline_banner() -> dict[str, object]:
    """For the banner in every page: a contractor's open offers and unacknowledged guidelines."""

    def pending_guidelines() -> list[tuple[object, object]]:
        if not current_user.is_authenticated or current_user.applicant is None:
            return []
        return pending_acknowledgements(current_user.applicant)

    def open_offers() -> list[object]:
        if not current_user.is_authenticated or current_user.applicant is None:
            return []
        return open_offers_for(current_user.applicant)

    return {"pending_guidelines": pending_guidelines, "open_offers": open_offers}


Page = str | Response | tuple[str, int]


def _me() -> Applicant:
    applicant = current_user.applicant
    if applicant is None:
        abort(403)
    return applicant


def _mine(assignment_id: int) -> Assignment:
    """One of the signed-in person's offers; anyone else's is a 404 (not even its existence)."""
    assignment = db.session.get(Assignment, assignment_id)
    if assignment is None or assignment.applicant_id != _me().id:
        abort(404)
    return assignment


@bp.get("/")
def index() -> str:
    applicant = _me()
    return render_template(
        "offers/index.html",
        assignments=offers_for(applicant),
        pending=pending_acknowledgements(applicant),
    )


@bp.get("/<int:assignment_id>")
def show(assignment_id: int) -> Page:
    assignment = _mine(assignment_id)
    return _render_offer(assignment, AcceptForm(), DeclineForm())


def _render_offer(
    assignment: Assignment, accept: AcceptForm, decline: DeclineForm, status: int = 200
) -> tuple[str, int]:
    guideline = current_guideline(assignment.project_id)
    accept.guideline_version.data = str(guideline.version) if guideline else ""
    accept.agreement_version.data = AGREEMENT_VERSION
    return render_template(
        "offers/show.html",
        assignment=assignment,
        project=assignment.project,
        guideline=guideline,
        rendered=render_markdown(guideline.body_md) if guideline else None,
        agreement_version=AGREEMENT_VERSION,
        accept=accept,
        decline=decline,
    ), status


@bp.post("/<int:assignment_id>/accept")
def accept(assignment_id: int) -> Page:
    assignment = _mine(assignment_id)
    form = AcceptForm()
    guideline = current_guideline(assignment.project_id)
    if not form.validate_on_submit():
        return _render_offer(assignment, form, DeclineForm(), 422)
    missing = False
    if guideline is not None and not form.ack_guidelines.data:
        form.ack_guidelines.errors.append("Tick to confirm you read the guidelines.")
        missing = True
    if not form.ack_agreement.data:
        form.ack_agreement.errors.append("Tick to accept the contractor agreement.")
        missing = True
    if missing:
        return _render_offer(assignment, form, DeclineForm(), 422)
    try:
        version = int(form.guideline_version.data) if form.guideline_version.data else None
    except ValueError:
        version = None
    try:
        accept_offer(
            assignment,
            _me(),
            guideline_version=version,
            agreement_version=form.agreement_version.data,
        )
    except ProjectError as exc:
        flash(str(exc), "error")
        return _render_offer(assignment, form, DeclineForm(), 422)
    flash(
        f"Welcome to “{assignment.project.title}”. Next: connect your Stripe account to get paid.",
        "success",
    )
    return redirect(url_for("offers.index"))


@bp.post("/<int:assignment_id>/decline")
def decline(assignment_id: int) -> Page:
    assignment = _mine(assignment_id)
    form = DeclineForm()
    if not form.validate_on_submit():
        return _render_offer(assignment, AcceptForm(), form, 422)
    try:
        decline_offer(assignment, _me(), reason=form.reason.data or "")
    except ProjectError as exc:
        flash(str(exc), "error")
        return redirect(url_for("offers.show", assignment_id=assignment.id))
    flash("Offer declined. We will keep matching you to other projects.", "info")
    return redirect(url_for("offers.index"))


@bp.route("/guidelines/<int:project_id>", methods=["GET", "POST"])
def guideline(project_id: int) -> Page:
    applicant = _me()
    project = db.get_or_404(Project, project_id)
    engaged = db.session.scalar(
        db.select(Assignment.id).where(
            Assignment.project_id == project.id,
            Assignment.applicant_id == applicant.id,
            holds_seat(clock.now()),
        )
    )
    if engaged is None:
        abort(404)
    current = current_guideline(project.id)
    if current is None:
        abort(404)
    form = AckForm()
    wrong: list[int] = []
    if form.validate_on_submit():
        chosen = db.session.get(Guideline, int(form.guideline_id.data or 0))
        if chosen is None or chosen.id != current.id:
            flash("A newer version was published while you read; please read it too.", "warning")
        else:
            try:
                acknowledge_guideline(applicant, current, request.form)
            except guideline_checks.CheckFailed as exc:
                wrong = exc.wrong
                form.confirm.errors = [str(exc)]
            else:
                flash(f"Thanks: version {current.version} acknowledged.", "success")
                return redirect(url_for("offers.index"))
    form.guideline_id.data = str(current.id)
    return render_template(
        "offers/guideline.html",
        project=project,
        guideline=current,
        rendered=render_markdown(current.body_md),
        acknowledged=has_acknowledged(applicant.id, current.id),
        form=form,
        wrong=wrong,
        answers=request.form,
    ), (422 if form.errors else 200)
