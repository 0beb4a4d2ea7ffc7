"""A week approved after its contractor-week was paid is paid once, as an adjustment payout."""

import threading

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import Payout, Timesheet
from portal.payments import payouts
from portal.payments.stripe_gateway import StripeGateway
from portal.payments.timesheets import amount_cents
from tests.factories import approved_sheet, make_contractor
from tests.factories import make_bare_project as make_project
from tests.payments.conftest import last_week


def groups(fake) -> dict[str, list[dict]]:
    result: dict[str, list[dict]] = {}
    for transfer in fake.state.transfers:
        result.setdefault(transfer["transfer_group"], []).append(transfer)
    return result


def paid_week_then_a_late_one(gateway, fake, week):
    """A contractor on two projects: the first week is paid, the second approved afterwards."""
    applicant, first = make_contractor(gateway, fake, rate_cents=3000)
    _, second = make_contractor(
        rate_cents=4000, applicant=applicant, project=make_project("Second project")
    )
    approved_sheet(first, week, [16, 0, 0, 0, 0, 0, 0])  # 4 h x $30
    db.session.commit()
    run = payouts.run_payouts(gateway, week=week)
    assert run.paid_count == 1
    late = approved_sheet(second, week, [0, 10, 0, 0, 0, 0, 0])  # 2.5 h x $40, approved late
    db.session.commit()
    return applicant, late


def test_a_late_week_is_paid_in_the_next_run_as_an_adjustment_and_only_once(
    app, client, auth, gateway, stripe_fake
):
    week = last_week()
    applicant, late = paid_week_then_a_late_one(gateway, stripe_fake, week)
    assert payouts.late_sheets(week) == [late]

    run = payouts.run_payouts(gateway, week=week)

    assert run.paid_count == 1 and run.lines[0]["adjustment"] == 1
    weekly, adjustment = db.session.scalars(select(Payout).order_by(Payout.adjustment))
    assert (weekly.adjustment, weekly.amount_cents) == (0, amount_cents(16, 3000))
    assert adjustment.adjustment == 1 and adjustment.status == "paid"
    assert adjustment.amount_cents == amount_cents(10, 4000) == 10000
    assert adjustment.idempotency_key.endswith(f"{week}-adjustment-1-attempt-1")
    assert adjustment.transfer_group.endswith(f"{week}-adjustment-1")
    assert db.session.get(Timesheet, late.id).status == "paid"
    assert payouts.late_sheets(week) == []
    assert [t["amount"] for t in stripe_fake.state.transfers] == [12000, 10000]

    again = payouts.run_payouts(gateway, week=week)
    assert again.lines == [] and len(stripe_fake.state.transfers) == 2

    # Shown as such: on the contractor's statement and in the admin's reconciliation.
    auth.login(applicant.user.email)
    statement = client.get(f"/me/payments/statements/{week}").get_data(as_text=True)
    assert "Adjustment 1" in statement and "$100.00" in statement
    auth.logout()
    auth.as_role("admin")
    recon = client.get("/admin/payouts/reconcile").get_data(as_text=True)
    assert 'data-testid="adjustment"' in recon and "adjustment 1" in recon


def test_a_crash_between_the_adjustment_transfer_and_the_commit_is_reconciled_not_repaid(
    app, gateway, stripe_fake, monkeypatch
):
    week = last_week()
    paid_week_then_a_late_one(gateway, stripe_fake, week)
    real_create = StripeGateway.create_transfer

    def create_then_crash(self, *args, **kwargs):
        real_create(self, *args, **kwargs)
        raise SystemExit("killed between the Stripe call and the commit")

    monkeypatch.setattr(StripeGateway, "create_transfer", create_then_crash)
    with pytest.raises(SystemExit):
        payouts.run_payouts(gateway, week=week)
    db.session.rollback()
    adjustment = db.session.scalar(select(Payout).where(Payout.adjustment == 1))
    assert adjustment.status == "pending" and len(stripe_fake.state.transfers) == 2

    monkeypatch.setattr(StripeGateway, "create_transfer", real_create)
    rerun = payouts.run_payouts(gateway, week=week)
    assert [line["outcome"] for line in rerun.lines] == ["reconciled"]
    assert len(stripe_fake.state.transfers) == 2
    assert all(len(t) == 1 for t in groups(stripe_fake).values())
    db.session.refresh(adjustment)
    assert adjustment.status == "paid"


def test_a_lost_response_keeps_the_adjustment_key_and_the_next_run_finds_the_transfer(
    app, gateway, stripe_fake
):
    week = last_week()
    paid_week_then_a_late_one(gateway, stripe_fake, week)

    class LossyGateway(StripeGateway):
        def create_transfer(self, *args, **kwargs):
            stripe_fake.fail_next(3, "network_after", "/v1/transfers")
            return super().create_transfer(*args, **kwargs)

    with LossyGateway("sk_test_payments", stripe_fake.url) as lossy:
        run = payouts.run_payouts(lossy, week=week)
    adjustment = db.session.scalar(select(Payout).where(Payout.adjustment == 1))
    assert run.failed_count == 1 and adjustment.status == "pending"
    assert adjustment.idempotency_key.endswith("adjustment-1-attempt-1")
    assert len(stripe_fake.state.transfers) == 2  # the money did move
    stripe_fake.state.failures.clear()

    run = payouts.run_payouts(gateway, week=week)
    assert [line["outcome"] for line in run.lines] == ["reconciled"]
    assert len(stripe_fake.state.transfers) == 2
    db.session.refresh(adjustment)
    assert adjustment.transfer_id == stripe_fake.state.transfers[1]["id"]


def test_two_runs_at_once_pay_the_adjustment_once(app, gateway, stripe_fake):
    if db.engine.url.get_backend_name() != "postgresql":
        pytest.skip("row locks (FOR UPDATE SKIP LOCKED) need PostgreSQL")
    week = last_week()
    paid_week_then_a_late_one(gateway, stripe_fake, week)
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            with app.app_context(), StripeGateway("sk_test_payments", stripe_fake.url) as gw:
                barrier.wait()
                payouts.run_payouts(gw, week=week)
                db.session.remove()
        except BaseException as exc:  # noqa: BLE001 - surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    assert len(stripe_fake.state.transfers) == 2
    assert all(len(t) == 1 for t in groups(stripe_fake).values())
    assert sorted(db.session.scalars(select(Payout.adjustment))) == [0, 1]


def test_a_second_late_week_gets_the_next_adjustment_number(app, gateway, stripe_fake):
    week = last_week()
    applicant, _ = paid_week_then_a_late_one(gateway, stripe_fake, week)
    payouts.run_payouts(gateway, week=week)
    _, third = make_contractor(
        rate_cents=2000, applicant=applicant, project=make_project("Third project")
    )
    approved_sheet(third, week, [0, 0, 4, 0, 0, 0, 0])
    db.session.commit()
    run = payouts.run_payouts(gateway, week=week)
    assert [line["adjustment"] for line in run.lines] == [2]
    assert sorted(db.session.scalars(select(Payout.adjustment))) == [0, 1, 2]
    assert len(stripe_fake.state.transfers) == 3
