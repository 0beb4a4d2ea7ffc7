"""Admin pages (``assessment_admin``): the item bank with statistics, guidelines, attempts."""

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from assessments import items as engine_items
from portal.assessment import bank, grading, panel
from portal.assessment.attempts import expire_overdue
from portal.assessment.forms import GuidelineForm, ItemForm
from portal.assessment.results import attempt_breakdown
from portal.assessment.stats import item_statistics, surfaced_for_review
from portal.auth.roles import restrict_blueprint
from portal.extensions import db
from portal.guidelines import render_markdown
from portal.models import Applicant, Attempt, Guideline, Item, Role
from portal.redirects import safe_redirect

bp = Blueprint("assessment_admin", __name__, url_prefix="/admin")
restrict_blueprint(bp, Role.ADMIN)


@bp.before_request
def _close_overdue_attempts() -> None:
    """Statistics and breakdowns count overdue attempts as closed, even without a beat worker."""
    expire_overdue()


AUDIT_STATUSES = ("draft", "audit", "review", "live")
FLAG_FILTERS = {
    "attention": Item.attention_check,
    "broken": Item.known_broken,
    "rationale": Item.rationale_required,
}


@bp.get("/items")
def items() -> str:
    """The item bank, filterable, with per-item statistics from scored attempts."""
    args = request.args
    query = select(Item).order_by(Item.id)
    for name in ("kind", "domain", "tier"):
        if args.get(name):
            query = query.where(getattr(Item, name) == args[name])
    if args.get("flag") in FLAG_FILTERS:
        query = query.where(FLAG_FILTERS[args["flag"]].is_(True))
    status = args.get("status", "active")
    if status == "active":
        query = query.where(Item.retired_at.is_(None))
    elif status == "retired":
        query = query.where(Item.retired_at.is_not(None))
    elif status in AUDIT_STATUSES:
        query = query.where(Item.status == status, Item.retired_at.is_(None))
    if args.get("review"):
        query = query.where(Item.needs_review.is_(True))
    page = db.paginate(query, per_page=50)
    domains = db.session.scalars(select(Item.domain).distinct().order_by(Item.domain)).all()
    stats = item_statistics()
    return render_template(
        "assessment_admin/items.html",
        page=page,
        stats=stats,
        surfaced=surfaced_for_review(stats),
        domains=domains,
        kinds=list(engine_items.ITEM_KINDS),
        tiers=engine_items.TIERS,
        status=status,
    )


@bp.get("/items/review")
def review() -> str:
    """Items strong applicants often get wrong or flag (a wrong answer key?), and marked ones."""
    stats = item_statistics()
    surfaced = surfaced_for_review(stats)
    rows = db.session.scalars(
        select(Item).where(Item.content_hash.in_(list(surfaced)) | Item.needs_review.is_(True))
    ).all()

    def problem_rate(item: Item) -> float:
        found = stats.get(item.content_hash)
        return (found.strong_problem_rate or 0.0) if found else 0.0

    rows = sorted(rows, key=problem_rate, reverse=True)
    return render_template(
        "assessment_admin/review.html", rows=rows, stats=stats, surfaced=surfaced
    )


def _engine_item_from_form(form: ItemForm) -> engine_items.Item:
    """Build and validate the engine item; raises ValueError with a message for the form."""
    gold = form.gold_value()
    item = engine_items.Item(
        kind=form.kind.data,
        prompt=form.prompt.data or "",
        responses=tuple(form.responses()),
        gold=tuple(gold) if isinstance(gold, list) else gold,
        domain=(form.domain.data or "general").strip().lower(),
        difficulty=int(form.difficulty.data),
        gold_strength=float(form.gold_strength.data),
        tier=form.tier.data,
        attention_check=form.attention_check.data,
        known_broken=form.known_broken.data,
        rationale_required=form.rationale_required.data,
        source=(form.source.data or "").strip() or "admin",
    )
    engine_items.validate_item(item)
    return item


def _save_item(form: ItemForm, row: Item) -> bool:
    try:
        item = _engine_item_from_form(form)
    except ValueError as exc:  # ItemValidationError is a ValueError
        form.gold.errors = [*form.gold.errors, str(exc)]
        return False
    clash = db.session.scalar(
        select(Item.id).where(Item.content_hash == item.content_hash, Item.id != row.id)
    )
    if clash is not None:
        form.prompt.errors = [
            *form.prompt.errors,
            f"Item {clash} has the same prompt and responses.",
        ]
        return False
    bank.save_item(row, item, needs_review=form.needs_review.data, actor=current_user)
    return True


@bp.route("/items/new", methods=["GET", "POST"])
def item_new() -> str | Response | tuple[str, int]:
    form = ItemForm()
    if form.validate_on_submit() and _save_item(form, Item()):
        flash("Item created.", "success")
        return redirect(url_for("assessment_admin.items"))
    status = 422 if request.method == "POST" else 200
    return render_template("assessment_admin/item_form.html", form=form, item=None), status


def _fill_form(form: ItemForm, item: Item) -> None:
    form.kind.data = item.kind
    form.prompt.data = item.prompt
    for field, text in zip(
        (form.response_a, form.response_b, form.response_c, form.response_d),
        item.responses,
        strict=False,
    ):
        field.data = text
    form.gold.data = (
        ",".join(str(g) for g in item.gold) if isinstance(item.gold, list) else str(item.gold)
    )
    form.gold_strength.data = item.gold_strength
    form.tier.data = item.tier
    form.domain.data = item.domain
    form.difficulty.data = str(item.difficulty)
    form.attention_check.data = item.attention_check
    form.known_broken.data = item.known_broken
    form.rationale_required.data = item.rationale_required
    form.needs_review.data = item.needs_review
    form.source.data = item.source


@bp.route("/items/<int:item_id>", methods=["GET", "POST"])
def item_edit(item_id: int) -> str | Response | tuple[str, int]:
    """Edit an item (validated by the engine) and see its statistics."""
    item = db.get_or_404(Item, item_id)
    form = ItemForm()
    if request.method == "GET":
        _fill_form(form, item)
    elif form.validate_on_submit() and _save_item(form, item):
        flash("Item saved.", "success")
        return redirect(url_for("assessment_admin.item_edit", item_id=item.id))
    stats = item_statistics()
    status = 422 if request.method == "POST" else 200
    return render_template(
        "assessment_admin/item_form.html",
        form=form,
        item=item,
        stats=stats.get(item.content_hash),
        surfaced=item.content_hash in surfaced_for_review(stats),
        panel=panel.verdict(item),
    ), status


@bp.post("/items/<int:item_id>/retire")
def item_retire(item_id: int) -> Response:
    """Retire an item (no new attempt draws it) or bring it back."""
    item = db.get_or_404(Item, item_id)
    retire = bank.toggle_retired(item, actor=current_user)
    flash(f"Item {item.id} {'retired' if retire else 'restored'}.", "success")
    return redirect(safe_redirect(request.referrer) or url_for("assessment_admin.items"))


@bp.post("/items/<int:item_id>/review")
def item_review(item_id: int) -> Response:
    """Mark an item as needing review, or clear the mark."""
    item = db.get_or_404(Item, item_id)
    bank.toggle_review(item, actor=current_user)
    return redirect(
        safe_redirect(request.referrer) or url_for("assessment_admin.item_edit", item_id=item.id)
    )


@bp.post("/items/<int:item_id>/panel")
def item_to_panel(item_id: int) -> Response:
    """Send an item to the gold audit panel (it is not drawn until the panel supports it)."""
    item = db.get_or_404(Item, item_id)
    panel.send_to_panel(item, current_user)
    flash(f"Item {item.id} is with the panel.", "success")
    return redirect(
        safe_redirect(request.referrer) or url_for("assessment_admin.item_edit", item_id=item.id)
    )


@bp.get("/guidelines")
def guidelines() -> str:
    rows = db.session.scalars(
        select(Guideline).where(Guideline.project_id.is_(None)).order_by(Guideline.version.desc())
    ).all()
    return render_template("assessment_admin/guidelines.html", rows=rows)


@bp.route("/guidelines/new", methods=["GET", "POST"])
def guideline_new() -> str | Response | tuple[str, int]:
    """Write the next version (preview first if you like), then publish it."""
    form = GuidelineForm()
    current = bank.current_guideline()
    if request.method == "GET" and current is not None:
        form.title.data = current.title
        form.body_md.data = current.body_md
    preview: Any = None
    if form.validate_on_submit():
        if form.publish.data:
            guideline = bank.publish_guideline(
                form.title.data, form.body_md.data, form.changelog.data, actor=current_user
            )
            flash(f"Guidelines version {guideline.version} published.", "success")
            return redirect(url_for("assessment_admin.guideline_view", guideline_id=guideline.id))
        preview = render_markdown(form.body_md.data)
    status = 422 if form.errors else 200
    return render_template(
        "assessment_admin/guideline_form.html", form=form, preview=preview, current=current
    ), status


@bp.get("/guidelines/<int:guideline_id>")
def guideline_view(guideline_id: int) -> str:
    guideline = db.get_or_404(Guideline, guideline_id)
    if guideline.project_id is not None:
        abort(404)
    return render_template("assessment_admin/guideline.html", guideline=guideline)


@bp.get("/attempts")
def attempts() -> str:
    """Recent assessment attempts, newest first."""
    page = db.paginate(
        select(Attempt).order_by(Attempt.started_at.desc(), Attempt.id.desc()), per_page=50
    )
    return render_template("assessment_admin/attempts.html", page=page)


@bp.get("/attempts/<int:attempt_id>")
def attempt_view(attempt_id: int) -> str:
    """One attempt's full breakdown (what recruiters see on the candidate page)."""
    attempt = db.get_or_404(Attempt, attempt_id)
    applicant = db.session.get(Applicant, attempt.applicant_id)
    return render_template(
        "assessment_admin/attempt.html",
        attempt=attempt,
        applicant=applicant,
        breakdown=attempt_breakdown(attempt),
    )


@bp.get("/rationales")
def rationales() -> str:
    """Rationales waiting for a blind grade, kappa per reviewer pair, near-duplicate rationales."""
    return render_template(
        "assessment_admin/rationales.html",
        entries=grading.queue(current_user),
        kappas=grading.kappa_by_pair(),
        duplicates=grading.near_duplicate_rationales(),
        collusion=grading.collusion_signals(),
    )


@bp.post("/rationales/<int:attempt_item_id>")
def rationale_grade(attempt_item_id: int) -> Response | tuple[str, int]:
    """Record one grade (0-2) and come back to the queue."""
    raw = request.form.get("grade", "")
    try:
        rescored = grading.grade(current_user, attempt_item_id, int(raw) if raw.isdigit() else -1)
    except grading.GradingError as exc:
        flash(str(exc), "error")
        return redirect(url_for("assessment_admin.rationales"))
    if rescored is not None:
        flash(f"All rationales of attempt {rescored.id} are graded: it is re-scored.", "success")
    else:
        flash("Grade saved.", "success")
    return redirect(url_for("assessment_admin.rationales"))
