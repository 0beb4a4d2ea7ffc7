"""Each ISO week closes for submission at a configurable time (default: Monday 12:00 UTC)."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.config import defaults
from portal.extensions import db
from portal.models import Timesheet
from portal.payments import timesheets
from portal.payments.timesheets import TimesheetError, parse_week
from tests.conftest import START
from tests.factories import make_contractor

WEEK = "2026-W44"  # the week before START (Monday 2 Nov 2026, 09:00 UTC)
SUNDAY = parse_week(WEEK) + timedelta(days=6)
HOURS = ["3", "", "", "", "", "", ""]


@pytest.fixture
def app_config():
    return {"TIMESHEET_CLOSES_AFTER_HOURS": 12}


def submit(applicant, assignment, week=WEEK):
    return timesheets.save_week(applicant, assignment, week, HOURS, today=START.date(), submit=True)


def test_the_default_deadline_is_monday_noon_for_the_week_before(tmp_path):
    assert defaults(str(tmp_path))["TIMESHEET_CLOSES_AFTER_HOURS"] == 12


def test_a_week_can_be_submitted_until_monday_noon_and_not_after(app, gateway, stripe_fake, now):
    applicant, assignment = make_contractor(gateway, stripe_fake)
    other, late = make_contractor(gateway, stripe_fake)
    db.session.commit()
    now.advance(hours=2, minutes=59)  # 11:59
    assert submit(applicant, assignment).status == "submitted"
    now.advance(minutes=1)  # 12:00: closed
    with pytest.raises(TimesheetError) as refused:
        submit(other, late)
    assert refused.value.errors == [
        "Week 2026-W44 closed for submission on Mon 02 Nov 2026 12:00 UTC. "
        "Ask your project admin if hours are missing."
    ]
    assert db.session.scalar(select(Timesheet).where(Timesheet.assignment_id == late.id)) is None
    # The current week is still open.
    assert submit(other, late, week="2026-W45").status == "submitted"


def test_the_contractor_sees_the_message_on_the_week_page(
    app, gateway, stripe_fake, now, client, auth
):
    applicant, assignment = make_contractor(gateway, stripe_fake)
    db.session.commit()
    auth.login(applicant.user.email)
    now.advance(hours=4)
    response = client.post(
        f"/me/payments/timesheets/{assignment.id}/{WEEK}",
        data={"action": "submit", **{f"day{i}": v for i, v in enumerate(HOURS)}},
    )
    assert response.status_code == 422
    assert "closed for submission on Mon 02 Nov 2026 12:00 UTC" in response.get_data(as_text=True)


def test_a_week_sent_back_after_the_deadline_can_be_fixed_and_resubmitted(
    app, gateway, stripe_fake, now
):
    applicant, assignment = make_contractor(gateway, stripe_fake)
    db.session.commit()
    sheet = submit(applicant, assignment)
    now.advance(hours=30)
    sheet.status = "rejected"
    db.session.commit()
    assert submit(applicant, assignment).status == "submitted"


def test_weeks_never_close_when_the_setting_is_empty(app, gateway, stripe_fake, now):
    app.config["TIMESHEET_CLOSES_AFTER_HOURS"] = None
    applicant, assignment = make_contractor(gateway, stripe_fake)
    db.session.commit()
    now.advance(days=30)
    assert submit(applicant, assignment).status == "submitted"
