"""What people see: contractor history and statements, run reports, reconciliation, the task."""

from sqlalchemy import select

from portal.extensions import db
from portal.models import Payout, PayoutRun
from portal.payments import payouts
from portal.payments.tasks import run_payouts_task
from tests.factories import approved_sheet, make_contractor
from tests.payments.conftest import last_week


def test_contractor_sees_history_and_a_weekly_statement(app, client, auth, gateway, stripe_fake):
    week = last_week()
    user = auth.as_role("applicant", applicant={"stage": "active"})
    _, assignment = make_contractor(gateway, stripe_fake, rate_cents=3400, applicant=user.applicant)
    approved_sheet(assignment, week, [8, 6, 0, 0, 0, 0, 0])  # 3.5 h x $34 = $119.00
    db.session.commit()
    payouts.run_payouts(gateway, week=week)

    page = client.get("/me/payments/").get_data(as_text=True)
    assert week in page and "$119.00" in page and "status-paid" in page
    statement = client.get(f"/me/payments/statements/{week}").get_data(as_text=True)
    assert "$34.00/h" in statement and "3.5" in statement and "$119.00" in statement
    assert db.session.scalar(select(Payout.transfer_id)) in statement
    assert client.get("/me/payments/statements/2020-W01").status_code == 404


def test_unpaid_reason_is_visible_to_admin_and_contractor(app, client, auth, gateway, stripe_fake):
    week = last_week()
    applicant, assignment = make_contractor(gateway, stripe_fake)
    approved_sheet(assignment, week, [8, 0, 0, 0, 0, 0, 0])
    db.session.commit()
    stripe_fake.set_balance(0)
    run = payouts.run_payouts(gateway, week=week)
    auth.as_role("admin")
    report = client.get(f"/admin/payouts/runs/{run.id}").get_data(as_text=True)
    assert "insufficient" in report.lower() and applicant.display_name in report
    overview = client.get("/admin/payouts").get_data(as_text=True)
    assert "insufficient" in overview.lower()


def test_admin_runs_payouts_from_the_page(app, client, auth, gateway, stripe_fake):
    week = last_week()
    approved_sheet(make_contractor(gateway, stripe_fake)[1], week, [8, 0, 0, 0, 0, 0, 0])
    db.session.commit()
    auth.as_role("admin")
    response = client.post("/admin/payouts/run", data={"week": week}, follow_redirects=True)
    assert response.status_code == 200 and "1 paid" in response.get_data(as_text=True)
    assert len(stripe_fake.state.transfers) == 1


def test_reconciliation_highlights_mismatches(app, client, auth, gateway, stripe_fake):
    week = last_week()
    people = [make_contractor(gateway, stripe_fake) for _ in range(3)]
    for _, assignment in people:
        approved_sheet(assignment, week, [8, 0, 0, 0, 0, 0, 0])
    db.session.commit()
    payouts.run_payouts(gateway, week=week)
    paid = list(db.session.scalars(select(Payout).order_by(Payout.id)))
    paid[0].transfer_id = "tr_never_made"  # ledger says paid, Stripe has no such transfer
    paid[1].amount_cents += 1  # amounts differ
    db.session.commit()
    gateway.create_transfer(  # money Stripe moved that no payout accounts for
        500, "usd", paid[2].stripe_account_id, "stray-key", transfer_group="elsewhere"
    )
    auth.as_role("admin")
    page = client.get("/admin/payouts/reconcile").get_data(as_text=True)
    assert "4 mismatch(es)" in page
    assert "recon-missing_in_stripe" in page and "recon-amount_differs" in page
    assert page.count("recon-missing_in_ledger") == 2  # the stray one and paid[0]'s real one
    assert "recon-ok" in page


def test_reconciliation_agrees_after_a_clean_run(app, client, auth, gateway, stripe_fake):
    approved_sheet(make_contractor(gateway, stripe_fake)[1], last_week(), [4] + [0] * 6)
    db.session.commit()
    payouts.run_payouts(gateway)
    auth.as_role("admin")
    assert "Ledger and Stripe agree" in client.get("/admin/payouts/reconcile").get_data(
        as_text=True
    )


def test_the_beat_task_is_safe_to_retry(app, gateway, stripe_fake):
    week = last_week()
    approved_sheet(make_contractor(gateway, stripe_fake)[1], week, [8, 0, 0, 0, 0, 0, 0])
    db.session.commit()
    first = run_payouts_task.delay(week).get()
    retried = run_payouts_task.delay(week).get()
    assert first["paid"] == 1 and retried["paid"] == 0
    assert len(stripe_fake.state.transfers) == 1
    assert db.session.scalar(select(PayoutRun.trigger)) == "beat"


def test_beat_task_without_keys_does_nothing(app):
    app.config["STRIPE_SECRET_KEY"] = None
    assert run_payouts_task.delay().get() == {"skipped": "payments are not configured"}
