"""Admin pages: clients, projects, matches, the global proposal, offers, rate card, guidelines."""

from collections.abc import Callable
from datetime import date, timedelta

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload
from werkzeug.wrappers import Response

from portal import clock, guideline_checks
from portal.auth.roles import restrict_blueprint
from portal.extensions import db
from portal.guidelines import render_markdown
from portal.models import Applicant, Assignment, Client, Guideline, Project, ProposalRun, Role
from portal.money import format_cents
from portal.projects import matching
from portal.projects.forms import (
    ClientForm,
    GuidelineForm,
    OfferForm,
    ProjectForm,
    ProposalForm,
    RateCardForm,
    dollars,
    to_cents,
)
from portal.projects.ratecard import quote_rate
from portal.projects.services.assignments import (
    LifecycleError,
    close_project,
    end,
    pause,
    resume,
)
from portal.projects.services.clients import save_client, save_project
from portal.projects.services.features import features_for, requirements, seats_filled
from portal.projects.services.guidelines import (
    acknowledgement_status,
    current_guideline,
    publish_guideline,
)
from portal.projects.services.matches import candidate_matches, project_matches
from portal.projects.services.offers import accept_proposal, make_offer, withdraw_offer
from portal.projects.services.proposal_runs import (
    latest_run,
    run_result,
    run_status,
    start_proposal_run,
)
from portal.projects.services.ratecards import (
    EXAMPLE_PERSON,
    current_rate_card,
    quote_for,
    save_rate_card,
)
from portal.projects.services.rules import (
    CANDIDATE_STAGES,
    PROJECT_STATUSES,
    ProjectError,
    live_offer,
)
from portal.projects.tasks import run_proposal_task

bp = Blueprint("projects", __name__, url_prefix="/admin/projects")
restrict_blueprint(bp, Role.ADMIN)

Page = str | Response | tuple[str, int]


@bp.get("/")
def index() -> str:
    status = request.args.get("status")
    query = (
        select(Project)
        .options(joinedload(Project.client))
        .order_by(Project.status != "open", Project.created_at.desc())
    )
    if status in PROJECT_STATUSES:
        query = query.where(Project.status == status)
    page = db.paginate(query, per_page=25)
    filled = seats_filled([p.id for p in page.items])
    open_offers = db.session.scalar(select(func.count()).where(live_offer(clock.now())))
    return render_template(
        "projects/index.html",
        page=page,
        filled=filled,
        status=status,
        statuses=PROJECT_STATUSES,
        open_offers=open_offers,
    )


def _client_choices(form: ProjectForm) -> None:
    form.client_id.choices = {
        c.id: c.name for c in db.session.scalars(select(Client).order_by(Client.name))
    }


@bp.route("/new", methods=["GET", "POST"])
def create() -> Page:
    form = ProjectForm()
    _client_choices(form)
    if not form.client_id.choices:
        flash("Add a client first: every project belongs to one.", "info")
        return redirect(url_for("projects.clients"))
    if form.validate_on_submit():
        project = save_project(
            None, form.values(), actor=current_user, guideline_md=form.guideline_md.data
        )
        flash(f"Project “{project.title}” created.", "success")
        return redirect(url_for("projects.show", project_id=project.id))
    return render_template("projects/form.html", form=form, project=None), (
        422 if form.errors else 200
    )


@bp.route("/<int:project_id>/edit", methods=["GET", "POST"])
def edit(project_id: int) -> Page:
    project = db.get_or_404(Project, project_id)
    form = ProjectForm()
    _client_choices(form)
    if request.method == "GET":
        form.fill(project)
    elif form.validate_on_submit():
        try:
            save_project(project, form.values(), actor=current_user)
        except ProjectError as exc:
            form.headcount.errors.append(str(exc))
        else:
            flash("Project saved.", "success")
            return redirect(url_for("projects.show", project_id=project.id))
    return render_template("projects/form.html", form=form, project=project), (
        422 if form.errors else 200
    )


@bp.get("/<int:project_id>")
def show(project_id: int) -> str:
    project = db.get_or_404(Project, project_id)
    assignments = list(
        db.session.scalars(
            select(Assignment)
            .where(Assignment.project_id == project.id)
            .order_by(Assignment.offered_at.desc(), Assignment.id.desc())
        )
    )
    people = {
        a.id: a
        for a in db.session.scalars(
            select(Applicant).where(Applicant.id.in_({x.applicant_id for x in assignments}))
        )
    }
    return render_template(
        "projects/show.html",
        project=project,
        assignments=assignments,
        people=people,
        filled=seats_filled([project.id]).get(project.id, 0),
        guideline=current_guideline(project.id),
        acks=acknowledgement_status(project),
    )


@bp.get("/<int:project_id>/matches")
def matches(project_id: int) -> str:
    project = db.get_or_404(Project, project_id)
    show_ineligible = request.args.get("ineligible") == "1"
    result = project_matches(project, include_ineligible=show_ineligible)
    return render_template(
        "projects/matches.html",
        project=project,
        result=result,
        show_ineligible=show_ineligible,
    )


@bp.get("/candidates")
def candidate_lookup() -> Page:
    raw = (request.args.get("applicant_id") or "").strip()
    if raw:
        if raw.isdigit() and db.session.get(Applicant, int(raw)) is not None:
            return redirect(url_for("projects.candidate", applicant_id=int(raw)))
        flash(f"No applicant with id {raw}.", "warning")
    recent = list(
        db.session.scalars(
            select(Applicant)
            .where(Applicant.stage.in_(CANDIDATE_STAGES), Applicant.deleted_at.is_(None))
            .order_by(Applicant.stage_changed_at.desc())
            .limit(30)
        )
    )
    return render_template("projects/candidate_lookup.html", recent=recent, raw=raw)


@bp.get("/candidates/<int:applicant_id>")
def candidate(applicant_id: int) -> str:
    applicant = db.get_or_404(Applicant, applicant_id)
    features = features_for([applicant])[applicant.id]
    return render_template(
        "projects/candidate.html",
        applicant=applicant,
        features=features,
        fits=candidate_matches(applicant),
    )


@bp.route("/<int:project_id>/offer/<int:applicant_id>", methods=["GET", "POST"])
def offer(project_id: int, applicant_id: int) -> Page:
    project = db.get_or_404(Project, project_id)
    applicant = db.get_or_404(Applicant, applicant_id)
    features = features_for([applicant])[applicant.id]
    quote = quote_for(project, features)
    explanation = matching.explain(features, requirements(project))
    form = OfferForm()
    if request.method == "GET":
        form.rate.data = dollars(quote.cents)
        form.hours.data = max(
            project.hours_min, min(project.hours_max, applicant.weekly_hours or 0)
        )
        form.starts_on.data = project.starts_on
    elif form.validate_on_submit():
        rate_cents = to_cents(form.rate.data)
        if not project.rate_min_cents <= (rate_cents or 0) <= project.rate_max_cents:
            form.rate.errors.append(
                f"Keep the rate within the project's band "
                f"({format_cents(project.rate_min_cents, project.currency)}–"
                f"{format_cents(project.rate_max_cents, project.currency)})."
            )
        else:
            try:
                make_offer(
                    project,
                    applicant.id,
                    actor=current_user,
                    hours=form.hours.data,
                    rate_cents=rate_cents,
                    starts_on=form.starts_on.data,
                    expires_at=clock.now() + timedelta(days=form.expires_in_days.data),
                    match_score=explanation.score if explanation.eligible else None,
                )
            except ProjectError as exc:
                flash(str(exc), "error")
                form.hours.errors.append("See the message above.")
            else:
                flash(f"Offer sent to {applicant.display_name}.", "success")
                return redirect(url_for("projects.show", project_id=project.id))
    return render_template(
        "projects/offer.html",
        project=project,
        applicant=applicant,
        quote=quote,
        explanation=explanation,
        features=features,
        form=form,
    ), (422 if form.errors else 200)


@bp.post("/offers/<int:assignment_id>/withdraw")
def withdraw(assignment_id: int) -> Response:
    assignment = db.get_or_404(Assignment, assignment_id)
    try:
        withdraw_offer(assignment, actor=current_user)
    except ProjectError as exc:
        flash(str(exc), "error")
    else:
        flash("Offer withdrawn.", "success")
    return redirect(url_for("projects.show", project_id=assignment.project_id))


@bp.post("/assignments/<int:assignment_id>/pause")
def pause_assignment(assignment_id: int) -> Response:
    """Pause an assignment with a reason the contractor reads."""
    assignment = db.get_or_404(Assignment, assignment_id)
    return _lifecycle(
        assignment,
        lambda: pause(assignment, actor=current_user, reason=request.form.get("reason", "")),
        "Assignment paused.",
    )


@bp.post("/assignments/<int:assignment_id>/resume")
def resume_assignment(assignment_id: int) -> Response:
    assignment = db.get_or_404(Assignment, assignment_id)
    return _lifecycle(
        assignment, lambda: resume(assignment, actor=current_user), "Assignment resumed."
    )


@bp.post("/assignments/<int:assignment_id>/end")
def end_assignment(assignment_id: int) -> Response:
    """End an assignment (today, or on the last working day given) with a reason."""
    assignment = db.get_or_404(Assignment, assignment_id)
    return _lifecycle(
        assignment,
        lambda: end(
            assignment,
            actor=current_user,
            reason=request.form.get("reason", ""),
            on=_date(request.form.get("on")),
        ),
        "Assignment ended.",
    )


def _lifecycle(assignment: Assignment, action: Callable[[], object], done: str) -> Response:
    try:
        action()
    except LifecycleError as exc:
        flash(str(exc), "error")
    else:
        flash(done, "success")
    return redirect(url_for("projects.show", project_id=assignment.project_id))


def _date(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


@bp.post("/<int:project_id>/close")
def close(project_id: int) -> Response:
    """Close a project: its assignments end at the given date (today by default)."""
    project = db.get_or_404(Project, project_id)
    on = _date(request.form.get("on")) or clock.now().date()
    try:
        ended = close_project(
            project, actor=current_user, on=on, reason=request.form.get("reason", "")
        )
    except LifecycleError as exc:
        flash(str(exc), "error")
    else:
        flash(f"Project closed; {ended} assignment(s) end on {on:%d %b %Y}.", "success")
    return redirect(url_for("projects.show", project_id=project.id))


@bp.route("/proposal", methods=["GET", "POST"])
def proposal() -> Page:
    """The latest proposal run (progress or result); POST sends the ticked offers."""
    form = ProposalForm()
    if form.validate_on_submit():
        selected = request.form.getlist("pick")
        if not selected:
            flash("Tick at least one proposed offer.", "warning")
        else:
            made, refused = accept_proposal(
                selected,
                actor=current_user,
                expires_at=clock.now() + timedelta(days=form.expires_in_days.data),
            )
            if made:
                flash(f"{len(made)} offers sent.", "success")
            for message in refused:
                flash(message, "error")
            return redirect(url_for("projects.proposal"))
    return _proposal_page(latest_run(), form, 422 if form.errors else 200)


@bp.post("/proposal/runs")
def proposal_start() -> Response:
    """Start computing a proposal in the background (or join the one already running)."""
    run = start_proposal_run(actor=current_user, job=run_proposal_task)
    return redirect(url_for("projects.proposal_run", run_id=run.id), code=303)


@bp.get("/proposal/runs/<int:run_id>")
def proposal_run(run_id: int) -> Page:
    """One run: a progress bar while it works (refreshes itself), its offers once done."""
    return _proposal_page(db.get_or_404(ProposalRun, run_id), ProposalForm(), 200)


@bp.get("/proposal/runs/<int:run_id>/status")
def proposal_status(run_id: int) -> Response:
    """What the progress bar polls; reading it changes nothing."""
    return jsonify(run_status(db.get_or_404(ProposalRun, run_id)))


def _proposal_page(run: ProposalRun | None, form: ProposalForm, status: int) -> tuple[str, int]:
    state = run_status(run) if run is not None else None
    result = run_result(run) if run is not None and run.status == "done" else None
    page = render_template("projects/proposal.html", form=form, run=run, state=state, result=result)
    return page, status


@bp.route("/rate-card", methods=["GET", "POST"])
def rate_card() -> Page:
    current = current_rate_card()
    form = RateCardForm()
    card = current
    if request.method == "GET":
        form.fill(current)
    elif form.validate_on_submit():
        save_rate_card(form.card(current.currency), actor=current_user)
        flash("Rate card saved; new offers use it.", "success")
        return redirect(url_for("projects.rate_card"))
    example = quote_rate(card, EXAMPLE_PERSON, project_band=(2500, 3500))
    return render_template(
        "projects/rate_card.html",
        form=form,
        example=example,
        person=EXAMPLE_PERSON,
        tier=card.tier_for(EXAMPLE_PERSON.country),
    ), (422 if form.errors else 200)


@bp.route("/<int:project_id>/guidelines", methods=["GET", "POST"])
def guidelines(project_id: int) -> Page:
    project = db.get_or_404(Project, project_id)
    current = current_guideline(project.id)
    form = GuidelineForm()
    if request.method == "GET" and current is not None:
        form.title.data = current.title
        form.body_md.data = current.body_md
    elif form.validate_on_submit():
        try:
            guideline = publish_guideline(
                project,
                title=form.title.data,
                body_md=form.body_md.data,
                changelog=form.changelog.data,
                actor=current_user,
                check_items=guideline_checks.parse(form.check.data or ""),
            )
        except guideline_checks.CheckError as exc:
            form.check.errors = list(exc.errors)
        else:
            flash(f"Version {guideline.version} published.", "success")
            return redirect(url_for("projects.guidelines", project_id=project.id))
    versions = list(
        db.session.scalars(
            select(Guideline)
            .where(Guideline.project_id == project.id)
            .order_by(Guideline.version.desc())
        )
    )
    return render_template(
        "projects/guidelines.html",
        project=project,
        form=form,
        current=current,
        versions=versions,
        acks=acknowledgement_status(project),
        rendered=render_markdown(current.body_md) if current else None,
    ), (422 if form.errors else 200)


@bp.route("/clients", methods=["GET", "POST"])
def clients() -> Page:
    form = ClientForm()
    if form.validate_on_submit():
        try:
            client = save_client(
                None, name=form.name.data, contact_email=form.contact_email.data, actor=current_user
            )
        except ProjectError as exc:
            form.name.errors.append(str(exc))
        else:
            flash(f"Client “{client.name}” added.", "success")
            return redirect(url_for("projects.clients"))
    counts = dict(
        db.session.execute(
            select(Project.client_id, func.count()).group_by(Project.client_id)
        ).all()
    )
    rows = list(db.session.scalars(select(Client).order_by(Client.name)))
    return render_template("projects/clients.html", form=form, clients=rows, counts=counts), (
        422 if form.errors else 200
    )


@bp.route("/clients/<int:client_id>", methods=["GET", "POST"])
def client(client_id: int) -> Page:
    client = db.get_or_404(Client, client_id)
    form = ClientForm(obj=client)
    if form.validate_on_submit():
        try:
            save_client(
                client,
                name=form.name.data,
                contact_email=form.contact_email.data,
                actor=current_user,
            )
        except ProjectError as exc:
            form.name.errors.append(str(exc))
        else:
            flash("Client saved.", "success")
            return redirect(url_for("projects.clients"))
    projects = list(
        db.session.scalars(
            select(Project).where(Project.client_id == client.id).order_by(Project.id)
        )
    )
    return render_template("projects/client.html", form=form, client=client, projects=projects), (
        422 if form.errors else 200
    )
