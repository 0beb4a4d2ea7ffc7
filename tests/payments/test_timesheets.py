"""Timesheets: quarter hours, weekly cap, no future days, submit, approve/reject, locking."""

from datetime import date

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import Assignment, Guideline, GuidelineAck, StripeAccount, Timesheet
from portal.payments import accounts, timesheets
from portal.payments.timesheets import TimesheetError, parse_week, save_week
from portal.workdays import iso_week
from tests import factories
from tests.factories import make_bare_project as make_project
from tests.factories import make_contractor
from tests.payments.conftest import last_week


def hours(*values) -> list[str]:
    return [str(v) for v in values] + [""] * (7 - len(values))


def test_iso_weeks():
    assert parse_week("2026-W47") == date(2026, 11, 16)
    assert iso_week(date(2026, 11, 22)) == "2026-W47"
    assert iso_week(date(2027, 1, 1)) == "2026-W53"
    with pytest.raises(ValueError):
        parse_week("2026-47")


def test_quarter_hours_cap_and_future_days(app, gateway, stripe_fake):
    applicant, assignment = make_contractor(gateway, stripe_fake, weekly_hours=10)
    week = last_week()
    today = date.today()
    sheet = save_week(applicant, assignment, week, hours(2.25, 1.5, "0,75"), today=today)
    assert sheet.quarter_hours == [9, 6, 3, 0, 0, 0, 0] and sheet.total_hours == 4.5

    with pytest.raises(TimesheetError, match="quarter-hour"):
        save_week(applicant, assignment, week, hours(1.1), today=today)
    with pytest.raises(TimesheetError, match="weekly cap of 10"):
        save_week(applicant, assignment, week, hours(6, 4.25), today=today)
    with pytest.raises(TimesheetError, match="not a number"):
        save_week(applicant, assignment, week, hours("lots"), today=today)
    with pytest.raises(TimesheetError, match="between 0 and 24"):
        save_week(applicant, assignment, week, hours(-1), today=today)

    this_week = iso_week(today)
    monday = parse_week(this_week)
    future = [""] * 7
    future[(today - monday).days] = "1"  # today is fine
    save_week(applicant, assignment, this_week, future, today=today)
    next_week = timesheets.shift_week(this_week, 1)
    with pytest.raises(TimesheetError, match="in the future"):
        save_week(applicant, assignment, next_week, hours(1), today=today)


def test_cap_is_never_above_twenty_hours(app, gateway, stripe_fake):
    applicant, assignment = make_contractor(gateway, stripe_fake, weekly_hours=40)
    assert timesheets.weekly_cap(assignment) == 20
    with pytest.raises(TimesheetError, match="cap of 20"):
        save_week(applicant, assignment, last_week(), hours(8, 8, 4.25), today=date.today())


def test_no_work_before_onboarding_and_guidelines(app, gateway, stripe_fake):
    applicant, assignment = make_contractor(gateway, stripe_fake, ready=False)
    guideline = Guideline(project_id=assignment.project_id, version=1, title="v1", body_md="x")
    db.session.add(guideline)
    db.session.commit()  # save_week is a use case: its refusal rolls back what is pending
    blockers = timesheets.work_blockers(applicant, assignment)
    assert any("Stripe onboarding" in b for b in blockers)
    assert any("guidelines (version 1)" in b for b in blockers)
    with pytest.raises(TimesheetError):
        save_week(applicant, assignment, last_week(), hours(1), today=date.today())

    db.session.add(GuidelineAck(applicant_id=applicant.id, guideline_id=guideline.id))
    account = accounts.account_for(applicant.id)
    account.status = "ready"
    db.session.flush()
    assert timesheets.work_blockers(applicant, assignment) == []
    # A new guideline version must be acknowledged again.
    db.session.add(Guideline(project_id=assignment.project_id, version=2, title="v2", body_md="y"))
    db.session.flush()
    assert timesheets.work_blockers(applicant, assignment) == [
        "Acknowledge the project's current guidelines (version 2) first."
    ]


def test_submit_approve_locks_and_reject_reopens(app, gateway, stripe_fake, auth, client):
    applicant, assignment = make_contractor(gateway, stripe_fake)
    week = last_week()
    admin = factories.make_user("admin")
    sheet = save_week(applicant, assignment, week, hours(4), today=date.today(), submit=True)
    assert sheet.status == "submitted"
    with pytest.raises(TimesheetError, match="locked"):
        save_week(applicant, assignment, week, hours(5), today=date.today())
    with pytest.raises(TimesheetError, match="why"):
        timesheets.reject(sheet, admin, "  ")
    timesheets.reject(sheet, admin, "Monday overlaps your leave")
    assert sheet.status == "rejected"
    save_week(applicant, assignment, week, hours(3), today=date.today(), submit=True)
    timesheets.approve(sheet, admin)
    assert sheet.status == "approved" and sheet.locked
    with pytest.raises(TimesheetError, match="approved and locked"):
        save_week(applicant, assignment, week, hours(1), today=date.today())
    with pytest.raises(TimesheetError):
        timesheets.approve(sheet, admin)


def test_contractor_logs_and_submits_through_the_page(app, client, auth, gateway, stripe_fake):
    user = auth.as_role("applicant", applicant={"stage": "active"})
    applicant = user.applicant
    project = make_project("Medical ranking")
    assignment = Assignment(
        project_id=project.id,
        applicant_id=applicant.id,
        status="active",
        hourly_rate_cents=3400,
        weekly_hours=15,
    )
    db.session.add_all(
        [
            assignment,
            StripeAccount(applicant_id=applicant.id, stripe_account_id="acct_x", status="ready"),
        ]
    )
    db.session.commit()
    week = last_week()
    page = client.get(f"/me/payments/timesheets?week={week}")
    assert page.status_code == 200 and "Medical ranking" in page.get_data(as_text=True)

    form = {f"day{i}": v for i, v in enumerate(hours(3, 2.5))}
    bad = client.post(
        f"/me/payments/timesheets/{assignment.id}/{week}",
        data={**form, "day2": "1.3", "action": "submit"},
    )
    assert bad.status_code == 422
    text = bad.get_data(as_text=True)
    assert "quarter-hour" in text and 'value="1.3"' in text  # keeps what was typed

    ok = client.post(
        f"/me/payments/timesheets/{assignment.id}/{week}", data={**form, "action": "submit"}
    )
    assert ok.status_code == 302
    sheet = db.session.scalar(select(Timesheet))
    assert sheet.status == "submitted" and sheet.total_hours == 5.5


def test_admin_approves_and_rejects_on_the_page(app, client, auth, gateway, stripe_fake):
    applicant, assignment = make_contractor(gateway, stripe_fake)
    sheet = save_week(applicant, assignment, last_week(), hours(2), today=date.today(), submit=True)
    other_applicant, other = make_contractor(gateway, stripe_fake)
    other_sheet = save_week(
        other_applicant, other, last_week(), hours(3), today=date.today(), submit=True
    )
    db.session.commit()
    auth.as_role("admin")
    page = client.get("/admin/timesheets").get_data(as_text=True)
    assert "Approve" in page and applicant.display_name in page
    assert 'status=submitted" aria-current="page">Submitted<' in page  # the filter shown
    approved = client.get("/admin/timesheets?status=approved").get_data(as_text=True)
    assert 'status=approved" aria-current="page">Approved<' in approved
    client.post(f"/admin/timesheets/{sheet.id}/review", data={"decision": "approve"})
    missing = client.post(
        f"/admin/timesheets/{other_sheet.id}/review",
        data={"decision": "reject", "reason": ""},
        follow_redirects=True,
    )
    assert "Say why" in missing.get_data(as_text=True)
    client.post(
        f"/admin/timesheets/{other_sheet.id}/review",
        data={"decision": "reject", "reason": "Hours exceed the task log"},
    )
    db.session.expire_all()
    assert db.session.get(Timesheet, sheet.id).status == "approved"
    rejected = db.session.get(Timesheet, other_sheet.id)
    assert (
        rejected.status == "rejected" and rejected.rejection_reason == "Hours exceed the task log"
    )
    assert db.session.get(Timesheet, sheet.id).reviewed_at is not None


def test_timesheet_page_says_what_blocks_logging_hours(client, auth):
    user = auth.as_role("applicant")
    user.applicant.stage = "onboarding"
    db.session.commit()
    page = client.get("/me/payments/timesheets").get_data(as_text=True)
    assert "You accepted your offer" in page and "/me/payments/" in page
