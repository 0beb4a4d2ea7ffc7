"""Recruiter pages: dashboard, candidate list and board, candidate page, templates."""

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any
from urllib.parse import urlencode

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_login import current_user
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response as BaseResponse

from portal import clock
from portal.applications import services as application_services
from portal.applications.services import answer_by
from portal.auth.roles import restrict_blueprint
from portal.extensions import db
from portal.models import Applicant, Application, EmailTemplate, Role
from portal.models.recruiting import RECOMMENDATIONS, SCORECARD_ATTRIBUTES
from portal.pipeline import EXIT_REASONS, STAGES, TRANSITIONS, WAITING_ON_US
from portal.recruiters import charts, searches, services, sla
from portal.recruiters import filters as search
from portal.recruiters import postings as by_posting
from portal.recruiters.candidate import load_candidate
from portal.recruiters.forms import (
    CandidateEmailForm,
    EmailTemplateForm,
    MoveForm,
    NoteForm,
    SavedSearchForm,
    ScorecardForm,
    TagForm,
)
from portal.redirects import safe_redirect

bp = Blueprint("recruiters", __name__, url_prefix="/recruiter")
restrict_blueprint(bp, Role.RECRUITER, Role.ADMIN)

PER_PAGE = 50
EXPORT_LIMIT = 50_000
CSV_CHUNK_ROWS = 1_000


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def _cell(value: Any) -> Any:
    """Neutralise spreadsheet formulas in text a person typed (CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _csv(filename: str, header: list[str], rows: Iterable[Iterable[Any]]) -> Response:
    """A CSV download sent as it is written, CSV_CHUNK_ROWS rows per chunk."""

    def chunks() -> Iterator[str]:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(header)
        for n, row in enumerate(rows, start=1):
            writer.writerow([_cell(v) for v in row])
            if n % CSV_CHUNK_ROWS == 0:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()

    return Response(
        stream_with_context(chunks()),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.app_template_filter("sla_status")
def _sla_filter(applicant: Applicant) -> str | None:
    return sla.sla_status(applicant.stage, applicant.stage_changed_at, clock.now())


@bp.app_template_filter("business_days")
def _business_days(applicant: Applicant) -> int:
    return sla.business_days_between(applicant.stage_changed_at, clock.now())


@bp.get("/")
def dashboard() -> str:
    now = clock.now()
    slug = request.args.get("posting", "")
    posting = by_posting.posting_id(slug)
    counts = charts.reused("stage_counts", None, charts.stage_counts)
    funnel = charts.funnel(now, counts)
    weekly = charts.applications_per_week(now)
    scores = charts.score_distribution()
    return render_template(
        "recruiters/dashboard.html",
        counts=counts,
        grid_counts=by_posting.stage_counts(posting) if posting else counts,
        postings=by_posting.postings_for_filter(),
        posting=slug if posting else "",
        sla_counts=charts.sla_counts(now),
        funnel=funnel,
        funnel_chart=charts.bar_chart(
            [(r.label, r.reached) for r in funnel], "Applicants who reached each stage"
        ),
        weekly_chart=charts.bar_chart(
            weekly, "Applications per ISO week", columns=("ISO week", "Applications")
        ),
        score_chart=charts.bar_chart(
            scores, "Latest assessment score", columns=("Score", "Applicants")
        ),
    )


@bp.get("/dashboard/<chart>.csv")
def dashboard_csv(chart: str) -> Response:
    now = clock.now()
    if chart == "funnel":
        rows = [
            [r.key, r.label, r.current, r.reached, r.conversion, r.median_days]
            for r in charts.funnel(now)
        ]
        header = ["stage", "label", "now_in_stage", "reached", "conversion", "median_days"]
        return _csv("funnel.csv", header, rows)
    if chart == "weekly":
        weekly = charts.applications_per_week(now)
        return _csv("applications-per-week.csv", ["iso_week", "applications"], weekly)
    if chart == "scores":
        return _csv("score-distribution.csv", ["score", "applicants"], charts.score_distribution())
    abort(404)


def _filters(args: MultiDict[str, str] | None = None) -> tuple[search.Filters, list[str]]:
    try:
        return search.parse_filters(request.args if args is None else args, current_user.id), []
    except search.FilterError as exc:
        return search.Filters(), exc.messages


def render_candidates(
    args: MultiDict[str, str], status: int = 200, save_form: SavedSearchForm | None = None
) -> tuple[str, int]:
    """The candidate list for these query arguments, with its saved searches."""
    filters, errors = _filters(args)
    page = None
    if not errors:
        number = args.get("page", "1")
        page = search.search_page(
            filters, int(number) if number.isdigit() else 1, PER_PAGE, clock.now(), _dialect()
        )
    templates = db.session.scalars(select(EmailTemplate).order_by(EmailTemplate.name)).all()
    export_args = search.filters_to_args(filters)
    if save_form is None:
        save_form = SavedSearchForm(prefix="save", formdata=None)
        save_form.query.data = urlencode({k: v for k, v in export_args.items() if v})
    return render_template(
        "recruiters/candidates.html",
        page=page,
        filters=filters,
        errors=errors,
        args=args,
        export_args=export_args,
        sorts=search.SORTS,
        results=search.RESULTS,
        yes_no=search.YES_NO,
        sla_statuses=sla.SLA_STATUSES,
        templates=templates,
        bulk_actions=services.BULK_ACTIONS,
        exit_reasons={code: label for code, (label, _) in EXIT_REASONS.items()},
        saved_searches=searches.visible_to(current_user),
        save_form=save_form,
        postings=by_posting.postings_for_filter(),
        owners=search.OWNERS,
    ), (400 if errors else status)


@bp.get("/candidates")
def candidates() -> tuple[str, int]:
    return render_candidates(request.args)


@bp.get("/candidates.csv")
def candidates_csv() -> Response | tuple[str, int]:
    """The filtered list as CSV, written while it is read (up to EXPORT_LIMIT rows)."""
    filters, errors = _filters()
    if errors:
        return render_template("errors/error.html", code=400, message=" ".join(errors)), 400
    now = clock.now()
    rows = search.export_rows(filters, now, _dialect(), EXPORT_LIMIT)
    header = [
        "id", "name", "email", "country", "stage", "stage_since", "sla", "domains", "skills",
        "weekly_hours", "desired_rate", "score", "result",
    ]  # fmt: skip

    def lines() -> Iterator[list[Any]]:
        for (id_, full_name, user_name, email, country, stage, changed, domains, skills,
             hours, rate, score, passed) in rows:  # fmt: skip
            yield [
                id_,
                full_name or user_name or email,
                email,
                country or "",
                STAGES.get(stage, stage),
                changed.isoformat(),
                sla.sla_status(stage, changed, now) or "",
                "; ".join(domains or []),
                "; ".join(skills or []),
                "" if hours is None else hours,
                "" if rate is None else f"{rate / 100:.2f}",
                "" if score is None else score,
                {True: "pass", False: "fail"}.get(passed, ""),
            ]

    return _csv("candidates.csv", header, lines())


@bp.get("/board")
def board() -> str:
    """Every stage's longest waiting; with ``posting``, that posting's applications (each card
    with its own answer-by date)."""
    now = clock.now()
    slug = request.args.get("posting", "")
    posting = by_posting.posting_id(slug)
    counts = by_posting.stage_counts(posting) if posting else charts.stage_counts()
    columns = []
    for stage, label in STAGES.items():
        if posting:
            cards = [(a.applicant, a, answer_by(a)) for a in by_posting.column(posting, stage, 20)]
        else:
            people = db.session.scalars(
                select(Applicant)
                .where(Applicant.stage == stage, Applicant.deleted_at.is_(None))
                .order_by(Applicant.stage_changed_at)
                .limit(20)
            ).all()
            cards = [(a, a, None) for a in people]
        columns.append((stage, label, counts.get(stage, 0), cards))
    return render_template(
        "recruiters/board.html",
        columns=columns,
        now=now,
        postings=by_posting.postings_for_filter(),
        posting=slug if posting else "",
    )


def _move_form(applicant: Applicant, templates: list[EmailTemplate]) -> MoveForm:
    form = MoveForm(prefix="move")
    # With several applications, every move one of them allows (the chosen one is checked).
    froms = {a.stage for a in applicant.applications} or {applicant.stage}
    allowed = sorted(set().union(*(TRANSITIONS.get(s, ()) for s in froms)), key=list(STAGES).index)
    form.to_stage.choices = {"": "Choose a stage…"} | {s: STAGES[s] for s in allowed}
    form.template.choices = {"": "No email"} | {str(t.id): t.name for t in templates}
    return form


def email_form_for(templates: list[EmailTemplate], applicant: Applicant) -> CandidateEmailForm:
    form = CandidateEmailForm(prefix="mail")
    form.template.choices = {"": "No template: write it below"} | {
        str(t.id): t.name for t in templates
    }
    form.application.choices = {"": "Their furthest application"} | {
        str(a.id): a.posting.title for a in applicant.applications
    }
    return form


def _render_candidate(applicant_id: int, status: int = 200, **forms: Any) -> tuple[str, int]:
    view = load_candidate(applicant_id)
    templates = list(db.session.scalars(select(EmailTemplate).order_by(EmailTemplate.name)))
    mine = next((c for c in view.scorecards if c.recruiter_id == current_user.id), None)
    scorecard_form = forms.get("scorecard_form") or ScorecardForm(
        prefix="card",
        data=(
            {name: str(getattr(mine, name)) for name in SCORECARD_ATTRIBUTES}
            | {"recommendation": mine.recommendation, "comment": mine.comment}
            if mine
            else None
        ),
    )
    move_form = forms.get("move_form") or _move_form(view.applicant, templates)
    email_form = forms.get("email_form") or email_form_for(templates, view.applicant)
    return render_template(
        "recruiters/candidate.html",
        view=view,
        a=view.applicant,
        note_form=forms.get("note_form") or NoteForm(prefix="note"),
        scorecard_form=scorecard_form,
        move_form=move_form,
        tag_form=forms.get("tag_form") or TagForm(prefix="tag"),
        email_form=email_form,
        templates=templates,
        attributes=SCORECARD_ATTRIBUTES,
        recommendations=RECOMMENDATIONS,
        waiting=view.applicant.stage in WAITING_ON_US,
        applications=[(a, answer_by(a)) for a in view.applicant.applications],
        owners=application_services.recruiters(),
    ), status


@bp.get("/candidates/<int:applicant_id>")
def candidate(applicant_id: int) -> tuple[str, int]:
    return _render_candidate(applicant_id)


def _back(applicant_id: int) -> BaseResponse:
    return redirect(url_for("recruiters.candidate", applicant_id=applicant_id))


@bp.post("/candidates/<int:applicant_id>/move")
def move(applicant_id: int) -> BaseResponse | tuple[str, int]:
    applicant = db.get_or_404(Applicant, applicant_id)
    templates = list(db.session.scalars(select(EmailTemplate)))
    form = _move_form(applicant, templates)
    if not form.validate_on_submit() or not form.to_stage.data:
        if form.is_submitted() and not form.to_stage.data:
            form.to_stage.errors = ["Choose a stage."]
        return _render_candidate(applicant_id, 422, move_form=form)
    template = (
        db.session.get(EmailTemplate, int(form.template.data)) if form.template.data else None
    )
    chosen = request.form.get("application_id", "")
    application = db.session.get(Application, int(chosen)) if chosen.isdigit() else None
    try:
        services.move_candidate(
            applicant,
            form.to_stage.data,
            actor=current_user,
            reason=form.reason.data,
            exit_reason=form.exit_reason.data or None,
            template=template,
            application=application,
        )
    except services.ActionError as exc:
        form = _move_form(db.get_or_404(Applicant, applicant_id), templates)
        form.process(request.form)
        needs_reason = str(exc) == services.REJECTION_NEEDS_REASON
        (form.exit_reason if needs_reason else form.reason).errors = [str(exc)]
        return _render_candidate(applicant_id, 422, move_form=form)
    flash(
        f"Moved to {STAGES[form.to_stage.data]}" + (" and emailed." if template else "."),
        "success",
    )
    return _back(applicant_id)


@bp.post("/candidates/<int:applicant_id>/shortlist")
def shortlist(applicant_id: int) -> BaseResponse:
    applicant = db.get_or_404(Applicant, applicant_id)
    try:
        services.move_candidate(
            applicant,
            "shortlisted",
            actor=current_user,
            template=services.default_template("shortlisted"),
        )
    except services.ActionError as exc:
        flash(str(exc), "error")
    else:
        flash("Shortlisted.", "success")
    return _back(applicant_id)


@bp.post("/candidates/<int:applicant_id>/notes")
def add_note(applicant_id: int) -> BaseResponse | tuple[str, int]:
    applicant = db.get_or_404(Applicant, applicant_id)
    form = NoteForm(prefix="note")
    if not form.validate_on_submit():
        return _render_candidate(applicant_id, 422, note_form=form)
    services.add_note(applicant, form.body.data, author=current_user)
    flash("Note added.", "success")
    return _back(applicant_id)


@bp.post("/candidates/<int:applicant_id>/scorecard")
def scorecard(applicant_id: int) -> BaseResponse | tuple[str, int]:
    applicant = db.get_or_404(Applicant, applicant_id)
    form = ScorecardForm(prefix="card")
    if not form.validate_on_submit():
        return _render_candidate(applicant_id, 422, scorecard_form=form)
    services.save_scorecard(
        applicant,
        recruiter=current_user,
        ratings=form.ratings(),
        recommendation=form.recommendation.data,
        comment=form.comment.data,
    )
    flash("Scorecard saved.", "success")
    return _back(applicant_id)


@bp.post("/candidates/<int:applicant_id>/tags")
def add_tag(applicant_id: int) -> BaseResponse | tuple[str, int]:
    applicant = db.get_or_404(Applicant, applicant_id)
    form = TagForm(prefix="tag")
    if form.validate_on_submit():
        try:
            services.tag_applicants([applicant], form.name.data, actor=current_user)
        except services.ActionError as exc:
            form.name.errors.append(str(exc))
        else:
            return _back(applicant_id)
    return _render_candidate(applicant_id, 422, tag_form=form)


@bp.post("/candidates/<int:applicant_id>/tags/<int:tag_id>/remove")
def remove_tag(applicant_id: int, tag_id: int) -> BaseResponse:
    applicant = db.get_or_404(Applicant, applicant_id)
    services.untag(applicant, tag_id, actor=current_user)
    return _back(applicant_id)


@bp.post("/bulk")
def bulk() -> BaseResponse:
    back = safe_redirect(request.form.get("back"), under="/recruiter/") or url_for(
        "recruiters.candidates"
    )
    try:
        ids = [int(i) for i in request.form.getlist("ids")]
    except ValueError:
        ids = []
    template_id = request.form.get("template") or ""
    template = db.session.get(EmailTemplate, int(template_id)) if template_id.isdigit() else None
    try:
        result = services.bulk_apply(
            ids,
            request.form.get("action", ""),
            actor=current_user,
            to_stage=request.form.get("to_stage") or None,
            reason=request.form.get("reason"),
            exit_reason=request.form.get("exit_reason") or None,
            template=template,
            tag=request.form.get("tag"),
        )
    except services.ActionError as exc:
        flash(str(exc), "error")
        return redirect(back)
    flash(
        f"{services.BULK_ACTIONS[result.action]}: done for {result.done} applicant(s).", "success"
    )
    return redirect(back)


@bp.get("/templates")
def templates() -> str:
    rows = db.session.scalars(select(EmailTemplate).order_by(EmailTemplate.name)).all()
    return render_template("recruiters/templates.html", templates=rows)


@bp.route("/templates/new", methods=["GET", "POST"])
@bp.route("/templates/<int:template_id>", methods=["GET", "POST"])
def edit_template(template_id: int | None = None) -> BaseResponse | tuple[str, int]:
    template = db.get_or_404(EmailTemplate, template_id) if template_id else EmailTemplate()
    form = EmailTemplateForm(obj=template if template_id else None)
    if template_id is None and request.method == "GET":
        form.stage.data = ""
    if form.validate_on_submit():
        clash = db.session.scalar(
            select(func.count()).where(
                EmailTemplate.key == form.key.data, EmailTemplate.id != (template.id or 0)
            )
        )
        if clash:
            form.key.errors.append("Another template has this key.")
        else:
            try:
                services.save_template(
                    template,
                    key=form.key.data,
                    name=form.name.data,
                    stage=form.stage.data or None,
                    subject=form.subject.data,
                    body=form.body.data,
                    actor=current_user,
                )
            except services.ActionError as exc:
                form.body.errors.append(str(exc))
            else:
                flash("Template saved.", "success")
                return redirect(url_for("recruiters.preview_template", template_id=template.id))
    status = 422 if form.errors else 200
    return render_template(
        "recruiters/template_form.html",
        form=form,
        template=template if template_id else None,
        variables=services.TEMPLATE_VARIABLES,
    ), status
