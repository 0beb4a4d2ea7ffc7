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
