"""Admin pages for the rules, and the recruiter's queue (only what needs a person)."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response as BaseResponse

from portal import clock
from portal.auth.roles import restrict_blueprint
from portal.automation import engine, queue, rules
from portal.automation.forms import ConfirmForm, RuleForm
from portal.automation.kinds import ACTIONS, TRIGGERS
from portal.extensions import db
from portal.models import AutomationRule, Posting, PostingAutomation, Role
from portal.pipeline import STAGES

bp = Blueprint("automation", __name__, url_prefix="/recruiter/queue")
restrict_blueprint(bp, Role.RECRUITER, Role.ADMIN)
admin_bp = Blueprint("automation_admin", __name__, url_prefix="/admin/automation")
restrict_blueprint(admin_bp, Role.ADMIN)


@bp.get("/")
def index() -> str:
    posting_id = request.args.get("posting", type=int)
    return render_template(
        "automation/queue.html",
        items=queue.open_items(posting_id),
        scheduled=queue.waiting_actions("scheduled", posting_id),
        confirm=queue.waiting_actions("confirm", posting_id),
        postings=queue.postings(),
        posting_id=posting_id,
        form=ConfirmForm(),
        STAGES=STAGES,
        ACTIONS=ACTIONS,
        now=clock.now(),
    )


def _checked() -> bool:
    form = ConfirmForm()
    if not form.validate_on_submit():
        flash("The form expired; try again.", "error")
        return False
    return True


@bp.post("/actions/<int:action_id>/undo")
def undo(action_id: int) -> BaseResponse:
    if _checked():
        try:
            engine.undo(action_id, actor=current_user)
        except engine.AutomationError as exc:
            flash(str(exc), "error")
        else:
            flash("Undone: nothing was sent. The applicant is in your queue.", "success")
    return redirect(url_for(".index"))


@bp.post("/actions/<int:action_id>/confirm")
def confirm(action_id: int) -> BaseResponse:
    if _checked():
        try:
            engine.confirm_offer(action_id, actor=current_user)
        except engine.AutomationError as exc:
            flash(str(exc), "error")
        else:
            flash("Offer made and emailed.", "success")
    return redirect(url_for(".index"))


@bp.post("/items/<int:item_id>/resolve")
def resolve(item_id: int) -> BaseResponse:
    if _checked():
        engine.resolve(item_id, actor=current_user)
        flash("Marked as handled.", "success")
    return redirect(url_for(".index"))


@admin_bp.get("/")
def rules_index() -> str:
    postings = queue.postings()
    by_posting: dict[int, list[AutomationRule]] = {p.id: [] for p in postings}
    for rule in db.session.scalars(
        db.select(AutomationRule).order_by(AutomationRule.posting_id, AutomationRule.id)
    ):
        by_posting.setdefault(rule.posting_id, []).append(rule)
    paused = {
        row.posting_id for row in db.session.scalars(db.select(PostingAutomation)) if row.paused
    }
    return render_template(
        "automation/rules.html",
        postings=postings,
        by_posting=by_posting,
        paused=paused,
        form=ConfirmForm(),
        TRIGGERS=TRIGGERS,
        ACTIONS=ACTIONS,
    )


def _render_rule(
    form: RuleForm, posting: Posting, rule: AutomationRule | None, status: int = 200
) -> tuple[str, int]:
    return render_template(
        "automation/rule_form.html", form=form, posting=posting, rule=rule
    ), status


@admin_bp.route("/postings/<int:posting_id>/rules/new", methods=["GET", "POST"])
def rule_new(posting_id: int) -> BaseResponse | tuple[str, int]:
    posting = db.get_or_404(Posting, posting_id)
    return _save(RuleForm(), posting, None)


@admin_bp.route("/rules/<int:rule_id>", methods=["GET", "POST"])
def rule_edit(rule_id: int) -> BaseResponse | tuple[str, int]:
    rule = db.get_or_404(AutomationRule, rule_id)
    posting = db.get_or_404(Posting, rule.posting_id)
    form = RuleForm(obj=rule) if request.method == "GET" else RuleForm()
    if request.method == "GET" and rule.min_score is not None:
        form.min_score.data = int(rule.min_score)
    return _save(form, posting, rule)


def _save(
    form: RuleForm, posting: Posting, rule: AutomationRule | None
) -> BaseResponse | tuple[str, int]:
    if request.method == "GET":
        return _render_rule(form, posting, rule)
    valid = form.validate_on_submit()
    errors = rules.check(form.values()) if form.is_submitted() else {}
    for name, message in errors.items():
        getattr(form, name).errors = [*getattr(form, name).errors, message]
    if not valid or errors:
        return _render_rule(form, posting, rule, 422)
    target = rule or AutomationRule(posting_id=posting.id)
    saved = rules.save_rule(target, form.values(), actor=current_user)
    flash(f"Saved “{saved.name}” (version {saved.version}).", "success")
    return redirect(url_for(".rules_index"))


@admin_bp.get("/rules/<int:rule_id>/dry-run")
def dry_run(rule_id: int) -> str:
    rule = db.get_or_404(AutomationRule, rule_id)
    return render_template(
        "automation/dry_run.html",
        rule=rule,
        posting=db.get_or_404(Posting, rule.posting_id),
        report=rules.dry_run(rule),
        TRIGGERS=TRIGGERS,
        ACTIONS=ACTIONS,
    )


@admin_bp.post("/postings/<int:posting_id>/defaults")
def add_defaults(posting_id: int) -> BaseResponse:
    posting = db.get_or_404(Posting, posting_id)
    if _checked():
        added = rules.add_default_rules(posting, actor=current_user)
        flash(f"Added {len(added)} default rule(s), switched off: dry-run them first.", "success")
    return redirect(url_for(".rules_index"))


@admin_bp.post("/postings/<int:posting_id>/pause")
def pause(posting_id: int) -> BaseResponse:
    posting = db.get_or_404(Posting, posting_id)
    if _checked():
        paused = request.form.get("paused") == "1"
        rules.set_paused(posting, paused, actor=current_user)
        flash(f"Automation {'paused' if paused else 'running'} for {posting.title}.", "success")
    return redirect(url_for(".rules_index"))
