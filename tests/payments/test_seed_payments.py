"""seed-demo shows payments right away: approvals, a payout run, reconciliation material."""

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Applicant, Payout, PayoutRun, StripeAccount, Timesheet, User


def counts():
    return {
        model.__name__: db.session.scalar(select(func.count()).select_from(model))
        for model in (StripeAccount, Timesheet, Payout, PayoutRun)
    }


def test_seed_demo_adds_payments_once(app, client, auth):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    first = counts()
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    assert counts() == first and first["Payout"] >= 3 and first["PayoutRun"] >= 1
    statuses = set(db.session.scalars(select(Timesheet.status)))
    assert {"paid", "approved", "submitted", "draft"} <= statuses
    for sheet in db.session.scalars(select(Timesheet)):  # within the agreed weekly hours
        assert sum(sheet.quarter_hours) <= sheet.assignment.weekly_hours * 4, sheet.week

    def account_of(email):
        return db.session.scalar(
            select(StripeAccount).join(Applicant).join(User).where(User.email == email)
        )

    assert account_of("chloe@demo.example").status == "ready"
    assert account_of("omar@demo.example").status == "ready"
    assert account_of("yuki@demo.example").status == "incomplete"
    # They live in France, Canada and Japan: the demo shows cross-border (recipient) accounts.
    assert account_of("chloe@demo.example").country == "FR"
    assert account_of("omar@demo.example").country == "CA"

    auth.login("admin@demo.example", "demo-pass-2026")
    page = client.get("/admin/timesheets").get_data(as_text=True)
    assert "Chloé Martin" in page and "Approve" in page
    payouts_page = client.get("/admin/payouts").get_data(as_text=True)
    assert "approved timesheet(s) without a payout" in payouts_page
    assert "Run payouts now" in payouts_page and "Simulation" in payouts_page  # the fake


def test_seeded_hours_and_payouts_obey_the_contracts(app):
    """The demo must not teach what the portal forbids: no paid day outside a contract."""
    from portal.payments import contracts
    from portal.payments.timesheets import local_today, sheet_amount, week_days

    assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
    sheets = list(db.session.scalars(select(Timesheet)))
    assert sheets
    for sheet in sheets:
        assert contracts.sheet_violations(sheet) == [], (sheet.week, sheet.assignment.starts_on)
        assert sheet.assignment.status in ("active", "paused", "ended"), sheet.assignment.status
        if sheet.status in ("approved", "paid"):
            assert sheet.hourly_rate_cents == sheet.assignment.hourly_rate_cents
        days = week_days(sheet.week)
        today = local_today(sheet.applicant)  # future days are judged where they work
        assert all(day <= today for day, q in zip(days, sheet.quarter_hours, strict=True) if q)
    for payout in db.session.scalars(select(Payout)):
        assert payout.timesheets, payout.week
        assert payout.amount_cents == sum(sheet_amount(s) for s in payout.timesheets)
    # Chloé works on two projects and logs hours on both in the same week.
    chloe = db.session.scalar(
        select(Applicant).join(User).where(User.email == "chloe@demo.example")
    )
    weeks = {}
    for sheet in sheets:
        if sheet.applicant_id == chloe.id:
            weeks.setdefault(sheet.week, set()).add(sheet.assignment_id)
    assert any(len(projects) == 2 for projects in weeks.values())
