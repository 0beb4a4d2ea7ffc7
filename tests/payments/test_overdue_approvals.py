"""Admins see overdue approvals; contractors see when the week closes before it does."""

from datetime import timedelta

from portal.extensions import db
from portal.payments.timesheets import save_week
from tests.factories import make_contractor

HOURS = ["2", "", "", "", "", "", ""]


def test_weeks_waiting_too_long_show_as_overdue(app, client, auth, now, gateway, stripe_fake):
    early, a = make_contractor(gateway, stripe_fake)
    late, b = make_contractor(gateway, stripe_fake)
    db.session.commit()
    today = now().date() + timedelta(days=3)
    save_week(early, a, "2026-W45", HOURS, today=today, submit=True)
    now.advance(hours=47)
    save_week(late, b, "2026-W45", HOURS, today=today, submit=True)
    now.advance(hours=2)  # early's week waited 49 h, late's 2 h
    auth.as_role("admin")
    page = client.get("/admin/timesheets").get_data(as_text=True)
    assert "1 submitted week waited more than 48 hours" in page
    assert page.count('data-testid="overdue"') == 1
    overdue = client.get("/admin/timesheets?status=overdue").get_data(as_text=True)
    assert early.display_name in overdue and late.display_name not in overdue
    app.config["TIMESHEET_APPROVAL_DUE_HOURS"] = 1
    both = client.get("/admin/timesheets?status=overdue").get_data(as_text=True)
    assert early.display_name in both and late.display_name in both


def test_the_week_page_says_when_the_week_closes(app, client, auth, now, gateway, stripe_fake):
    app.config["TIMESHEET_CLOSES_AFTER_HOURS"] = 12  # the default outside the tests
    applicant, _ = make_contractor(gateway, stripe_fake)
    db.session.commit()
    auth.login(applicant.user.email)
    page = client.get("/me/payments/timesheets?week=2026-W45").get_data(as_text=True)
    assert "Submit this week's hours by <strong>Mon 09 Nov 2026, 12:00 UTC</strong>" in page
    old = client.get("/me/payments/timesheets?week=2026-W43").get_data(as_text=True)
    assert "Week 2026-W43 closed for submission on Mon 26 Oct 2026 12:00 UTC" in old
