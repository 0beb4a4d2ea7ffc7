"""Recruiter pages beside the pipeline: saved searches, the exits report, emailing a candidate
without moving them, and previewing a template against a real candidate."""

from urllib.parse import parse_qsl

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response as BaseResponse

from portal.extensions import db, limiter
from portal.models import Applicant, EmailTemplate, SavedSearch
from portal.recruiters import emails, exits, searches
from portal.recruiters import postings as by_posting
from portal.recruiters.errors import ActionError
from portal.recruiters.forms import RenameSearchForm, SavedSearchForm
from portal.recruiters.views import _render_candidate, bp, email_form_for, render_candidates

PICKER_SIZE = 50


def _back_to_list() -> BaseResponse:
    return redirect(url_for("recruiters.candidates"))


@bp.post("/searches")
def save_search() -> BaseResponse | tuple[str, int]:
    form = SavedSearchForm(prefix="save")
    args = MultiDict(parse_qsl(form.query.data or ""))
    if form.validate_on_submit():
        try:
            saved = searches.save_search(
                current_user, form.name.data, form.query.data or "", shared=form.shared.data
            )
        except ActionError as exc:
            form.name.errors = [*form.name.errors, str(exc)]
        else:
            flash(f"Search “{saved.name}” saved.", "success")
            return redirect(url_for("recruiters.run_search", search_id=saved.id))
    return render_candidates(args, 422, save_form=form)


@bp.get("/searches/<int:search_id>")
def run_search(search_id: int) -> BaseResponse:
    saved = searches.runnable(search_id, current_user)
    if saved is None:
        abort(404)
    return redirect(url_for("recruiters.candidates") + ("?" + saved.query if saved.query else ""))


def _own_search(search_id: int) -> SavedSearch:
    saved = searches.runnable(search_id, current_user)
    if saved is None:
        abort(404)
    if saved.owner_id != current_user.id:
        abort(403)
    return saved


@bp.post("/searches/<int:search_id>/rename")
def rename_search(search_id: int) -> BaseResponse | tuple[str, int]:
    saved = _own_search(search_id)
    form = RenameSearchForm(prefix=f"rename-{search_id}")
    if form.validate_on_submit():
        try:
            searches.rename_search(
                saved, form.name.data, actor=current_user, shared=form.shared.data
            )
        except ActionError as exc:
            form.name.errors = [*form.name.errors, str(exc)]
        else:
            flash("Search renamed.", "success")
            return _back_to_list()
    db.session.refresh(saved)
    return render_template("recruiters/saved_search_rename.html", saved=saved, form=form), 422


@bp.post("/searches/<int:search_id>/delete")
def delete_search(search_id: int) -> BaseResponse:
    saved = _own_search(search_id)
    name = saved.name
    searches.delete_search(saved, actor=current_user)
    flash(f"Search “{name}” deleted.", "success")
    return _back_to_list()


@bp.get("/reports/exits")
def exit_report() -> tuple[str, int]:
    slug = (request.args.get("posting") or "").strip().lower()
    posting_id = by_posting.posting_id(slug)
    if slug and posting_id is None:
        abort(404)
    return render_template(
        "recruiters/exits.html",
        report=exits.exit_report(posting_id),
        postings=by_posting.postings_for_filter(),
        posting=slug,
    ), 200


def _email_limit() -> str:
    return current_app.config.get("RECRUITER_EMAIL_RATE_LIMIT", "60 per hour")


def _user_key() -> str:
    return f"user:{current_user.id}"


@bp.post("/candidates/<int:applicant_id>/email")
@limiter.limit(_email_limit, methods=["POST"], key_func=_user_key)
def email_candidate(applicant_id: int) -> BaseResponse | tuple[str, int]:
    applicant = db.get_or_404(Applicant, applicant_id)
    templates = list(db.session.scalars(select(EmailTemplate).order_by(EmailTemplate.name)))
    form = email_form_for(templates, applicant)
    if form.validate_on_submit():
        template = db.session.get(EmailTemplate, int(form.template.data or 0))
        chosen = int(form.application.data or 0)
        application = next((a for a in applicant.applications if a.id == chosen), None)
        try:
            message = emails.send_candidate_email(
                applicant,
                actor=current_user,
                application=application,
                template=template,
                subject=form.subject.data or "",
                body=form.body.data or "",
            )
        except ActionError as exc:
            form.body.errors = [*form.body.errors, str(exc)]
        else:
            flash(f"Email “{message.subject}” sent (their stage is unchanged).", "success")
            return redirect(url_for("recruiters.candidate", applicant_id=applicant_id))
    return _render_candidate(applicant_id, 422, email_form=form)


@bp.get("/templates/<int:template_id>/preview")
def preview_template(template_id: int) -> tuple[str, int]:
    """The template rendered for a chosen candidate (or a sample one); reads only."""
    template = db.get_or_404(EmailTemplate, template_id)
    applicant = None
    raw = request.args.get("applicant", "")
    if raw.isdigit():
        applicant = db.session.get(Applicant, int(raw))
        if applicant is not None and applicant.deleted_at is not None:
            applicant = None
    try:
        subject, body = emails.render_template_text(
            template.subject,
            template.body,
            emails.template_context(applicant, template.stage),
        )
        error = None
    except ActionError as exc:
        subject, body, error = "", "", str(exc)
    recent = list(
        db.session.scalars(
            select(Applicant)
            .where(Applicant.deleted_at.is_(None))
            .order_by(Applicant.stage_changed_at.desc(), Applicant.id.desc())
            .limit(PICKER_SIZE)
        )
    )
    if applicant is not None and applicant not in recent:
        recent.insert(0, applicant)
    return render_template(
        "recruiters/template_preview.html",
        template=template,
        subject=subject,
        body=body,
        error=error,
        applicant=applicant,
        candidates=recent,
    ), (422 if error else 200)
