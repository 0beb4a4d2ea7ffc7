"""The contract decides what can be logged, approved and paid: work windows, pause, end, rate."""

from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import select

from portal import clock
from portal.extensions import db
from portal.models import Applicant, Assignment, AuditEvent, OutboxEmail, Payout, Timesheet
from portal.payments import payouts, timesheets
from portal.payments.timesheets import TimesheetError, amount_cents, parse_week
from portal.projects.services.assignments import close_project, end, pause, resume
from portal.recruiters.services import move_candidate
from tests import factories
from tests.factories import make_contractor
from tests.payments.conftest import last_week

WEEK = last_week()
MONDAY = parse_week(WEEK)
SUNDAY = MONDAY + timedelta(days=6)
MON_ONLY = ["3", "", "", "", "", "", ""]
THU_ONLY = ["", "", "", "3", "", "", ""]


def at(day, hour=9):
    return datetime.combine(day, time(hour), UTC)


def contractor(gateway, fake, **window):
    """A ready contractor whose contract runs on the given window (defaults: open)."""
    applicant, assignment = make_contractor(gateway, fake, rate_cents=3000)
    for name, value in window.items():
        setattr(assignment, name, value)
    db.session.commit()
    return applicant, assignment


def starts_wednesday(gateway, fake):
    """Accepted the Sunday before, starting on Wednesday: Mon and Tue are outside the contract."""
    return contractor(
        gateway,
        fake,
        starts_on=MONDAY + timedelta(days=2),
        responded_at=at(MONDAY - timedelta(days=1)),
    )


def sheet(assignment, values, status):
    quarters, _ = timesheets.parse_hours(values)
    row = Timesheet(
        assignment_id=assignment.id,
        applicant_id=assignment.applicant_id,
        week=WEEK,
        quarter_hours=quarters,
        status=status,
    )
    db.session.add(row)
    db.session.commit()
    return row


def save(applicant, assignment, values, submit=False):
    return timesheets.save_week(applicant, assignment, WEEK, values, today=SUNDAY, submit=submit)


# --- every step: save, submit, approve, pay --------------------------------------------------


@pytest.mark.parametrize("submit", [False, True], ids=["save", "submit"])
def test_hours_before_the_start_are_refused_at_save_and_submit(app, gateway, stripe_fake, submit):
    applicant, assignment = starts_wednesday(gateway, stripe_fake)
    with pytest.raises(TimesheetError, match="before this contract starts"):
        save(applicant, assignment, MON_ONLY, submit)
    db.session.rollback()
    assert save(applicant, assignment, THU_ONLY, submit).total_hours == 3


def test_the_acceptance_day_bounds_the_window_when_it_is_later_than_the_start(
    app, gateway, stripe_fake
):
    # The case: accepted on Thursday an offer whose start date had passed.
    applicant, assignment = contractor(
        gateway,
        stripe_fake,
        starts_on=MONDAY - timedelta(days=7),
        responded_at=at(MONDAY + timedelta(days=3)),
    )
    with pytest.raises(TimesheetError, match="before this contract starts"):
        save(applicant, assignment, ["2", "2", "2", "", "", "", ""])
    db.session.rollback()
    assert save(applicant, assignment, THU_ONLY).total_hours == 3


def test_approval_of_a_week_outside_the_contract_is_refused_with_a_reason(
    app, client, auth, gateway, stripe_fake
):
    applicant, assignment = starts_wednesday(gateway, stripe_fake)
    bad = sheet(assignment, MON_ONLY, "submitted")
    admin = auth.as_role("admin")
    with pytest.raises(TimesheetError, match="before this contract starts"):
        timesheets.approve(bad, admin)
    db.session.rollback()

    response = client.post(f"/admin/timesheets/{bad.id}/review", data={"decision": "approve"})
    assert response.status_code == 302
    page = client.get("/admin/timesheets").get_data(as_text=True)
    assert "can&#39;t be approved" in page and "before this contract starts" in page
    db.session.expire_all()
    assert db.session.get(Timesheet, bad.id).status == "submitted"


def test_a_week_outside_the_contract_is_never_paid(app, gateway, stripe_fake):
    _, assignment = starts_wednesday(gateway, stripe_fake)
    sheet(assignment, MON_ONLY, "approved")  # approved by a path that skipped the check
    run = payouts.run_payouts(gateway, week=WEEK)
    assert run.lines == [] and stripe_fake.state.transfers == []
    assert db.session.scalar(select(Payout.id)) is None


def test_a_contract_that_changes_between_preparing_and_paying_stops_the_transfer(
    app, gateway, stripe_fake
):
    _, assignment = contractor(gateway, stripe_fake)
    sheet(assignment, THU_ONLY, "approved")
    assert payouts.prepare_payouts(WEEK) == 1
    assignment.ends_on = MONDAY + timedelta(days=1)  # ended on Tuesday, before Thursday's hours
    db.session.commit()
    run = payouts.run_payouts(gateway, week=WEEK)
    assert [line["outcome"] for line in run.lines] == ["failed"]
    assert "after this contract ended" in run.lines[0]["message"]
    assert stripe_fake.state.transfers == []


def test_hours_after_the_end_are_refused_at_save_approve_and_pay(app, gateway, stripe_fake):
    applicant, assignment = contractor(gateway, stripe_fake, ends_on=MONDAY + timedelta(days=1))
    with pytest.raises(TimesheetError, match="after this contract ended"):
        save(applicant, assignment, THU_ONLY, submit=True)
    db.session.rollback()
    late = sheet(assignment, THU_ONLY, "submitted")
    with pytest.raises(TimesheetError, match="after this contract ended"):
        timesheets.approve(late, factories.make_user("admin"))
    db.session.rollback()
    late.status = "approved"
    db.session.commit()
    assert payouts.run_payouts(gateway, week=WEEK).lines == []
    assert stripe_fake.state.transfers == []


def test_a_paused_contract_takes_no_hours_at_save_approve_or_pay(
    app, gateway, stripe_fake, monkeypatch
):
    applicant, assignment = contractor(gateway, stripe_fake)
    monkeypatch.setattr(clock, "now", lambda: at(MONDAY + timedelta(days=2)))
    pause(assignment, actor=None, reason="Client paused the batch")
    with pytest.raises(TimesheetError, match="paused: Client paused the batch"):
        save(applicant, assignment, THU_ONLY)
    db.session.rollback()
    held = sheet(assignment, THU_ONLY, "submitted")
    with pytest.raises(TimesheetError, match="while this contract is paused"):
        timesheets.approve(held, factories.make_user("admin"))
    db.session.rollback()
    held.status = "approved"
    db.session.commit()
    assert payouts.run_payouts(gateway, week=WEEK).lines == []
    assert stripe_fake.state.transfers == []


def test_a_week_that_straddles_the_start_shows_the_days_outside_as_closed(
    app, client, auth, gateway, stripe_fake
):
    applicant, _ = starts_wednesday(gateway, stripe_fake)
    auth.login(applicant.user.email)
    page = client.get(f"/me/payments/timesheets?week={WEEK}").get_data(as_text=True)
    assert page.count('data-testid="closed-day"') == 2  # Monday and Tuesday
    assert "Closed: before this contract starts" in page


# --- the rate is frozen at approval ----------------------------------------------------------


def test_the_rate_is_frozen_when_a_week_is_approved(app, gateway, stripe_fake):
    applicant, assignment = contractor(gateway, stripe_fake)
    admin = factories.make_user("admin")
    week_before = timesheets.shift_week(WEEK, -1)
    older = Timesheet(
        assignment_id=assignment.id,
        applicant_id=applicant.id,
        week=week_before,
        quarter_hours=[8, 0, 0, 0, 0, 0, 0],
        status="submitted",
    )
    db.session.add(older)
    current = sheet(assignment, ["2", "", "", "", "", "", ""], "submitted")
    timesheets.approve(older, admin)
    db.session.commit()
    assignment.hourly_rate_cents = 4500  # a raise: weeks not yet approved only
    db.session.commit()
    timesheets.approve(current, admin)
    db.session.commit()
    assert (older.hourly_rate_cents, current.hourly_rate_cents) == (3000, 4500)
    payouts.run_payouts(gateway)
    amounts = {p.week: p.amount_cents for p in db.session.scalars(select(Payout))}
    assert amounts == {week_before: amount_cents(8, 3000), WEEK: amount_cents(8, 4500)}


# --- the lifecycle ---------------------------------------------------------------------------


def test_rejection_ends_every_assignment_and_reopens_the_seat(app, gateway, stripe_fake):
    applicant, assignment = contractor(gateway, stripe_fake)
    project = assignment.project
    project.headcount, project.status = 1, "staffed"
    db.session.commit()
    move_candidate(
        applicant,
        "rejected",
        actor=factories.make_user("recruiter"),
        reason="Quality below the bar",
        exit_reason="quality",
    )
    db.session.expire_all()
    ended = db.session.get(Assignment, assignment.id)
    assert ended.status == "ended" and ended.ends_on == clock.now().date()
    assert ended.ended_at is not None
    assert ended.project.status == "open"  # the seat reopens
    assert db.session.scalar(select(AuditEvent.id).where(AuditEvent.action == "assignment.ended"))
    mail = db.session.scalar(
        select(OutboxEmail).where(OutboxEmail.template == "assignment_lifecycle")
    )
    assert mail.to == applicant.user.email and "Ended" in mail.subject
    with pytest.raises(TimesheetError, match="has ended"):
        timesheets.save_week(
            applicant, ended, timesheets.shift_week(WEEK, 1), THU_ONLY, today=clock.now().date()
        )


def test_admins_pause_resume_and_end_with_a_reason_the_contractor_sees(
    app, client, auth, gateway, stripe_fake
):
    applicant, assignment = contractor(gateway, stripe_fake)
    auth.as_role("admin")
    url = f"/admin/projects/assignments/{assignment.id}"
    assert client.post(f"{url}/pause", data={"reason": ""}).status_code == 302
    assert db.session.get(Assignment, assignment.id).status == "active"  # a reason is required
    client.post(f"{url}/pause", data={"reason": "Client holiday freeze"})
    db.session.expire_all()
    assert db.session.get(Assignment, assignment.id).status == "paused"
    auth.logout()
    auth.login(applicant.user.email)
    dashboard = client.get("/me/").get_data(as_text=True)
    assert "Paused" in dashboard and "Client holiday freeze" in dashboard
    auth.logout()
    auth.as_role("admin")
    client.post(f"{url}/resume")
    db.session.expire_all()
    assert db.session.get(Assignment, assignment.id).status == "active"
    last_day = clock.now().date() + timedelta(days=3)
    client.post(f"{url}/end", data={"reason": "Batch finished", "on": last_day.isoformat()})
    db.session.expire_all()
    done = db.session.get(Assignment, assignment.id)
    assert (done.status, done.ends_on, done.end_reason) == ("ended", last_day, "Batch finished")
    actions = list(
        db.session.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.subject_type == "assignment")
            .order_by(AuditEvent.id)
        )
    )
    assert actions[-4:] == [
        "assignment.paused",
        "assignment.resumed",
        "assignment.activated",  # the rule decided: payouts ready, nothing else waiting
        "assignment.ended",
    ]
    subjects = list(
        db.session.scalars(
            select(OutboxEmail.subject).where(OutboxEmail.template == "assignment_lifecycle")
        )
    )
    assert [s.split(":")[0] for s in subjects] == ["Paused", "Resumed", "Ended"]


def test_closing_a_project_ends_its_assignments_at_the_date(app, gateway, stripe_fake):
    applicant, assignment = contractor(gateway, stripe_fake)
    on = clock.now().date() + timedelta(days=10)
    assert close_project(assignment.project, actor=None, on=on, reason="Client budget") == 1
    db.session.expire_all()
    done = db.session.get(Assignment, assignment.id)
    assert done.status == "ended" and done.ends_on == on
    assert done.project.status == "closed" and done.project.ends_on == on
    assert db.session.get(Applicant, applicant.id) is not None


def test_lifecycle_moves_are_refused_out_of_order(app, gateway, stripe_fake):
    from portal.projects.services.assignments import LifecycleError

    _, assignment = contractor(gateway, stripe_fake)
    with pytest.raises(LifecycleError):
        resume(assignment, actor=None)
    end(assignment, actor=None, reason="Done")
    with pytest.raises(LifecycleError):
        pause(assignment, actor=None, reason="Too late")
