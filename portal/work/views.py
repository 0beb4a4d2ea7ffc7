"""Thin views: the contractor's work queue under /me/work, the admin's batches under /admin/work."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from assessments.importers import FORMATS, ItemImportError
from assessments.views import PAIRWISE_SCALE, _answer_from_form
from portal import clock
from portal.auth.roles import restrict_blueprint
from portal.extensions import db
from portal.models import (
    Applicant,
    Assignment,
    Project,
    RaterPause,
    Role,
    TaskBatch,
    TaskClaim,
)
from portal.payments import tiers
from portal.work import batches, export, history, output, quality_report, queue

bp = Blueprint("work", __name__, url_prefix="/me/work")
restrict_blueprint(bp, Role.APPLICANT)

admin_bp = Blueprint("work_admin", __name__, url_prefix="/admin/work")
restrict_blueprint(admin_bp, Role.ADMIN)


def _me() -> Applicant:
    applicant = current_user.applicant
    if applicant is None:
        abort(404)
    return applicant


@bp.get("/")
def index() -> str:
    applicant = _me()
    assignments = list(
        db.session.scalars(
            select(Assignment)
            .where(Assignment.applicant_id == applicant.id, Assignment.status == "active")
            .order_by(Assignment.id)
        )
    )
    today = clock.now().date()
    rows = [
        {
            "assignment": a,
            "refusal": queue.refusal(a, today),
            "counts": queue.done_counts(applicant.id, a.project_id),
        }
        for a in assignments
    ]
    return render_template("work/index.html", rows=rows)


@bp.get("/history")
def history_page() -> str:
    """What I did: each of the last 14 days and 8 ISO weeks, and my latest answers."""
    applicant = _me()
    project_id = request.args.get("project", type=int)
    projects = list(
        db.session.scalars(
            select(Project)
            .where(
                Project.id.in_(
                    select(Assignment.project_id).where(Assignment.applicant_id == applicant.id)
                )
            )
            .order_by(Project.title)
        )
    )
    if project_id is not None and project_id not in {p.id for p in projects}:
        abort(404)
    return render_template(
        "work/history.html",
        history=history.history(applicant.id, project_id),
        projects=projects,
        project_id=project_id,
    )


@bp.get("/<int:project_id>")
def project(project_id: int) -> str:
    """The current task if one is held; otherwise a button that claims the next (GET changes
    nothing)."""
    applicant = _me()
    assignment = queue.assignment_for(applicant.id, project_id)
    if assignment is None:
        abort(404)
    reason = queue.refusal(assignment, clock.now().date())
    claim = queue.open_claim(applicant.id, project_id) if reason is None else None
    if claim is not None:
        return _render_claim(claim)
    return render_template(
        "work/start.html",
        project=assignment.project,
        refusal=reason,
        counts=queue.done_counts(applicant.id, project_id),
    )


def _render_claim(
    claim: TaskClaim, error: str | None = None, answer: dict[str, Any] | None = None
) -> str:
    task = claim.task
    return render_template(
        "work/task.html",
        claim=claim,
        project=db.session.get(Project, task.project_id),
        view=queue.view_of(claim),
        scale=PAIRWISE_SCALE,
        answer=answer or {},
        error=error,
        counts=queue.done_counts(claim.applicant_id, task.project_id),
    )


@bp.post("/<int:project_id>/next")
def next_task(project_id: int) -> Response:
    applicant = _me()
    try:
        claim = queue.claim_next(applicant.id, project_id)
    except queue.WorkRefused as exc:
        flash(str(exc), "error")
        return redirect(url_for("work.index"))
    if claim is None:
        flash("No tasks are waiting for you on this project right now.", "info")
    return redirect(url_for("work.project", project_id=project_id))


@bp.post("/claims/<int:claim_id>")
def submit(claim_id: int) -> Response | tuple[str, int]:
    applicant = _me()
    claim = db.session.get(TaskClaim, claim_id)
    if claim is None or claim.applicant_id != applicant.id:
        abort(404)
    project_id = claim.task.project_id
    answer = _answer_from_form(request.form, claim.task.kind, len(claim.task.responses))
    try:
        queue.submit(claim_id, applicant.id, answer)
    except queue.AnswerError as exc:
        return _render_claim(claim, str(exc), answer), 422
    except queue.WorkRefused as exc:
        flash(str(exc), "error")
        return redirect(url_for("work.project", project_id=project_id))
    flash("Saved.", "success")
    if request.form.get("go") == "stop":
        return redirect(url_for("work.project", project_id=project_id))
    return redirect(url_for("work.next_task", project_id=project_id), code=307)


@bp.post("/claims/<int:claim_id>/skip")
def skip(claim_id: int) -> Response | tuple[str, int]:
    applicant = _me()
    claim = db.session.get(TaskClaim, claim_id)
    if claim is None or claim.applicant_id != applicant.id:
        abort(404)
    project_id = claim.task.project_id
    try:
        queue.skip(claim_id, applicant.id, request.form.get("skip_reason", ""))
    except queue.AnswerError as exc:
        return _render_claim(claim, str(exc)), 422
    except queue.WorkRefused as exc:
        flash(str(exc), "error")
    return redirect(url_for("work.project", project_id=project_id))


@admin_bp.get("/<int:project_id>")
def batches_page(project_id: int) -> str:
    project = db.get_or_404(Project, project_id)
    rows = [(b, batches.progress(b)) for b in batches.batches_of(project.id)]
    return render_template(
        "work/admin_batches.html", project=project, rows=rows, formats=FORMATS, form={}, errors=[]
    )


@admin_bp.post("/<int:project_id>")
def upload(project_id: int) -> Response | tuple[str, int]:
    project = db.get_or_404(Project, project_id)
    form = request.form
    errors: list[str] = []
    fmt = form.get("format", "native")
    if fmt not in FORMATS:
        errors.append(f"Unknown format {fmt!r}.")
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        errors.append("Choose a file to upload.")
    try:
        overlap = int(form.get("overlap", "3"))
        share = float(form.get("gold_share", "8")) / 100
        version = int(form["guideline_version"]) if form.get("guideline_version") else None
    except ValueError:
        errors.append("Overlap, gold share and guideline version must be numbers.")
        overlap, share, version = 3, 0.08, None
    settings = batches.BatchSettings(
        form.get("name", "").strip(), overlap, share, bool(form.get("rationale_required")), version
    )
    try:
        settings.check()
    except batches.BatchError as exc:
        errors.append(str(exc))
    if not errors:
        assert upload is not None
        lines = upload.read().decode("utf-8-sig", errors="replace").splitlines()
        try:
            result = batches.import_tasks(project, lines, fmt, settings, actor=current_user)
        except ItemImportError as exc:
            errors.append(f"{upload.filename}: {exc} (nothing imported)")
        else:
            flash(f"{result.added} added, {result.skipped} skipped.", "success")
            return redirect(url_for("work_admin.batches_page", project_id=project.id))
    rows = [(b, batches.progress(b)) for b in batches.batches_of(project.id)]
    page = render_template(
        "work/admin_batches.html",
        project=project,
        rows=rows,
        formats=FORMATS,
        form=form,
        errors=errors,
    )
    return page, 422


@admin_bp.get("/<int:project_id>/preferences.jsonl")
def download(project_id: int) -> Response:
    """The preference export as a file (``?format=hh-rlhf``, ``?batch=ID``)."""
    project = db.get_or_404(Project, project_id)
    fmt = request.args.get("format", "jsonl")
    if fmt not in export.FORMATS:
        abort(404)
    batch_id = request.args.get("batch", type=int)
    result = export.build(project.id, current_app.config["SECRET_KEY"], batch_id=batch_id)
    body = "".join(export.lines(result, fmt))
    name = f"project-{project.id}-{fmt}.jsonl"
    return Response(
        body,
        mimetype="application/jsonl",
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "X-Export-Summary": result.summary(),
        },
    )


@admin_bp.get("/batches/<int:batch_id>")
def batch(batch_id: int) -> str:
    batch = db.get_or_404(TaskBatch, batch_id)
    report = quality_report.batch_report(batch)
    return render_template(
        "work/admin_batch.html",
        batch=batch,
        project=db.session.get(Project, batch.project_id),
        progress=batches.progress(batch),
        report=report,
        names=quality_report.names(list(report.raters)),
    )


@admin_bp.post("/batches/<int:batch_id>/status")
def batch_status(batch_id: int) -> Response:
    """Close a batch (no new claims) or reopen it."""
    batch = db.get_or_404(TaskBatch, batch_id)
    status = request.form.get("status", "")
    try:
        changed = batches.set_status(batch, status, actor=current_user)
    except batches.BatchError as exc:
        flash(str(exc), "error")
    else:
        word = "closed" if status == "closed" else "reopened"
        flash(f"Batch {word}." if changed else f"The batch was already {status}.", "success")
    return redirect(url_for("work_admin.batch", batch_id=batch.id))


@admin_bp.get("/<int:project_id>/quality")
def quality_page(project_id: int) -> str:
    project = db.get_or_404(Project, project_id)
    report = quality_report.report(project.id)
    pauses = quality_report.open_pauses(project.id)
    rule = quality_report.rule()
    tier_rows = output.tier_table(project.id, report.raters, rule.bar, rule.min_gold)
    ids = list(report.raters) + [p.applicant_id for p in pauses]
    ids += [row["assignment"].applicant_id for row in tier_rows]
    return render_template(
        "work/admin_quality.html",
        project=project,
        report=report,
        pauses=pauses,
        names=quality_report.names(ids),
        rule=rule,
        tier_rows=tier_rows,
        tiers=tiers.TIERS,
    )


@admin_bp.post("/assignments/<int:assignment_id>/tier")
def set_tier(assignment_id: int) -> Response:
    assignment = db.get_or_404(Assignment, assignment_id)
    try:
        tiers.set_tier(assignment, request.form.get("tier", ""), actor=current_user)
    except tiers.TierError as exc:
        flash(str(exc), "error")
    else:
        flash(
            f"Tier set to {tiers.TIERS[assignment.quality_tier].lower()}: up to "
            f"{tiers.tier_cap(assignment)} h a week.",
            "success",
        )
    return redirect(url_for("work_admin.quality_page", project_id=assignment.project_id))


@admin_bp.post("/pauses/<int:pause_id>")
def decide_pause(pause_id: int) -> Response:
    pause = db.get_or_404(RaterPause, pause_id)
    try:
        quality_report.decide_pause(pause, request.form.get("decision", ""), actor=current_user)
    except ValueError as exc:
        flash(str(exc), "error")
    else:
        flash(f"Pause {pause.status}.", "success")
    return redirect(url_for("work_admin.quality_page", project_id=pause.project_id))
