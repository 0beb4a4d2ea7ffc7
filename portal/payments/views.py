"""Thin views: contractor onboarding/timesheets/payouts, admin approvals/runs, the webhook."""

from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload
from werkzeug.wrappers import Response

from portal import clock
from portal.auth.roles import restrict_blueprint
from portal.extensions import csrf, db
from portal.models import Applicant, Assignment, Payout, PayoutRun, Role, Timesheet
from portal.payments import accounts, contracts, deadlines, payouts, timesheets, webhooks
from portal.payments.gateway import (
    PaymentsNotConfigured,
    connect_webhook_secret,
    get_gateway,
    is_simulation,
    payments_configured,
    webhook_secret,
)
from portal.payments.stripe_gateway import GatewayError, WebhookInvalid
from portal.work import output
from portal.workdays import iso_week

bp = Blueprint("payments", __name__, url_prefix="/me/payments")
restrict_blueprint(bp, Role.APPLICANT)

admin_bp = Blueprint("payments_admin", __name__, url_prefix="/admin")
restrict_blueprint(admin_bp, Role.ADMIN)

# Public: Stripe calls it; the signature is the authentication.
webhook_bp = Blueprint("stripe_webhooks", __name__, url_prefix="/stripe")


@bp.app_context_processor
def _payments_globals() -> dict[str, Any]:
    return {"stripe_simulation": is_simulation, "payments_configured": payments_configured}


def _me() -> Applicant:
    applicant = current_user.applicant
    if applicant is None:
        abort(404)
    return applicant


# -- contractor: onboarding ----------------------------------------------------------------


@bp.get("/")
def index() -> str:
    applicant = _me()
    account = accounts.account_for(applicant.id)
    status, message = accounts.status_message(account)
    history = list(
        db.session.scalars(
            select(Payout).where(Payout.applicant_id == applicant.id).order_by(Payout.week.desc())
        )
    )
    return render_template(
        "payments/index.html",
        account=account,
        status=status,
        status_label=accounts.STATUS_LABELS[status],
        message=message,
        payouts=history,
        refusal=accounts.onboarding_refusal(applicant) if account is None else None,
    )


def _onboarding_redirect(*, create: bool) -> Response:
    applicant = _me()
    if not payments_configured():
        flash("Payments are not configured yet; please check back later.", "warning")
        return redirect(url_for("payments.index"))
    urls = {
        "refresh_url": url_for("payments.refresh", _external=True),
        "return_url": url_for("payments.stripe_return", _external=True),
    }
    try:
        with get_gateway() as gateway:
            if create:
                country = applicant.country or current_app.config["STRIPE_CONNECT_DEFAULT_COUNTRY"]
                url = accounts.onboarding_link(applicant, gateway, country=country, **urls)
            else:
                url = accounts.fresh_link(applicant, gateway, **urls)
    except accounts.OnboardingNotAllowed as exc:
        flash(str(exc), "warning")
        return redirect(url_for("payments.index"))
    except GatewayError as exc:
        flash(f"Stripe could not start onboarding: {exc.message}", "error")
        return redirect(url_for("payments.index"))
    return redirect(url)


@bp.post("/onboard")
def onboard() -> Response:
    """Create the Express account if needed and send the contractor to Stripe."""
    return _onboarding_redirect(create=True)


@bp.get("/refresh")
def refresh() -> Response:
    """Stripe sends an expired or used link here: a fresh link to the owner's existing account.

    A GET never creates an account: without one, the payments page offers the (POST) button.
    """
    return _onboarding_redirect(create=False)


@bp.get("/return")
def stripe_return() -> Response:
    """Coming back from Stripe proves nothing: ask Stripe for the account's real state."""
    applicant = _me()
    account = accounts.account_for(applicant.id)
    if account is None or not payments_configured():
        return redirect(url_for("payments.index"))
    try:
        with get_gateway() as gateway:
            accounts.check_account(account, gateway)
    except GatewayError as exc:
        flash(f"Could not reach Stripe to check your account: {exc.message}", "error")
        return redirect(url_for("payments.index"))
    status, message = accounts.status_message(account)
    flash(message, "success" if status == "ready" else "warning")
    return redirect(url_for("payments.index"))


@bp.get("/statements/<week>")
def statement(week: str) -> str:
    applicant = _me()
    try:
        week = timesheets.normalize_week(week)
    except ValueError:
        abort(404)
    sheets = list(
        db.session.scalars(
            select(Timesheet)
            .where(Timesheet.applicant_id == applicant.id, Timesheet.week == week)
            .order_by(Timesheet.id)
        )
    )
    payouts_of_week = list(
        db.session.scalars(
            select(Payout)
            .where(Payout.applicant_id == applicant.id, Payout.week == week)
            .order_by(Payout.adjustment)
        )
    )
    if not sheets and not payouts_of_week:
        abort(404)
    unpaid_late = sum(
        1 for s in sheets if s.status == "approved" and s.payout_id is None and payouts_of_week
    )
    return render_template(
        "payments/statement.html",
        week=week,
        days=timesheets.week_days(week),
        sheets=sheets,
        payouts=payouts_of_week,
        unpaid_late=unpaid_late,
        amount=timesheets.sheet_amount,
        rate=timesheets.sheet_rate,
        day_names=timesheets.DAY_NAMES,
    )


# -- contractor: timesheets ----------------------------------------------------------------


def _week_arg(applicant: Applicant) -> str:
    week = request.args.get("week") or iso_week(timesheets.local_today(applicant))
    try:
        return timesheets.normalize_week(week)
    except ValueError:
        abort(404)


def _render_week(
    applicant: Applicant,
    week: str,
    typed: dict[int, list[str]] | None = None,
    errors: dict[int, list[str]] | None = None,
) -> str:
    today = timesheets.local_today(applicant)
    rows = []
    assignments = timesheets.active_assignments(applicant.id)
    live = output.live_projects(a.project_id for a in assignments)
    for assignment in assignments:
        sheet = timesheets.timesheet_for(assignment, week)
        values = (typed or {}).get(assignment.id) or [
            f"{q / 4:g}" if q else "" for q in (sheet.quarter_hours if sheet else [0] * 7)
        ]
        rows.append(
            {
                "assignment": assignment,
                "sheet": sheet,
                "values": values,
                "blockers": timesheets.work_blockers(applicant, assignment),
                "closed": [
                    contracts.closed_reason(assignment, day) for day in timesheets.week_days(week)
                ],
                "cap": timesheets.weekly_cap(assignment),
                "errors": (errors or {}).get(assignment.id, []),
                "guideline": timesheets.current_guideline(assignment.project_id),
                "output": output.week_output(applicant, assignment, week)
                if assignment.project_id in live
                else None,
            }
        )
    recent = list(
        db.session.scalars(
            select(Timesheet)
            .where(Timesheet.applicant_id == applicant.id)
            .order_by(Timesheet.week.desc())
            .limit(12)
        )
    )
    return render_template(
        "payments/timesheets.html",
        week=week,
        days=timesheets.week_days(week),
        today=today,
        rows=rows,
        recent=recent,
        closes_at=deadlines.closes_at(week),
        closed=deadlines.closed_message(week, clock.now()),
        prev_week=timesheets.shift_week(week, -1),
        next_week=timesheets.shift_week(week, 1),
        day_names=timesheets.DAY_NAMES,
        labels=timesheets.STATUS_LABELS,
        stage=applicant.stage,
    )


@bp.get("/timesheets")
def timesheet_week() -> str:
    applicant = _me()
    return _render_week(applicant, _week_arg(applicant))


@bp.post("/timesheets/<int:assignment_id>/<week>")
def save_timesheet(assignment_id: int, week: str) -> Response | tuple[str, int]:
    applicant = _me()
    assignment = db.get_or_404(Assignment, assignment_id)
    if assignment.applicant_id != applicant.id:
        abort(404)
    try:
        week = timesheets.normalize_week(week)
    except ValueError:
        abort(404)
    values = [request.form.get(f"day{i}", "") for i in range(7)]
    submit = request.form.get("action") == "submit"
    try:
        timesheets.save_week(
            applicant,
            assignment,
            week,
            values,
            today=timesheets.local_today(applicant),
            submit=submit,
            note=request.form.get("note"),
        )
    except timesheets.TimesheetError as exc:
        return _render_week(
            applicant, week, {assignment.id: values}, {assignment.id: exc.errors}
        ), 422
    flash(f"Week {week} submitted for approval." if submit else f"Week {week} saved.", "success")
    return redirect(url_for("payments.timesheet_week", week=week))


# -- admin: approvals, payout runs, reconciliation -----------------------------------------


@admin_bp.get("/timesheets")
def admin_timesheets() -> str:
    status = request.args.get("status", "submitted")
    query = (
        select(Timesheet)
        .options(
            joinedload(Timesheet.applicant).joinedload(Applicant.user),
            joinedload(Timesheet.assignment).joinedload(Assignment.project),
        )
        .order_by(Timesheet.week.desc(), Timesheet.id)
    )
    due_before = timesheets.approval_overdue_before(clock.now())
    if status == "overdue":
        query = query.where(Timesheet.status == "submitted", Timesheet.submitted_at < due_before)
        query = query.order_by(None).order_by(Timesheet.submitted_at, Timesheet.id)
    elif status in timesheets.STATUS_LABELS:
        query = query.where(Timesheet.status == status)
    page = db.paginate(query, per_page=50)
    return render_template(
        "payments/admin_timesheets.html",
        page=page,
        outputs=output.outputs_for(page.items),
        overdue=timesheets.overdue_count(due_before),
        due_before=due_before,
        approval_hours=timesheets.approval_due_hours(),
        status=status,
        labels=timesheets.STATUS_LABELS,
        amount=timesheets.sheet_amount,
        day_names=timesheets.DAY_NAMES,
    )


@admin_bp.post("/timesheets/<int:sheet_id>/review")
def review_timesheet(sheet_id: int) -> Response:
    sheet = db.get_or_404(Timesheet, sheet_id)
    try:
        if request.form.get("decision") == "approve":
            timesheets.approve(sheet, current_user)
            message = f"Approved {sheet.applicant.display_name}'s week {sheet.week}."
        else:
            timesheets.reject(sheet, current_user, request.form.get("reason", ""))
            message = f"Rejected {sheet.applicant.display_name}'s week {sheet.week}."
    except timesheets.TimesheetError as exc:
        flash(" ".join(exc.errors), "error")
    else:
        flash(message, "success")
    return redirect(url_for("payments_admin.admin_timesheets"))


@admin_bp.get("/payouts")
def admin_payouts() -> str:
    runs = db.paginate(select(PayoutRun).order_by(PayoutRun.id.desc()), per_page=20)
    with_name = joinedload(Payout.applicant).joinedload(Applicant.user)
    open_payouts = list(
        db.session.scalars(
            select(Payout)
            .where(Payout.status.in_(payouts.OPEN_STATUSES))
            .options(with_name)
            .order_by(Payout.week, Payout.id)
        )
    )
    approved_unpaid = db.session.scalar(
        select(func.count())
        .select_from(Timesheet)
        .where(Timesheet.status == "approved", Timesheet.payout_id.is_(None))
    )
    recent = list(
        db.session.scalars(
            select(Payout)
            .options(with_name)
            .order_by(Payout.week.desc(), Payout.id.desc())
            .limit(30)
        )
    )
    return render_template(
        "payments/admin_payouts.html",
        runs=runs,
        open_payouts=open_payouts,
        approved_unpaid=approved_unpaid,
        recent=recent,
        late=payouts.late_sheets(),
    )


@admin_bp.post("/payouts/run")
def run_payouts_now() -> Response:
    week = (request.form.get("week") or "").strip() or None
    if week:
        try:
            week = timesheets.normalize_week(week)
        except ValueError as exc:
            flash(str(exc), "error")
            return redirect(url_for("payments_admin.admin_payouts"))
    try:
        with get_gateway() as gateway:
            run = payouts.run_payouts(gateway, week=week, trigger="admin", actor=current_user)
    except PaymentsNotConfigured as exc:
        flash(str(exc), "error")
        return redirect(url_for("payments_admin.admin_payouts"))
    flash(f"Run {run.id}: {run.paid_count} paid, {run.failed_count} left unpaid.", "success")
    return redirect(url_for("payments_admin.payout_run", run_id=run.id))


@admin_bp.get("/payouts/runs/<int:run_id>")
def payout_run(run_id: int) -> str:
    run = db.get_or_404(PayoutRun, run_id)
    names = _names({line["applicant_id"] for line in run.lines})
    return render_template("payments/admin_run.html", run=run, names=names)


@admin_bp.get("/payouts/reconcile")
def reconcile() -> str | tuple[str, int]:
    if not payments_configured():
        return render_template("payments/admin_reconcile.html", rows=None, error=None)
    try:
        with get_gateway() as gateway:
            rows = payouts.reconcile(gateway)
    except GatewayError as exc:
        return render_template("payments/admin_reconcile.html", rows=None, error=exc.message), 502
    return render_template("payments/admin_reconcile.html", rows=rows, error=None)


def _names(applicant_ids: set[int]) -> dict[int, str]:
    if not applicant_ids:
        return {}
    return {
        a.id: a.display_name
        for a in db.session.scalars(select(Applicant).where(Applicant.id.in_(applicant_ids)))
    }


# -- Stripe webhooks ------------------------------------------------------------------------
# Stripe signs each endpoint's deliveries with that endpoint's own secret: "Your account"
# events (the platform) and "Connected accounts" events arrive at different URLs.


@webhook_bp.post("/webhook")
@csrf.exempt
def stripe_webhook() -> tuple[dict[str, str], int]:
    """Events on the platform's own account, signed with STRIPE_WEBHOOK_SECRET."""
    return _receive_webhook(webhook_secret())


@webhook_bp.post("/webhook/connect")
@csrf.exempt
def stripe_connect_webhook() -> tuple[dict[str, str], int]:
    """Events on connected accounts, signed with STRIPE_CONNECT_WEBHOOK_SECRET."""
    return _receive_webhook(connect_webhook_secret())


def _receive_webhook(secret: str | None) -> tuple[dict[str, str], int]:
    """Verify the signature over the raw body, then process the event once."""
    if not payments_configured() or not secret:
        return {"error": "payments are not configured"}, 503
    payload = request.get_data()
    try:
        with get_gateway() as gateway:
            event = gateway.parse_webhook(payload, request.headers.get("Stripe-Signature"), secret)
            outcome = webhooks.process_event(event, gateway)
    except WebhookInvalid as exc:
        return {"error": exc.message}, 400
    return {"status": outcome}, 200
