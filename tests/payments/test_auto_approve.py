"""Optional auto-approval of submitted weeks after N hours: off by default, same rules, audited."""

from datetime import timedelta

from sqlalchemy import select

from portal.config import defaults
from portal.extensions import db
from portal.models import AuditEvent, Timesheet
from portal.payments.tasks import auto_approve
from portal.payments.timesheets import auto_approve_due, parse_week
from tests.factories import make_contractor

WEEK = "2026-W44"  # the week before START (Monday 2 Nov 2026 09:00 UTC)


def submitted(assignment, hours_ago, now):
    row = Timesheet(
        assignment_id=assignment.id,
        applicant_id=assignment.applicant_id,
        week=WEEK,
        quarter_hours=[12, 0, 0, 0, 0, 0, 0],
        status="submitted",
        submitted_at=now() - timedelta(hours=hours_ago),
    )
    db.session.add(row)
    db.session.commit()
    return row


def test_off_by_default(app, now, tmp_path):
    assert defaults(str(tmp_path))["TIMESHEET_AUTO_APPROVE_HOURS"] is None
    _, assignment = make_contractor()
    sheet = submitted(assignment, 500, now)
    assert auto_approve.delay().get() == 0
    db.session.expire_all()
    assert db.session.get(Timesheet, sheet.id).status == "submitted"


def test_weeks_waiting_longer_than_the_setting_are_approved_and_audited(app, now):
    app.config["TIMESHEET_AUTO_APPROVE_HOURS"] = 48
    _, old = make_contractor(rate_cents=3100)
    _, fresh = make_contractor()
    waited = submitted(old, 49, now)
    recent = submitted(fresh, 10, now)
    assert auto_approve.delay().get() == 1
    assert auto_approve.delay().get() == 0  # idempotent
    db.session.expire_all()
    done = db.session.get(Timesheet, waited.id)
    assert (done.status, done.hourly_rate_cents, done.reviewed_by_id) == ("approved", 3100, None)
    assert db.session.get(Timesheet, recent.id).status == "submitted"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "timesheet.approved"))
    assert event.actor_id is None and event.subject_id == waited.id
    assert event.details["automatic"] is True and event.details["after_hours"] == 48


def test_a_week_that_breaks_the_contract_is_left_for_a_person(app, now):
    app.config["TIMESHEET_AUTO_APPROVE_HOURS"] = 1
    _, assignment = make_contractor()
    assignment.starts_on = parse_week(WEEK) + timedelta(days=2)  # Monday's hours are outside
    sheet = submitted(assignment, 5, now)
    assert auto_approve_due() == (0, 1)
    db.session.expire_all()
    assert db.session.get(Timesheet, sheet.id).status == "submitted"
    approvals = select(AuditEvent.id).where(AuditEvent.action == "timesheet.approved")
    assert db.session.scalar(approvals) is None
