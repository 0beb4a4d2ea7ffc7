"""Weekly timesheets: hours per day in quarter-hour steps, submitted, approved, then paid."""

from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from flask import current_app
from sqlalchemy import func, select

from portal import audit, clock
from portal.clock import zone
from portal.extensions import db
from portal.models import Applicant, Assignment, Timesheet, User
from portal.payments import accounts, contracts, deadlines, tiers
from portal.projects.services.guidelines import current_guideline, has_acknowledged
from portal.transactions import use_case
from portal.workdays import iso_week

MAX_WEEKLY_HOURS = 20
MAX_DAILY_HOURS = 24
DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
STATUS_LABELS = {
    "draft": "Draft",
    "submitted": "Submitted",
    "approved": "Approved",
    "rejected": "Rejected",
    "paid": "Paid",
}


class TimesheetError(ValueError):
    """The hours or the action are not allowed; ``errors`` lists what to fix."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors


def parse_week(week: str) -> date:
    """The Monday of an ISO week written ``2026-W47``; ValueError otherwise."""
    try:
        year_text, week_text = week.strip().upper().split("-W")
        return date.fromisocalendar(int(year_text), int(week_text), 1)
    except (ValueError, AttributeError):
        raise ValueError(f"{week!r} is not an ISO week like 2026-W47.") from None


def normalize_week(week: str) -> str:
    """The canonical spelling of an ISO week ("2026-w7" -> "2026-W07"); ValueError if invalid."""
    return iso_week(parse_week(week))


def week_days(week: str) -> list[date]:
    monday = parse_week(week)
    return [monday + timedelta(days=i) for i in range(7)]


def shift_week(week: str, weeks: int) -> str:
    return iso_week(parse_week(week) + timedelta(weeks=weeks))


def local_today(applicant: Applicant, now: datetime | None = None) -> date:
    """Today in the contractor's timezone (future days are judged where they work)."""
    return (now or clock.now()).astimezone(zone(applicant.timezone)).date()


DEFAULT_APPROVAL_DUE_HOURS = 48


def approval_due_hours() -> int:
    """Hours a submitted week may wait for a decision before it shows as overdue."""
    return int(current_app.config.get("TIMESHEET_APPROVAL_DUE_HOURS", DEFAULT_APPROVAL_DUE_HOURS))


def approval_overdue_before(now: datetime) -> datetime:
    """Weeks submitted before this moment and still undecided are overdue."""
    return now - timedelta(hours=approval_due_hours())


def overdue_count(before: datetime) -> int:
    """How many submitted weeks wait for a decision since before ``before``."""
    return (
        db.session.scalar(
            select(func.count(Timesheet.id)).where(
                Timesheet.status == "submitted", Timesheet.submitted_at < before
            )
        )
        or 0
    )


def weekly_cap(assignment: Assignment) -> int:
    """The weekly hours the assignment's quality tier allows (the agreed hours for the standard
    tier), never above the 20-hour ceiling."""
    return min(tiers.tier_cap(assignment), MAX_WEEKLY_HOURS)


def work_blockers(applicant: Applicant, assignment: Assignment) -> list[str]:
    """Why this contractor can't log work on this assignment yet (empty: they can)."""
    blockers = []
    if assignment.applicant_id != applicant.id:
        return ["This assignment is not yours."]
    if assignment.status == "paused":
        blockers.append(
            "This contract is paused"
            + (f": {assignment.pause_reason}" if assignment.pause_reason else "")
            + ". It takes no new hours until it is resumed."
        )
    elif assignment.status == "ended":
        blockers.append(
            "This contract has ended"
            + (f" ({assignment.ends_on:%d %b %Y})" if assignment.ends_on else "")
            + (f": {assignment.end_reason}" if assignment.end_reason else "")
            + "."
        )
    elif assignment.status != "active":
        blockers.append("This assignment is not active.")
    account = accounts.account_for(applicant.id)
    if account is None or not account.ready:
        blockers.append("Finish Stripe onboarding before logging work, so we can pay you.")
    guideline = current_guideline(assignment.project_id)
    if guideline is not None and not has_acknowledged(applicant.id, guideline.id):
        blockers.append(
            f"Acknowledge the project's current guidelines (version {guideline.version}) first."
        )
    return blockers


def active_assignments(applicant_id: int) -> list[Assignment]:
    return list(
        db.session.scalars(
            select(Assignment)
            .where(
                Assignment.applicant_id == applicant_id,
                Assignment.status.in_(("active", "paused")),
            )
            .order_by(Assignment.id)
        )
    )


def timesheet_for(assignment: Assignment, week: str) -> Timesheet | None:
    return db.session.scalar(
        select(Timesheet).where(Timesheet.assignment_id == assignment.id, Timesheet.week == week)
    )


def parse_hours(values: list[str]) -> tuple[list[int], list[str]]:
    """Seven day entries (hours, decimals allowed) as quarter-hours, plus errors per day."""
    quarters, errors = [], []
    for name, raw in zip(DAY_NAMES, values, strict=True):
        text = (raw or "").strip().replace(",", ".") or "0"
        try:
            hours = Decimal(text)
        except InvalidOperation:
            errors.append(f"{name}: {raw!r} is not a number of hours.")
            quarters.append(0)
            continue
        if not hours.is_finite() or hours < 0 or hours > MAX_DAILY_HOURS:
            errors.append(f"{name}: hours must be between 0 and {MAX_DAILY_HOURS}.")
            quarters.append(0)
            continue
        if (hours * 4) % 1 != 0:
            errors.append(f"{name}: use quarter-hour steps (e.g. 1.25, 1.5, 1.75).")
            quarters.append(0)
            continue
        quarters.append(int(hours * 4))
    return quarters, errors


@use_case
def save_week(
    applicant: Applicant,
    assignment: Assignment,
    week: str,
    values: list[str],
    *,
    today: date,
    submit: bool = False,
    note: str | None = None,
) -> Timesheet:
    """Validate and store a week's hours (and submit it); commits, or raises TimesheetError."""
    week = normalize_week(week)
    days = week_days(week)
    blockers = work_blockers(applicant, assignment)
    if blockers:
        raise TimesheetError(blockers)
    sheet = timesheet_for(assignment, week)
    if sheet is not None and sheet.locked:
        raise TimesheetError([f"This week is {STATUS_LABELS[sheet.status].lower()} and locked."])
    # A week closes for submission at its deadline; a week sent back (rejected) stays open.
    if sheet is None or sheet.status != "rejected":
        closed = deadlines.closed_message(week, clock.now())
        if closed:
            raise TimesheetError([closed])
    quarters, errors = parse_hours(values)
    for day, name, q in zip(days, DAY_NAMES, quarters, strict=True):
        if q and day > today:
            errors.append(f"{name} {day:%d %b} is in the future: log hours once you've worked.")
    errors += contracts.hour_violations(assignment, days, quarters)
    cap = weekly_cap(assignment)
    if sum(quarters) > cap * 4:
        errors.append(
            f"{sum(quarters) / 4:g} hours is above this assignment's weekly cap of {cap} hours."
        )
    if submit and not errors and sum(quarters) == 0:
        errors.append("Log some hours before submitting the week.")
    if errors:
        raise TimesheetError(errors)
    if sheet is None:
        sheet = Timesheet(assignment_id=assignment.id, applicant_id=applicant.id, week=week)
        db.session.add(sheet)
    sheet.quarter_hours = quarters
    sheet.note = (note or "").strip() or None
    if sheet.status == "rejected":
        sheet.status = "draft"
    guideline = current_guideline(assignment.project_id)
    sheet.guideline_id = guideline.id if guideline else None
    if submit:
        sheet.status = "submitted"
        sheet.submitted_at = clock.now()
        db.session.flush()
        audit.record(
            "timesheet.submitted",
            actor=applicant.user,
            subject_type="timesheet",
            subject_id=sheet.id,
            applicant_id=applicant.id,
            week=week,
            hours=sheet.total_hours,
        )
    return sheet


@use_case
def approve(sheet: Timesheet, actor: User) -> None:
    """Approve a submitted week that obeys its contract, freezing the rate it will be paid at;
    it is locked from then on; commits. A week that breaks a rule is refused, saying why."""
    _approve(sheet, actor)


def _approve(sheet: Timesheet, actor: User | None, **details: object) -> None:
    """The approval rules, for people and for the auto-approval alike (flushes only)."""
    violations = contracts.sheet_violations(sheet)
    if violations:
        raise TimesheetError(
            [f"Week {sheet.week} of {sheet.applicant.display_name} can't be approved:", *violations]
        )
    sheet.hourly_rate_cents = sheet.assignment.hourly_rate_cents
    _review(
        sheet,
        actor,
        "approved",
        hours=sheet.total_hours,
        rate_cents=sheet.hourly_rate_cents,
        **details,
    )


@use_case
def auto_approve_due() -> tuple[int, int]:
    """Approve weeks submitted `TIMESHEET_AUTO_APPROVE_HOURS` ago or more with no decision,
    under the same rules as a person (audited as automatic); off when the setting is empty.
    Returns (approved, left for a person because a rule refuses them)."""
    hours = current_app.config.get("TIMESHEET_AUTO_APPROVE_HOURS")
    if hours is None or hours == "":
        return 0, 0
    due = db.session.scalars(
        select(Timesheet)
        .where(
            Timesheet.status == "submitted",
            Timesheet.submitted_at <= clock.now() - timedelta(hours=int(hours)),
        )
        .order_by(Timesheet.id)
        .with_for_update(skip_locked=True)
    ).all()
    approved = refused = 0
    for sheet in due:
        if contracts.sheet_violations(sheet):
            refused += 1  # stays submitted: an admin sees why on the approvals page
            continue
        _approve(sheet, None, automatic=True, after_hours=int(hours))
        approved += 1
    return approved, refused


@use_case
def reject(sheet: Timesheet, actor: User, reason: str) -> None:
    """Send a submitted week back to the contractor with a reason; commits."""
    reason = (reason or "").strip()
    if not reason:
        raise TimesheetError(["Say why the week is rejected, so the contractor can fix it."])
    _review(sheet, actor, "rejected", reason=reason)


def _review(sheet: Timesheet, actor: User | None, outcome: str, **details: object) -> None:
    if sheet.status != "submitted":
        raise TimesheetError(
            [f"Only submitted weeks can be {outcome} (this one is {sheet.status})."]
        )
    sheet.status = outcome
    sheet.reviewed_at = clock.now()
    sheet.reviewed_by_id = actor.id if actor else None
    sheet.rejection_reason = details.get("reason")  # type: ignore[assignment]
    audit.record(
        f"timesheet.{outcome}",
        actor=actor,
        subject_type="timesheet",
        subject_id=sheet.id,
        applicant_id=sheet.applicant_id,
        week=sheet.week,
        **details,
    )


def amount_cents(quarter_hours: int, hourly_rate_cents: int) -> int:
    """Pay for ``quarter_hours`` at an hourly rate, rounded half up to the cent.

    quarters × rate / 4 is exact except for a remainder of 1-3 quarter-cents; 2 or more
    (half a cent or more) rounds up. E.g. 0.25 h at $33.33 = 833.25 ¢ -> 833 ¢.
    """
    return (quarter_hours * hourly_rate_cents + 2) // 4


def sheet_rate(sheet: Timesheet) -> int:
    """The hourly rate a week is paid at: frozen at approval; the assignment's until then."""
    if sheet.hourly_rate_cents is not None:
        return sheet.hourly_rate_cents
    return sheet.assignment.hourly_rate_cents


def sheet_amount(sheet: Timesheet) -> int:
    return amount_cents(sheet.total_quarters, sheet_rate(sheet))
