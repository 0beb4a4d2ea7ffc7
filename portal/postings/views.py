"""The admin's posting pages (/admin/postings) and the public job board (/jobs)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select
from werkzeug.wrappers import Response

from portal.auth.roles import restrict_blueprint
from portal.domains import CHOICES as DOMAIN_CHOICES
from portal.extensions import db
from portal.models import Application, Posting, Project, Role
from portal.models.posting import POSTING_STATUSES
from portal.postings import pages
from portal.postings.board import (
    BoardFilters,
    board_page,
    is_accepting,
    open_postings_query,
    public_posting,
)
from portal.postings.forms import PostingForm
from portal.postings.rules import LANGUAGES, MOVES, PostingInvalid, StatusMoveRefused
from portal.postings.services import (
    create_posting,
    duplicate_posting,
    move_posting,
    update_posting,
)

bp = Blueprint("postings", __name__, url_prefix="/admin/postings")
restrict_blueprint(bp, Role.ADMIN)
jobs_bp = Blueprint("jobs", __name__)

Page = str | Response | tuple[str, int]
# The button that makes each move, as the admin reads it.
MOVE_LABELS = {"open": "Open", "paused": "Pause", "closed": "Close"}


@bp.get("/")
def index() -> str:
    status = request.args.get("status")
    query = select(Posting).order_by(
        Posting.status != "open", Posting.updated_at.desc(), Posting.id.desc()
    )
    if status in POSTING_STATUSES:
        query = query.where(Posting.status == status)
    page = db.paginate(query, per_page=50, error_out=False)
    counts = dict(
        db.session.execute(select(Posting.status, func.count()).group_by(Posting.status)).all()
    )
    ids = [p.id for p in page.items]
    applications = dict(
        db.session.execute(
            select(Application.posting_id, func.count())
            .where(Application.posting_id.in_(ids))
            .group_by(Application.posting_id)
        ).all()
    )
    return render_template(
        "postings/index.html",
        page=page,
        status=status,
        statuses=POSTING_STATUSES,
        counts=counts,
        application_counts=applications,
        moves=MOVES,
        move_labels=MOVE_LABELS,
        pages=pages,
    )


def _project_choices(form: PostingForm) -> None:
    form.projects.choices = {
        p.id: p.title
        for p in db.session.scalars(
            select(Project).where(Project.status != "closed").order_by(Project.title)
        )
    }


def _form_page(form: PostingForm, posting: Posting | None) -> tuple[str, int]:
    return render_template(
        "postings/form.html", form=form, posting=posting, moves=MOVES, move_labels=MOVE_LABELS
    ), (422 if form.errors else 200)


@bp.route("/new", methods=["GET", "POST"])
def create() -> Page:
    form = PostingForm()
    _project_choices(form)
    if form.validate_on_submit():
        try:
            posting = create_posting(
                form.values(), actor=current_user, project_ids=form.projects.data
            )
        except PostingInvalid as exc:
            form.add_errors(exc.errors)
        else:
            flash(f"Draft “{posting.title}” saved; open it when it is ready.", "success")
            return redirect(url_for("postings.edit", posting_id=posting.id))
    return _form_page(form, None)


@bp.route("/<int:posting_id>/edit", methods=["GET", "POST"])
def edit(posting_id: int) -> Page:
    posting = db.get_or_404(Posting, posting_id)
    form = PostingForm()
    # A closed posting's projects may be closed too: keep them listed so saving keeps them.
    _project_choices(form)
    form.projects.choices.update({p.id: p.title for p in posting.projects})
    if request.method == "GET":
        form.fill(posting)
    elif form.validate_on_submit():
        try:
            update_posting(
                posting, form.values(), actor=current_user, project_ids=form.projects.data
            )
        except PostingInvalid as exc:
            form.add_errors(exc.errors)
        else:
            flash("Posting saved.", "success")
            return redirect(url_for("postings.edit", posting_id=posting.id))
    return _form_page(form, posting)


@bp.post("/<int:posting_id>/status")
def move(posting_id: int) -> Response:
    posting = db.get_or_404(Posting, posting_id)
    target = request.form.get("status", "")
    try:
        move_posting(posting, target, actor=current_user)
    except StatusMoveRefused as exc:
        flash(str(exc), "error")
    except PostingInvalid as exc:
        flash(f"Fix the posting before opening it: {exc}", "error")
    else:
        flash(f"“{posting.title}” is now {posting.status}.", "success")
    if request.form.get("back") == "edit":
        return redirect(url_for("postings.edit", posting_id=posting.id))
    return redirect(url_for("postings.index"))


@bp.post("/<int:posting_id>/duplicate")
def duplicate(posting_id: int) -> Response:
    posting = db.get_or_404(Posting, posting_id)
    copy = duplicate_posting(posting, actor=current_user)
    flash(f"Draft copy “{copy.title}” created.", "success")
    return redirect(url_for("postings.edit", posting_id=copy.id))


@jobs_bp.get("/jobs")
def board() -> str:
    filters = BoardFilters.from_args(request.args.to_dict())
    page = board_page(filters, page=request.args.get("page", 1, type=int))
    return render_template(
        "postings/board.html",
        page=page,
        filters=filters,
        domains=DOMAIN_CHOICES,
        languages=LANGUAGES,
        pages=pages,
    )


def apply_url(posting: Posting) -> str | None:
    """The Apply button's target for this visitor: staff do not apply, so they get none."""
    if current_user.is_authenticated and current_user.role != Role.APPLICANT:
        return None
    return url_for("applications.apply", slug=posting.slug)


@jobs_bp.get("/jobs/<slug>")
def show(slug: str) -> tuple[str, int]:
    """An open posting; paused or closed ones say they take no applications; drafts 404
    (an admin sees a preview)."""
    admin = current_user.is_authenticated and current_user.role == Role.ADMIN
    posting = public_posting(slug, drafts=admin)
    if posting is None:
        abort(404)
    accepting = is_accepting(posting)
    return render_template(
        "postings/show.html",
        posting=posting,
        accepting=accepting,
        sections=pages.sections(posting),
        canonical=pages.canonical_url(posting),
        og=pages.open_graph(posting),
        jsonld=pages.job_posting_ld(posting) if accepting else None,
        apply_url=apply_url(posting) if accepting else None,
        pages=pages,
    ), 200 if posting.status != "closed" else 410


@jobs_bp.get("/jobs/sitemap.xml")
def sitemap() -> Response:
    """The open postings' canonical URLs with when each last changed, for search engines."""
    postings = db.session.scalars(open_postings_query()).all()
    body = render_template("postings/sitemap.xml", postings=postings, pages=pages)
    return Response(body, mimetype="application/xml")
