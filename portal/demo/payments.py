"""Demo data for payments: contractors with Stripe accounts, timesheets in every state, payouts."""

from collections.abc import Iterator
from datetime import timedelta

from sqlalchemy import select

from portal import clock
from portal.extensions import db
from portal.models import (
    Applicant,
    Assignment,
    Client,
    GuidelineAck,
    Payout,
    PayoutRun,
    Project,
    StripeAccount,
    Timesheet,
    User,
)
from portal.payments import payouts, timesheets
from portal.workdays import iso_week

DEMO_CLIENT = "Payments demo client"
DEMO_PROJECT = "Payments demo: ranking sprint"

# email, Stripe account id, onboarding status, rate (cents/h), weekly hours, assignment status
CONTRACTORS = [
    ("chloe@demo.example", "acct_1DemoChloeMartin", "ready", 3400, 20, "active"),
    ("omar@demo.example", "acct_1DemoOmarHaddad", "ready", 3500, 15, "active"),
    ("yuki@demo.example", "acct_1DemoYukiSato00", "incomplete", 3300, 16, "accepted"),
]

# weeks ago -> timesheet state, per contractor (hours per day in quarter hours)
TIMESHEETS = {
    "chloe@demo.example": [(4, "paid"), (3, "paid"), (2, "approved"), (1, "submitted")],
    "omar@demo.example": [(4, "paid"), (3, "approved"), (2, "submitted"), (1, "draft")],
}
PATTERNS = {
    "chloe@demo.example": [16, 16, 12, 14, 12, 0, 0],  # 17.5 h
    "omar@demo.example": [12, 10, 12, 8, 10, 0, 0],  # 13 h
}


def _fit(pattern: list[int], weekly_hours: int | None) -> list[int]:
    """A demo week, scaled down (in quarter hours) to the assignment's agreed weekly hours."""
    cap, total = (weekly_hours or 0) * 4, sum(pattern)
    return list(pattern) if total <= cap else [q * cap // total for q in pattern]


def _project() -> Project:
    """Any existing project, else a distinctly named demo one (the projects seeder adds more)."""
    project = db.session.scalar(
        select(Project).where(Project.status.in_(("open", "staffed"))).order_by(Project.id)
    ) or db.session.scalar(select(Project).order_by(Project.id))
    if project is not None:
        return project
    client = db.session.scalar(select(Client).where(Client.name == DEMO_CLIENT))
    if client is None:
        client = Client(name=DEMO_CLIENT, contact_email="ops@payments-demo.example")
        db.session.add(client)
    project = Project(
        client=client,
        title=DEMO_PROJECT,
        description="Pairwise ranking of model answers; exists so payments have work to pay.",
        domains=["medicine", "software engineering"],
        status="staffed",
        headcount=3,
    )
    db.session.add(project)
    db.session.flush()
    return project


def seed_payments() -> Iterator[str]:
    now = clock.now()
    today = now.date()
    created = {"assignments": 0, "accounts": 0, "timesheets": 0, "payouts": 0}
    paid_lines = []
    project = None
    for email, account_id, status, rate, weekly, assignment_status in CONTRACTORS:
        applicant = db.session.scalar(select(Applicant).join(User).where(User.email == email))
        if applicant is None:
            continue
        assignment = db.session.scalar(
            select(Assignment).where(
                Assignment.applicant_id == applicant.id,
                Assignment.status.in_(("accepted", "active")),
            )
        )
        if assignment is None:
            project = project or _project()
            assignment = Assignment(
                project_id=project.id,
                applicant_id=applicant.id,
                status=assignment_status,
                hourly_rate_cents=rate,
                weekly_hours=weekly,
                starts_on=today - timedelta(weeks=6),
                offered_at=now - timedelta(weeks=7),
                responded_at=now - timedelta(weeks=6, days=5),
            )
            db.session.add(assignment)
            db.session.flush()
            created["assignments"] += 1
        guideline = timesheets.current_guideline(assignment.project_id)
        # Acknowledge on a fresh project only: where the projects demo left a newer version
        # unacknowledged on purpose, the contractor is shown the re-acknowledgement flow.
        if (
            guideline is not None
            and assignment.status == "active"
            and not db.session.scalar(
                select(GuidelineAck.id).where(GuidelineAck.applicant_id == applicant.id)
            )
        ):
            db.session.add(GuidelineAck(applicant_id=applicant.id, guideline_id=guideline.id))
        if (
            db.session.scalar(
                select(StripeAccount).where(StripeAccount.applicant_id == applicant.id)
            )
            is None
        ):
            ready = status == "ready"
            db.session.add(
                StripeAccount(
                    applicant_id=applicant.id,
                    stripe_account_id=account_id,
                    # All three live abroad: recipient accounts paid cross-border (README).
                    country=applicant.country or "US",
                    details_submitted=ready,
                    payouts_enabled=ready,
                    transfers_active=ready,
                    currently_due=[] if ready else ["external_account", "individual.id_number"],
                    disabled_reason=None if ready else "requirements.past_due",
                    status=status,
                    synced_at=now - timedelta(hours=2),
                )
            )
            created["accounts"] += 1
        for weeks_ago, state in TIMESHEETS.get(email, []):
            week = iso_week(today - timedelta(weeks=weeks_ago))
            if timesheets.timesheet_for(assignment, week) is not None:
                continue
            monday = timesheets.parse_week(week)
            sheet = Timesheet(
                assignment_id=assignment.id,
                applicant_id=applicant.id,
                week=week,
                quarter_hours=_fit(PATTERNS[email], assignment.weekly_hours),
                status="approved" if state == "paid" else state,
                submitted_at=None if state == "draft" else now - timedelta(weeks=weeks_ago - 1),
                reviewed_at=(
                    now - timedelta(weeks=weeks_ago - 1, days=-1)
                    if state in ("approved", "paid")
                    else None
                ),
                created_at=now - timedelta(weeks=weeks_ago),
            )
            db.session.add(sheet)
            db.session.flush()
            created["timesheets"] += 1
            if state != "paid":
                continue
            amount = timesheets.sheet_amount(sheet)
            payout = Payout(
                applicant_id=applicant.id,
                week=week,
                amount_cents=amount,
                currency=assignment.currency,
                status="paid",
                attempt=1,
                idempotency_key=payouts.idempotency_key(applicant.id, week, 1),
                transfer_group=payouts.transfer_group(applicant.id, week),
                stripe_account_id=account_id,
                transfer_id=f"tr_1Demo{applicant.id:03d}{week.replace('-', '')}",
                created_at=now - timedelta(weeks=weeks_ago - 1),
                attempted_at=now - timedelta(weeks=weeks_ago - 1),
                paid_at=now - timedelta(weeks=weeks_ago - 1),
            )
            db.session.add(payout)
            db.session.flush()
            sheet.payout_id = payout.id
            sheet.status = "paid"
            created["payouts"] += 1
            paid_lines.append((monday, payout))
    if paid_lines and db.session.scalar(select(PayoutRun.id).limit(1)) is None:
        for week in sorted({p.week for _, p in paid_lines}):
            lines = [p for _, p in paid_lines if p.week == week]
            started = min(p.paid_at for p in lines if p.paid_at)
            run = PayoutRun(
                week=week,
                trigger="beat",
                started_at=started,
                finished_at=started + timedelta(seconds=4),
                paid_count=len(lines),
                paid_cents=sum(p.amount_cents for p in lines),
                lines=[
                    {
                        "payout_id": p.id,
                        "applicant_id": p.applicant_id,
                        "week": p.week,
                        "amount_cents": p.amount_cents,
                        "currency": p.currency,
                        "outcome": "paid",
                        "message": "",
                        "transfer_id": p.transfer_id,
                    }
                    for p in lines
                ],
            )
            db.session.add(run)
            db.session.flush()
            for p in lines:
                p.last_run_id = run.id
    db.session.commit()
    yield (
        "payments: "
        + ", ".join(f"{n} {what}" for what, n in created.items())
        + " created (Chloé and Omar paid weekly, Yuki mid-onboarding; all three are paid"
        + " cross-border from the platform's country)"
    )
