"""Weekly payouts pay every approved contractor-week exactly once, whatever fails."""

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import Payout, Timesheet
from portal.payments import accounts, payouts
from portal.payments.stripe_gateway import StripeGateway
from portal.payments.timesheets import amount_cents
from tests.factories import approved_sheet, make_contractor
from tests.payments.conftest import last_week


def transfers_by_group(fake) -> dict[str, list[dict]]:
    groups: dict[str, list[dict]] = {}
    for transfer in fake.state.transfers:
        groups.setdefault(transfer["transfer_group"], []).append(transfer)
    return groups


def three_contractors(gateway, fake, week):
    people = []
    for hours in (8, 10.5, 12.25):
        applicant, assignment = make_contractor(gateway, fake, rate_cents=3333)
        approved_sheet(assignment, week, [int(hours * 4), 0, 0, 0, 0, 0, 0])
        people.append((applicant, hours))
    db.session.commit()
    return people


def test_amount_is_hours_times_rate_rounded_half_up_to_the_cent():
    assert amount_cents(4 * 8, 3000) == 24000
    assert amount_cents(1, 3333) == 833  # 833.25 cents
    assert amount_cents(2, 3333) == 1667  # 1666.5 cents rounds up
    assert amount_cents(3, 3333) == 2500  # 2499.75 cents


def test_a_run_pays_each_approved_week_once_and_a_rerun_pays_nothing(app, gateway, stripe_fake):
    week = last_week()
    people = three_contractors(gateway, stripe_fake, week)

    run = payouts.run_payouts(gateway, week=week)
    assert run.paid_count == 3 and run.failed_count == 0
    assert run.paid_cents == sum(amount_cents(int(h * 4), 3333) for _, h in people)
    for applicant, hours in people:
        payout = db.session.scalar(select(Payout).where(Payout.applicant_id == applicant.id))
        assert payout.status == "paid" and payout.transfer_id.startswith("tr_")
        assert payout.amount_cents == amount_cents(int(hours * 4), 3333)
    assert set(db.session.scalars(select(Timesheet.status))) == {"paid"}

    again = payouts.run_payouts(gateway, week=week)
    assert again.paid_count == 0 and again.lines == []
    assert len(stripe_fake.state.transfers) == 3
    assert all(len(t) == 1 for t in transfers_by_group(stripe_fake).values())


def test_crash_after_the_transfer_before_the_commit_is_reconciled_not_repaid(
    app, gateway, stripe_fake, monkeypatch
):
    week = last_week()
    three_contractors(gateway, stripe_fake, week)
    real_create = StripeGateway.create_transfer
    calls = {"n": 0}

    def crash_on_second(self, *args, **kwargs):
        result = real_create(self, *args, **kwargs)
        calls["n"] += 1
        if calls["n"] == 2:
            raise SystemExit("killed between the Stripe call and the commit")
        return result

    monkeypatch.setattr(StripeGateway, "create_transfer", crash_on_second)
    with pytest.raises(SystemExit):
        payouts.run_payouts(gateway, week=week)
    db.session.rollback()
    statuses = sorted(db.session.scalars(select(Payout.status)))
    assert statuses == ["paid", "pending", "pending"]  # the 2nd was paid in Stripe only
    assert len(stripe_fake.state.transfers) == 2

    monkeypatch.setattr(StripeGateway, "create_transfer", real_create)
    rerun = payouts.run_payouts(gateway, week=week)
    outcomes = sorted(line["outcome"] for line in rerun.lines)
    assert outcomes == ["paid", "reconciled"]
    assert sorted(db.session.scalars(select(Payout.status))) == ["paid"] * 3
    assert len(stripe_fake.state.transfers) == 3
    assert all(len(t) == 1 for t in transfers_by_group(stripe_fake).values())
    ledger = {p.transfer_id: p.amount_cents for p in db.session.scalars(select(Payout))}
    assert ledger == {t["id"]: t["amount"] for t in stripe_fake.state.transfers}


def test_killed_subprocess_mid_batch_then_rerun_pays_exactly_once(
    app, gateway, stripe_fake, tmp_path
):
    """A real kill (SIGKILL) of a run in another process, right after a transfer."""
    import os
    import signal
    import subprocess
    import sys
    import textwrap

    if db.engine.url.get_backend_name() == "sqlite" and db.engine.url.database in (None, ""):
        pytest.skip("needs a file or server database shared with the subprocess")
    week = last_week()
    three_contractors(gateway, stripe_fake, week)
    db_url = db.engine.url.render_as_string(hide_password=False)
    script = tmp_path / "run.py"
    script.write_text(
        textwrap.dedent(
            f"""
            import os
            from portal import create_app
            from portal.payments import accounts, payouts
            from portal.payments.stripe_gateway import StripeGateway
            real = StripeGateway.create_transfer
            def create_then_die(self, *a, **k):
                result = real(self, *a, **k)
                os.kill(os.getpid(), 9)
            StripeGateway.create_transfer = create_then_die
            app = create_app({{"SQLALCHEMY_DATABASE_URI": {db_url!r},
                              "STRIPE_SECRET_KEY": "sk_test_payments",
                              "STRIPE_API_BASE": {stripe_fake.url!r}, "TESTING": True}})
            with app.app_context(), StripeGateway("sk_test_payments", {stripe_fake.url!r}) as gw:
                payouts.run_payouts(gw, week={week!r})
            """
        )
    )
    env = {**os.environ, "PYTHONPATH": os.getcwd()}
    proc = subprocess.run([sys.executable, str(script)], env=env, cwd=os.getcwd(), timeout=60)
    assert proc.returncode == -signal.SIGKILL
    db.session.rollback()
    assert len(stripe_fake.state.transfers) == 1
    assert sorted(db.session.scalars(select(Payout.status))) == ["pending"] * 3

    rerun = payouts.run_payouts(gateway, week=week)
    assert sorted(line["outcome"] for line in rerun.lines) == ["paid", "paid", "reconciled"]
    assert len(stripe_fake.state.transfers) == 3
    assert all(len(t) == 1 for t in transfers_by_group(stripe_fake).values())


def test_insufficient_balance_leaves_the_week_unpaid_and_the_next_run_pays(
    app, gateway, stripe_fake
):
    week = last_week()
    applicant, assignment = make_contractor(gateway, stripe_fake, rate_cents=4000)
    approved_sheet(assignment, week, [40, 0, 0, 0, 0, 0, 0])  # 10 h = $400
    db.session.commit()
    stripe_fake.set_balance(100_00)

    run = payouts.run_payouts(gateway, week=week)
    assert run.failed_count == 1 and run.paid_count == 0
    payout = db.session.scalar(select(Payout))
    assert payout.status == "failed" and "insufficient" in payout.failure_reason.lower()
    assert payout.attempt == 2 and payout.idempotency_key.endswith("attempt-2")
    assert stripe_fake.state.transfers == []

    stripe_fake.set_balance(1_000_00)
    run = payouts.run_payouts(gateway, week=week)  # a fresh key, not the one Stripe refused
    assert run.paid_count == 1
    db.session.refresh(payout)
    assert payout.status == "paid" and payout.failure_reason is None
    assert [t["amount"] for t in stripe_fake.state.transfers] == [40000]


def test_an_account_not_ready_is_not_paid_until_onboarding_completes(app, gateway, stripe_fake):
    week = last_week()
    applicant, assignment = make_contractor(gateway, stripe_fake, ready=False)
    approved_sheet(assignment, week, [8, 8, 0, 0, 0, 0, 0])
    db.session.commit()

    run = payouts.run_payouts(gateway, week=week)
    payout = db.session.scalar(select(Payout))
    assert run.failed_count == 1 and payout.status == "failed"
    assert "not ready" in payout.failure_reason and "external account" in payout.failure_reason
    assert payout.attempt == 1  # no transfer was tried, so the key is still unused

    stripe_fake.complete_onboarding(payout.stripe_account_id)
    run = payouts.run_payouts(gateway, week=week)  # the run re-checks the account with Stripe
    assert run.paid_count == 1
    assert len(stripe_fake.state.transfers) == 1


def test_stripe_refusing_a_transfer_for_an_account_that_lost_its_capability(
    app, gateway, stripe_fake
):
    week = last_week()
    applicant, assignment = make_contractor(gateway, stripe_fake)
    approved_sheet(assignment, week, [8, 0, 0, 0, 0, 0, 0])
    db.session.commit()
    account_id = accounts.account_for(applicant.id).stripe_account_id
    stripe_fake.set_account(account_id, "restricted")  # our copy still says ready

    run = payouts.run_payouts(gateway, week=week)
    payout = db.session.scalar(select(Payout))
    assert run.failed_count == 1 and payout.status == "failed"
    assert "capabilities" in payout.failure_reason
    assert stripe_fake.state.transfers == []


def test_unknown_outcome_keeps_the_same_key_and_the_next_run_finds_the_transfer(
    app, gateway, stripe_fake
):
    week = last_week()
    applicant, assignment = make_contractor(gateway, stripe_fake)
    approved_sheet(assignment, week, [20, 0, 0, 0, 0, 0, 0])
    db.session.commit()

    class LossyGateway(StripeGateway):
        def create_transfer(self, *args, **kwargs):
            # Stripe executes the transfer, then the response and both SDK retries are lost.
            stripe_fake.fail_next(3, "network_after", "/v1/transfers")
            return super().create_transfer(*args, **kwargs)

    with LossyGateway("sk_test_payments", stripe_fake.url) as lossy:
        run = payouts.run_payouts(lossy, week=week)
    payout = db.session.scalar(select(Payout))
    assert run.failed_count == 1 and payout.status == "pending"
    assert "outcome is unknown" in payout.failure_reason
    assert payout.idempotency_key.endswith("attempt-1")
    assert len(stripe_fake.state.transfers) == 1  # the money did move
    stripe_fake.state.failures.clear()

    run = payouts.run_payouts(gateway, week=week)
    assert [line["outcome"] for line in run.lines] == ["reconciled"]
    db.session.refresh(payout)
    assert payout.status == "paid" and payout.transfer_id == stripe_fake.state.transfers[0]["id"]
    assert len(stripe_fake.state.transfers) == 1


def test_two_payouts_for_one_contractor_week_are_impossible(app, gateway, stripe_fake):
    from sqlalchemy.exc import IntegrityError

    week = last_week()
    applicant, assignment = make_contractor(gateway, stripe_fake)
    approved_sheet(assignment, week, [8, 0, 0, 0, 0, 0, 0])
    db.session.commit()
    assert payouts.prepare_payouts(week) == 1
    assert payouts.prepare_payouts(week) == 0
    db.session.add(
        Payout(
            applicant_id=applicant.id,
            week=week,
            amount_cents=1,
            idempotency_key="x",
            transfer_group="y",
        )
    )
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_two_runs_at_once_on_postgresql_pay_each_week_once(app, gateway, stripe_fake):
    import threading

    if db.engine.url.get_backend_name() != "postgresql":
        pytest.skip("row locks (FOR UPDATE SKIP LOCKED) need PostgreSQL")
    week = last_week()
    for _ in range(6):
        applicant, assignment = make_contractor(gateway, stripe_fake)
        approved_sheet(assignment, week, [16, 0, 0, 0, 0, 0, 0])
    db.session.commit()
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []
    runs = []

    def worker() -> None:
        try:
            with app.app_context(), StripeGateway("sk_test_payments", stripe_fake.url) as gw:
                barrier.wait()
                run = payouts.run_payouts(gw, week=week)
                runs.append((run.paid_count, run.skipped_count))
                db.session.remove()
        except BaseException as exc:  # noqa: BLE001 - surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    assert sum(paid for paid, _ in runs) == 6
    assert len(stripe_fake.state.transfers) == 6
    assert all(len(t) == 1 for t in transfers_by_group(stripe_fake).values())
    assert sorted(db.session.scalars(select(Payout.status))) == ["paid"] * 6


def test_run_payouts_command(app, gateway, stripe_fake):
    week = last_week()
    make_contractor(gateway, stripe_fake)  # no hours: nothing to pay
    approved = approved_sheet(make_contractor(gateway, stripe_fake)[1], week, [8] + [0] * 6)
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["run-payouts", "--week", week])
    assert result.exit_code == 0, result.output
    assert "1 paid" in result.output
    db.session.refresh(approved)
    assert approved.status == "paid"
    bad = app.test_cli_runner().invoke(args=["run-payouts", "--week", "2026-47"])
    assert bad.exit_code != 0 and "ISO week" in bad.output


def _pay_after(stripe_fake, gateway, mode: str):
    """One contractor-week whose first transfer request Stripe answers with a 500."""
    week = last_week()
    applicant, assignment = make_contractor(gateway, stripe_fake)
    approved_sheet(assignment, week, [20, 0, 0, 0, 0, 0, 0])
    db.session.commit()
    stripe_fake.fail_next(1, mode, "/v1/transfers", method="POST")
    first = payouts.run_payouts(gateway, week=week)
    payout = db.session.scalar(select(Payout))
    assert [line["outcome"] for line in first.lines] == ["unknown"]
    assert payout.status == "pending" and payout.failure_code == payouts.KEY_SPENT
    assert payout.idempotency_key.endswith("attempt-1")
    return week, payout


def test_a_replayed_500_does_not_stall_the_payout_and_pays_once(app, gateway, stripe_fake):
    week, payout = _pay_after(stripe_fake, gateway, "500")
    assert stripe_fake.state.transfers == []
    # Stripe saved the 500 under attempt-1's key: retrying that key would replay it for 24 h.
    saved = {key: r.status for (_, _, key), r in stripe_fake.state.idempotency.items()}
    assert saved[payout.idempotency_key] == 500

    second = payouts.run_payouts(gateway, week=week)
    assert [line["outcome"] for line in second.lines] == ["paid"]
    db.session.refresh(payout)
    assert payout.status == "paid" and payout.idempotency_key.endswith("attempt-2")
    assert payout.failure_code is None
    assert [t["id"] for t in stripe_fake.state.transfers] == [payout.transfer_id]
    assert payouts.run_payouts(gateway, week=week).lines == []
    assert len(stripe_fake.state.transfers) == 1


def test_a_500_after_stripe_moved_the_money_is_reconciled_not_paid_twice(app, gateway, stripe_fake):
    week, payout = _pay_after(stripe_fake, gateway, "500_after")
    assert len(stripe_fake.state.transfers) == 1  # Stripe executed, then answered 500

    second = payouts.run_payouts(gateway, week=week)
    assert [line["outcome"] for line in second.lines] == ["reconciled"]
    db.session.refresh(payout)
    assert payout.status == "paid" and payout.transfer_id == stripe_fake.state.transfers[0]["id"]
    assert payout.idempotency_key.endswith("attempt-1")  # no new key was needed
    assert payouts.run_payouts(gateway, week=week).lines == []
    assert len(stripe_fake.state.transfers) == 1


def test_a_run_that_read_the_sheets_before_another_committed_makes_no_adjustment(
    app, gateway, stripe_fake, monkeypatch
):
    """Regression: run B read the approved sheets, run A then prepared and committed their payout;
    B went on to make an 'adjustment' payout of the same sheets, and the week was paid twice."""
    import threading

    if db.engine.url.get_backend_name() != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    week = last_week()
    _, assignment = make_contractor(gateway, stripe_fake)
    approved_sheet(assignment, week, [8, 0, 0, 0, 0, 0, 0])
    db.session.commit()
    a_done = threading.Event()
    b_read = threading.Event()
    errors: list[BaseException] = []
    real_violations = payouts.contracts.sheet_violations

    def b_pauses_after_reading(sheet: Timesheet) -> list[str]:
        if threading.current_thread().name == "B" and not b_read.is_set():
            b_read.set()
            a_done.wait(3)  # without the sheet lock A finishes here; with it, A waits for B
        return real_violations(sheet)

    monkeypatch.setattr(payouts.contracts, "sheet_violations", b_pauses_after_reading)

    def run(name: str) -> None:
        try:
            with app.app_context():
                if name == "A":
                    b_read.wait(5)
                payouts.prepare_payouts(week)
                db.session.remove()
        except BaseException as exc:  # noqa: BLE001 - surfaced below
            errors.append(exc)
        finally:
            if name == "A":
                a_done.set()

    threads = [threading.Thread(target=run, args=(n,), name=n) for n in ("B", "A")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not errors, errors
    db.session.expire_all()
    rows = db.session.execute(select(Payout.week, Payout.adjustment, Payout.amount_cents)).all()
    assert len(rows) == 1, rows
    assert rows[0].adjustment == 0
