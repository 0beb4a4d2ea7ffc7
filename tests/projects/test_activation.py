"""Assignments start by rule (payouts ready, guideline acknowledged, start date), not by event."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from portal import clock
from portal.extensions import db
from portal.models import Applicant, Assignment, AuditEvent, StripeAccount
from portal.payments import accounts
from portal.payments.stripe_gateway import AccountSnapshot
from portal.projects import tasks
from portal.projects.services.assignments import (
    acknowledge_guideline,
    activate_due,
    board_for,
    settle,
)
from portal.projects.services.guidelines import current_guideline
from portal.projects.services.offers import accept_offer, make_offer
from portal.projects.services.rules import AGREEMENT_VERSION
from tests.factories import make_candidate, make_project
from tests.factories import publish_guideline as publish

TODAY = date(2026, 12, 7)


@pytest.fixture
def frozen(monkeypatch):
    """The server's clock, set by hand (midday UTC on TODAY unless moved)."""
    state = {"now": datetime(TODAY.year, TODAY.month, TODAY.day, 12, tzinfo=UTC)}
    monkeypatch.setattr(clock, "now", lambda: state["now"])

    def move_to(day: date) -> None:
        state["now"] = datetime(day.year, day.month, day.day, 0, 10, tzinfo=UTC)

    return move_to


def stripe_account(applicant: Applicant, *, ready: bool) -> StripeAccount:
    account = StripeAccount(
        applicant_id=applicant.id,
        stripe_account_id=f"acct_test{applicant.id}",
        status="ready" if ready else "incomplete",
        details_submitted=ready,
        payouts_enabled=ready,
        transfers_active=ready,
    )
    db.session.add(account)
    db.session.flush()
    return account


def accept(assignment: Assignment, applicant: Applicant) -> Assignment:
    guideline = current_guideline(assignment.project_id)
    return accept_offer(
        assignment,
        applicant,
        guideline_version=guideline.version if guideline else None,
        agreement_version=AGREEMENT_VERSION,
    )


def offer(project, applicant, starts_on: date | None) -> Assignment:
    return make_offer(project, applicant.id, actor=None, hours=10, starts_on=starts_on)


def snapshot(account: StripeAccount, *, ready: bool) -> AccountSnapshot:
    return AccountSnapshot(
        id=account.stripe_account_id,
        details_submitted=ready,
        payouts_enabled=ready,
        transfers_active=ready,
        currently_due=[] if ready else ["external_account"],
        disabled_reason=None,
    )


def stripe_events() -> int:
    return db.session.scalar(
        select(func.count()).where(AuditEvent.action == "stripe.account_status")
    )


def test_an_active_contractor_accepting_a_second_offer_starts_it_without_a_stripe_event(
    app, frozen
):
    first, second = make_project(title="First"), make_project(title="Second")
    publish(second)
    person = make_candidate()
    stripe_account(person, ready=True)
    db.session.commit()
    accept(offer(first, person, TODAY), person)
    assert db.session.get(Applicant, person.id).stage == "active"
    before = stripe_events()

    later = accept(offer(second, person, TODAY), person)

    assert later.status == "active" and later.activated_at is not None
    assert db.session.get(Applicant, person.id).stage == "active"  # never back to onboarding
    assert stripe_events() == before
    moves = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.action == "stage.moved", AuditEvent.applicant_id == person.id
        )
    )
    assert "onboarding" not in [m.details.get("to_stage") for m in moves]


def test_a_future_start_waits_for_its_day_and_the_beat_task_starts_it(app, frozen):
    first, second = make_project(title="First"), make_project(title="Second")
    person = make_candidate()
    stripe_account(person, ready=True)
    db.session.commit()
    accept(offer(first, person, TODAY), person)
    starts = TODAY + timedelta(days=3)
    later = accept(offer(second, person, starts), person)
    assert later.status == "accepted"
    [row] = [r for r in board_for(person) if r.assignment.id == later.id]
    assert [w.kind for w in row.waits] == ["start"]

    frozen(starts - timedelta(days=1))
    assert tasks.activate_assignments.delay().get() == 0
    assert db.session.get(Assignment, later.id).status == "accepted"

    frozen(starts)
    assert tasks.activate_assignments.delay().get() == 1
    db.session.expire_all()
    assert db.session.get(Assignment, later.id).status == "active"


def test_nothing_is_active_until_payouts_are_ready(app, frozen):
    first, second = make_project(title="First"), make_project(title="Second")
    person = make_candidate()
    account = stripe_account(person, ready=False)
    db.session.commit()
    one = accept(offer(first, person, TODAY), person)
    two = accept(offer(second, person, None), person)
    assert (one.status, two.status) == ("accepted", "accepted")
    assert db.session.get(Applicant, person.id).stage == "onboarding"
    assert activate_due() == 0
    waits = {r.assignment.id: [w.kind for w in r.waits] for r in board_for(person)}
    assert waits == {one.id: ["payouts"], two.id: ["payouts"]}

    assert accounts.apply_snapshot(account, snapshot(account, ready=True))
    db.session.commit()
    db.session.expire_all()
    assert {a.status for a in db.session.scalars(select(Assignment))} == {"active"}
    assert db.session.get(Applicant, person.id).stage == "active"


def test_an_unacknowledged_guideline_holds_the_start_until_it_is_acknowledged(app, frozen):
    project = make_project()
    person = make_candidate()
    stripe_account(person, ready=True)
    db.session.commit()
    assignment = accept(offer(project, person, TODAY + timedelta(days=2)), person)
    newer = publish(project, version=1)  # published after acceptance: not acknowledged yet
    db.session.commit()
    frozen(TODAY + timedelta(days=2))
    assert activate_due() == 0
    assert [w.kind for w in board_for(person)[0].waits] == ["guideline"]
    acknowledge_guideline(person, newer)
    assert db.session.get(Assignment, assignment.id).status == "active"


def test_the_rule_is_idempotent(app, frozen):
    project = make_project()
    person = make_candidate()
    stripe_account(person, ready=True)
    db.session.commit()
    assignment = accept(offer(project, person, TODAY + timedelta(days=1)), person)
    frozen(TODAY + timedelta(days=1))
    assert activate_due() == 1
    audit_rows = db.session.scalar(select(func.count()).select_from(AuditEvent))
    activated_at = db.session.get(Assignment, assignment.id).activated_at
    assert activate_due() == 0
    assert settle(person.id) == [] and settle(person.id) == []
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == audit_rows
    assert db.session.get(Assignment, assignment.id).activated_at == activated_at


def test_the_dashboard_lists_every_assignment_with_what_it_waits_for(app, client, auth, frozen):
    first, second = make_project(title="Live project"), make_project(title="Later project")
    person = make_candidate()
    stripe_account(person, ready=True)
    db.session.commit()
    accept(offer(first, person, TODAY), person)
    accept(offer(second, person, TODAY + timedelta(days=5)), person)
    db.session.commit()
    auth.login(person.user.email)
    page = client.get("/me/").get_data(as_text=True)
    assert "Live project" in page and "Later project" in page
    assert "Active" in page and "Starting soon" in page
    assert "Starts on 12 Dec 2026" in page
