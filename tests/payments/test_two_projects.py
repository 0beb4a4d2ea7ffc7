"""A contractor on two projects logs and is paid for both in the same week, in one transfer."""

from datetime import date, timedelta

from sqlalchemy import select

from portal.extensions import db
from portal.models import Payout, Timesheet
from portal.payments import payouts, timesheets
from portal.payments.timesheets import amount_cents, parse_week
from portal.projects.services.assignments import settle
from tests import factories
from tests.factories import make_bare_project as make_project
from tests.factories import make_contractor
from tests.payments.conftest import last_week


def test_hours_on_two_projects_in_one_week_are_paid_in_one_transfer(app, gateway, stripe_fake):
    applicant, first = make_contractor(gateway, stripe_fake, rate_cents=3000)
    _, second = make_contractor(
        rate_cents=4000,
        applicant=applicant,
        project=make_project("Second project"),
        assignment_status="accepted",  # a second offer, accepted with payouts already ready
    )
    settle(applicant.id)  # what accepting runs: no Stripe event is needed
    assert second.status == "active"
    admin = factories.make_user("admin")
    db.session.commit()
    week = last_week()
    today = parse_week(week) + timedelta(days=6)
    assert today < date.today()
    for assignment, hours in (
        (first, ["2", "3", "", "", "", "", ""]),
        (second, ["", "", "4"] + [""] * 4),
    ):
        sheet = timesheets.save_week(applicant, assignment, week, hours, today=today, submit=True)
        db.session.flush()
        timesheets.approve(sheet, admin)
    db.session.commit()

    run = payouts.run_payouts(gateway, week=week)

    assert run.paid_count == 1
    [payout] = db.session.scalars(select(Payout).where(Payout.applicant_id == applicant.id))
    assert payout.amount_cents == amount_cents(20, 3000) + amount_cents(16, 4000) == 31000
    assert len(stripe_fake.state.transfers) == 1
    assert stripe_fake.state.transfers[0]["amount"] == 31000
    assert set(db.session.scalars(select(Timesheet.status))) == {"paid"}
