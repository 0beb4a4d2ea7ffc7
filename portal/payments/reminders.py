"""Friday and Monday morning reminders to submit a week's hours (one per contractor-week-slot)."""

from datetime import timedelta

from sqlalchemy import select

from portal import clock
from portal.extensions import db
from portal.mail import external_url, send_email
from portal.models import Applicant, Assignment, OutboxEmail, Timesheet
from portal.payments import contracts, deadlines
from portal.payments.timesheets import week_days
from portal.transactions import use_case
from portal.workdays import iso_week

# slot -> how many weeks back the reminded week is (Friday: this week; Monday: last week).
SLOTS = {"friday": 0, "monday": 1}
DONE = ("submitted", "approved", "paid")


def reminded_week(slot: str) -> str:
    """The ISO week a slot reminds about, judged by the clock."""
    return iso_week(clock.today() - timedelta(weeks=SLOTS[slot]))


def unsubmitted(week: str) -> dict[Applicant, list[Assignment]]:
    """Active assignments whose `week` is open under the contract and not yet submitted."""
    days = week_days(week)
    done = select(Timesheet.assignment_id).where(Timesheet.week == week, Timesheet.status.in_(DONE))
    rows = db.session.execute(
        select(Assignment, Applicant)
        .join(Applicant, Applicant.id == Assignment.applicant_id)
        .where(
            Assignment.status == "active",
            Applicant.deleted_at.is_(None),
            Assignment.id.not_in(done),
        )
        .order_by(Assignment.applicant_id, Assignment.id)
    )
    owed: dict[Applicant, list[Assignment]] = {}
    for assignment, applicant in rows:
        if any(contracts.open_days(assignment, days)):
            owed.setdefault(applicant, []).append(assignment)
    return owed


@use_case
def send_reminders(slot: str) -> int:
    """Email each contractor with a week still to submit; returns emails queued. Idempotent:
    a contractor who already has this slot's reminder for the week is skipped."""
    week = reminded_week(slot)
    closing = deadlines.closes_at(week)
    if closing is not None and clock.now() >= closing:
        return 0  # too late to submit: nothing to remind
    template = f"timesheet_reminder_{slot}"
    subject = f"Submit your hours for week {week}"
    already = set(
        db.session.scalars(
            select(OutboxEmail.applicant_id).where(
                OutboxEmail.template == template, OutboxEmail.subject == subject
            )
        )
    )
    link = external_url("payments.timesheet_week", week=week)
    by = f" before {closing:%a %d %b %H:%M} UTC, when the week closes" if closing else ""
    sent = 0
    for applicant, assignments in unsubmitted(week).items():
        if applicant.id in already:
            continue
        projects = ", ".join(a.project.title for a in assignments)
        body = (
            f"Hello {applicant.display_name},\n\n"
            f"Your hours for week {week} ({projects}) are not submitted yet. "
            f"Log and submit them{by}: {link}\n\n"
            "If you did not work that week, you can ignore this email."
        )
        send_email(
            applicant.user.email, subject, body, template=template, applicant_id=applicant.id
        )
        sent += 1
    return sent
