"""Friday and Monday morning reminders to contractors with a week still to submit."""

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import OutboxEmail, Timesheet
from portal.payments.tasks import remind_timesheets
from tests.factories import make_contractor


@pytest.fixture
def app_config():
    return {"TIMESHEET_CLOSES_AFTER_HOURS": 12}


def sheet(assignment, week, status):
    db.session.add(
        Timesheet(
            assignment_id=assignment.id,
            applicant_id=assignment.applicant_id,
            week=week,
            quarter_hours=[12, 0, 0, 0, 0, 0, 0],
            status=status,
        )
    )


def reminders(template):
    return db.session.scalars(
        select(OutboxEmail).where(OutboxEmail.template == template).order_by(OutboxEmail.id)
    ).all()


def test_monday_reminds_each_contractor_with_last_week_unsubmitted_once(app, now):
    # START is Monday 2 Nov 2026 09:00 UTC: last week is 2026-W44, closing at noon.
    nothing, _ = make_contractor()
    drafted, draft = make_contractor()
    done, submitted = make_contractor()
    gone, _ = make_contractor(assignment_status="ended")
    sheet(draft, "2026-W44", "draft")
    sheet(submitted, "2026-W44", "submitted")
    db.session.commit()
    assert remind_timesheets.delay("monday").get() == 2
    assert remind_timesheets.delay("monday").get() == 0  # once per contractor-week and slot
    sent = reminders("timesheet_reminder_monday")
    assert [m.applicant_id for m in sent] == [nothing.id, drafted.id]
    assert sent[0].subject == "Submit your hours for week 2026-W44"
    assert "before Mon 02 Nov 12:00 UTC" in sent[0].body
    assert "/me/payments/timesheets?week=2026-W44" in sent[0].body
    assert done.id not in {m.applicant_id for m in sent} and gone.id not in {
        m.applicant_id for m in sent
    }


def test_no_monday_reminder_once_the_week_has_closed(app, now):
    make_contractor()
    db.session.commit()
    now.advance(hours=3)  # 12:00
    assert remind_timesheets.delay("monday").get() == 0


def test_friday_reminds_about_this_week_separately_from_monday(app, now):
    applicant, _ = make_contractor()
    db.session.commit()
    assert remind_timesheets.delay("monday").get() == 1
    now.advance(days=4, hours=-1)  # Friday 6 Nov 08:00
    assert remind_timesheets.delay("friday").get() == 1
    assert remind_timesheets.delay("friday").get() == 0
    friday = reminders("timesheet_reminder_friday")
    assert [(m.applicant_id, m.subject) for m in friday] == [
        (applicant.id, "Submit your hours for week 2026-W45")
    ]
