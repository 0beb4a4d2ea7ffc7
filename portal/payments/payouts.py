"""Weekly payouts that pay every approved contractor-week exactly once.

The protocol, per contractor-week:

1. ``prepare_payouts`` writes a ``Payout`` row (status ``pending``, amount, idempotency key
   derived from contractor + week + attempt) and COMMITS it before Stripe is called. The unique
   (applicant, week) pair means a second run cannot create a second payout.
2. ``pay_one`` locks the row (``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so two runs never work
   on the same payout), then asks Stripe for transfers already in the payout's transfer group:
   a previous run may have crashed after Stripe moved the money but before our commit. Found:
   record it as paid, no new transfer.
3. Otherwise it creates the transfer with the payout's idempotency key and records the result:
   ``paid`` (transfer id); ``failed`` with a reason for a definite refusal (insufficient
   balance, account not ready, any other Stripe error), moving to the next attempt's key
   because Stripe replays errors for a reused key; still ``pending`` when the outcome is
   unknown so the next run reconciles first. After a lost connection (or a 409: the key still
   in flight) it retries with the SAME key. After a Stripe 5xx it cannot: Stripe saved that 500
   under the key and replays it for 24 hours, so the payout is marked ``KEY_SPENT`` and the
   next run, once the transfer group shows no transfer, moves to the next attempt's key.

Late weeks: a week approved after its contractor-week was paid gets an adjustment payout of its
own, ``adjustment`` n = 1, 2 … for that contractor-week, with its own idempotency key and
transfer group derived from contractor + week + adjustment number (+ attempt), so everything
above holds for it unchanged: the unique (applicant, week, adjustment) triple stops a second run
from creating it twice, and its transfer group lets a re-run find a transfer a crash left behind.

The contract is checked again before money moves: a week with hours outside its assignment's
work window (or while paused) is never put in a payout, and a payout whose weeks stopped obeying
the contract between preparing and paying fails with the reason instead of paying.
"""

import contextlib
from dataclasses import asdict, dataclass
from typing import Any

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from portal import audit, clock
from portal.extensions import db
from portal.models import Applicant, Payout, PayoutRun, StripeAccount, Timesheet, User
from portal.payments import accounts, contracts
from portal.payments.stripe_gateway import (
    GatewayError,
    GatewayUnavailable,
    StripeGateway,
    TransferResult,
)
from portal.payments.timesheets import sheet_amount

OPEN_STATUSES = ("pending", "failed")
# failure_code of a pending payout whose key Stripe answered with a 5xx (saved, replayed 24 h).
KEY_SPENT = "stripe_5xx_key_spent"


@dataclass
class PayoutLine:
    """One row of a payout run's report."""

    payout_id: int
    applicant_id: int
    week: str
    amount_cents: int
    currency: str
    outcome: str  # paid | reconciled | failed | unknown
    message: str = ""
    transfer_id: str | None = None
    adjustment: int = 0  # 0: the weekly payout; n: the n-th late-week adjustment


def namespace() -> str:
    return str(current_app.config.get("PAYOUT_KEY_NAMESPACE") or "portal")


def transfer_group(applicant_id: int, week: str, adjustment: int = 0) -> str:
    base = f"{namespace()}-{applicant_id}-{week}"
    return base if not adjustment else f"{base}-adjustment-{adjustment}"


def idempotency_key(applicant_id: int, week: str, attempt: int, adjustment: int = 0) -> str:
    """Derived from contractor + week (+ adjustment) + attempt: a re-run reuses it exactly."""
    week_part = week if not adjustment else f"{week}-adjustment-{adjustment}"
    return f"{namespace()}-payout-{applicant_id}-{week_part}-attempt-{attempt}"


def prepare_payouts(week: str | None = None) -> int:
    """Create (and commit) a pending Payout for every approved contractor-week without one, and
    an adjustment payout for weeks approved after their contractor-week was paid."""
    query = select(Timesheet.applicant_id, Timesheet.week).where(
        Timesheet.status == "approved", Timesheet.payout_id.is_(None)
    )
    if week:
        query = query.where(Timesheet.week == week)
    created = 0
    for applicant_id, sheet_week in db.session.execute(query.distinct()).all():
        sheets = [
            sheet
            for sheet in db.session.scalars(
                # Lock the sheets: a concurrent run that took them first is waited for, and
                # PostgreSQL re-checks payout_id after the wait, so the same sheets can never
                # also become an adjustment payout of this run.
                select(Timesheet)
                .where(
                    Timesheet.applicant_id == applicant_id,
                    Timesheet.week == sheet_week,
                    Timesheet.status == "approved",
                    Timesheet.payout_id.is_(None),
                )
                .with_for_update()
                .execution_options(populate_existing=True)
            )
            if not contracts.sheet_violations(sheet)  # never pay a day outside the contract
        ]
        currencies = {sheet.assignment.currency.lower() for sheet in sheets}
        amount = sum(sheet_amount(sheet) for sheet in sheets)
        if len(currencies) != 1 or amount <= 0:
            continue
        previous = db.session.scalar(
            select(func.max(Payout.adjustment)).where(
                Payout.applicant_id == applicant_id, Payout.week == sheet_week
            )
        )
        adjustment = 0 if previous is None else previous + 1
        account = accounts.account_for(applicant_id)
        payout = Payout(
            applicant_id=applicant_id,
            week=sheet_week,
            adjustment=adjustment,
            amount_cents=amount,
            currency=currencies.pop(),
            status="pending",
            attempt=1,
            idempotency_key=idempotency_key(applicant_id, sheet_week, 1, adjustment),
            transfer_group=transfer_group(applicant_id, sheet_week, adjustment),
            stripe_account_id=account.stripe_account_id if account else None,
        )
        db.session.add(payout)
        try:
            db.session.flush()
            for sheet in sheets:
                sheet.payout_id = payout.id
            if adjustment:
                audit.record(
                    "payout.adjustment_created",
                    actor=None,
                    subject_type="payout",
                    subject_id=payout.id,
                    applicant_id=applicant_id,
                    week=sheet_week,
                    adjustment=adjustment,
                    amount_cents=amount,
                )
            db.session.commit()
        except IntegrityError:  # another run created it first
            db.session.rollback()
            continue
        created += 1
    return created


def late_sheets(week: str | None = None) -> list[Timesheet]:
    """Approved sheets whose contractor-week was already paid: the next run pays them as an
    adjustment (shown to the admin until then). One query, the contractors' names loaded."""
    paid = select(Payout.id).where(
        Payout.applicant_id == Timesheet.applicant_id, Payout.week == Timesheet.week
    )
    query = (
        select(Timesheet)
        .where(Timesheet.status == "approved", Timesheet.payout_id.is_(None), paid.exists())
        .options(joinedload(Timesheet.applicant).joinedload(Applicant.user))
        .order_by(Timesheet.week, Timesheet.id)
    )
    if week:
        query = query.where(Timesheet.week == week)
    return list(db.session.scalars(query))


def _lock_open_payout(payout_id: int) -> Payout | None:
    stmt = (
        select(Payout)
        .where(Payout.id == payout_id, Payout.status.in_(OPEN_STATUSES))
        .with_for_update(skip_locked=True)
        .execution_options(populate_existing=True)
    )
    return db.session.scalars(stmt).first()


def _mark_paid(payout: Payout, transfer: TransferResult) -> None:
    payout.status = "paid"
    payout.transfer_id = transfer.id
    payout.paid_at = clock.now()
    payout.failure_code = None
    payout.failure_reason = None
    if transfer.amount != payout.amount_cents or transfer.currency != payout.currency:
        payout.failure_reason = (
            f"Stripe's transfer is {transfer.amount} {transfer.currency}, "
            f"our ledger says {payout.amount_cents} {payout.currency}."
        )
    for sheet in db.session.scalars(select(Timesheet).where(Timesheet.payout_id == payout.id)):
        sheet.status = "paid"
    audit.record(
        "payout.paid",
        actor=None,
        subject_type="payout",
        subject_id=payout.id,
        applicant_id=payout.applicant_id,
        week=payout.week,
        amount_cents=payout.amount_cents,
        transfer_id=transfer.id,
    )


def _fail(payout: Payout, code: str, message: str, *, key_used: bool) -> None:
    """A definite failure: nothing moved. A used key is retired (Stripe replays its error)."""
    payout.status = "failed"
    payout.failure_code = code
    payout.failure_reason = message
    if key_used:
        _next_key(payout)


def _next_key(payout: Payout) -> None:
    payout.attempt += 1
    payout.idempotency_key = idempotency_key(
        payout.applicant_id, payout.week, payout.attempt, payout.adjustment
    )


def _line(payout: Payout, outcome: str, message: str = "") -> PayoutLine:
    return PayoutLine(
        payout.id,
        payout.applicant_id,
        payout.week,
        payout.amount_cents,
        payout.currency,
        outcome,
        message,
        payout.transfer_id,
        payout.adjustment,
    )


def pay_one(payout_id: int, gateway: StripeGateway, run_id: int | None = None) -> PayoutLine | None:
    """Pay one open payout at most once (commits); None if it is paid or another run holds it."""
    payout = _lock_open_payout(payout_id)
    if payout is None:
        db.session.rollback()
        return None
    payout.last_run_id = run_id
    try:
        already = gateway.find_transfers(transfer_group=payout.transfer_group)
    except GatewayError as exc:
        if payout.failure_code != KEY_SPENT:  # keep the mark: that key must not be reused
            payout.failure_code = exc.code or "stripe_unavailable"
        payout.failure_reason = f"Could not check Stripe for an earlier transfer: {exc.message}"
        line = _line(payout, "unknown", payout.failure_reason)
        db.session.commit()
        return line
    if already:
        _mark_paid(payout, already[-1])  # oldest first: the one an earlier run made
        if len(already) > 1:
            payout.failure_reason = f"{len(already)} transfers in Stripe for this week; check."
        line = _line(payout, "reconciled", "Found the transfer an earlier run made.")
        db.session.commit()
        return line
    if payout.failure_code == KEY_SPENT:
        # The group holds no transfer, so that 500 moved nothing; its key would only replay it.
        _next_key(payout)
        payout.failure_code = None

    account = db.session.scalar(
        select(StripeAccount).where(StripeAccount.applicant_id == payout.applicant_id)
    )
    if account is not None and not account.ready:
        with contextlib.suppress(GatewayError):  # the periodic sync may lag: ask Stripe
            accounts.refresh_account(account, gateway)
    if account is None or not account.ready:
        _, why = accounts.status_message(account)
        _fail(payout, "account_not_ready", f"Stripe account not ready: {why}", key_used=False)
        line = _line(payout, "failed", payout.failure_reason or "")
        db.session.commit()
        return line

    broken = [
        problem
        for sheet in db.session.scalars(select(Timesheet).where(Timesheet.payout_id == payout.id))
        for problem in contracts.sheet_violations(sheet)
    ]
    if broken:
        _fail(
            payout,
            "contract",
            "Not paid, the contract refuses: " + " ".join(broken),
            key_used=False,
        )
        line = _line(payout, "failed", payout.failure_reason or "")
        db.session.commit()
        return line

    payout.stripe_account_id = account.stripe_account_id
    payout.attempted_at = clock.now()
    try:
        transfer = gateway.create_transfer(
            payout.amount_cents,
            payout.currency,
            account.stripe_account_id,
            payout.idempotency_key,
            metadata={
                "payout_id": str(payout.id),
                "applicant_id": str(payout.applicant_id),
                "week": payout.week,
                "adjustment": str(payout.adjustment),
            },
            transfer_group=payout.transfer_group,
        )
    except GatewayUnavailable as exc:
        if exc.key_spent:
            payout.failure_code = KEY_SPENT
            payout.failure_reason = (
                f"Stripe answered {exc.http_status} ({exc.message}); the outcome is unknown and "
                "Stripe replays that answer for this idempotency key. The next run checks "
                "Stripe for a transfer first and, finding none, pays with the next attempt's key."
            )
        else:
            payout.failure_code = exc.code or "stripe_unavailable"
            payout.failure_reason = (
                f"Stripe did not answer ({exc.message}); the outcome is unknown. The next run "
                "checks Stripe first and retries with the same idempotency key."
            )
        line = _line(payout, "unknown", payout.failure_reason)
        db.session.commit()
        return line
    except GatewayError as exc:
        _fail(payout, exc.code or type(exc).__name__, exc.message, key_used=True)
        line = _line(payout, "failed", exc.message)
        db.session.commit()
        return line
    _mark_paid(payout, transfer)
    line = _line(payout, "paid")
    db.session.commit()
    return line


def open_payout_ids(week: str | None = None) -> list[int]:
    query = select(Payout.id).where(Payout.status.in_(OPEN_STATUSES)).order_by(Payout.id)
    if week:
        query = query.where(Payout.week == week)
    return list(db.session.scalars(query))


def run_payouts(
    gateway: StripeGateway,
    *,
    week: str | None = None,
    trigger: str = "cli",
    actor: User | None = None,
) -> PayoutRun:
    """Pay every approved, unpaid contractor-week (optionally one week); returns the report.

    A run started by a person (``actor``) is audited as ``payout.run``.
    """
    run = PayoutRun(week=week, trigger=trigger)
    db.session.add(run)
    db.session.commit()
    run_id = run.id
    prepare_payouts(week)
    lines: list[dict[str, Any]] = []
    skipped = 0
    for payout_id in open_payout_ids(week):
        line = pay_one(payout_id, gateway, run_id)
        if line is None:
            skipped += 1
        else:
            lines.append(asdict(line))
    run = db.session.get(PayoutRun, run_id)
    assert run is not None
    run.lines = lines
    run.paid_count = sum(1 for line in lines if line["outcome"] in ("paid", "reconciled"))
    run.paid_cents = sum(
        line["amount_cents"] for line in lines if line["outcome"] in ("paid", "reconciled")
    )
    run.failed_count = sum(1 for line in lines if line["outcome"] in ("failed", "unknown"))
    run.skipped_count = skipped
    run.finished_at = clock.now()
    if actor is not None:
        audit.record("payout.run", actor=actor, subject_type="payout_run", subject_id=run.id)
    db.session.commit()
    return run


@dataclass
class ReconRow:
    """One line of the reconciliation: our ledger beside Stripe's transfer."""

    kind: str  # ok | missing_in_stripe | missing_in_ledger | amount_differs | unpaid
    payout: Payout | None
    transfer: TransferResult | None
    message: str


def reconcile(gateway: StripeGateway) -> list[ReconRow]:
    """Compare every payout with the transfers Stripe lists; mismatches first."""
    transfers = gateway.find_transfers()
    by_id = {t.id: t for t in transfers}
    by_group: dict[str, list[TransferResult]] = {}
    for transfer in transfers:
        by_group.setdefault(transfer.transfer_group or "", []).append(transfer)
    rows: list[ReconRow] = []
    seen: set[str] = set()
    for payout in db.session.scalars(select(Payout).order_by(Payout.week.desc(), Payout.id)):
        if payout.transfer_id:
            transfer = by_id.get(payout.transfer_id)
            seen.add(payout.transfer_id)
            if transfer is None:
                rows.append(
                    ReconRow(
                        "missing_in_stripe",
                        payout,
                        None,
                        "Paid in our ledger, but Stripe lists no such transfer.",
                    )
                )
            elif (transfer.amount, transfer.currency) != (payout.amount_cents, payout.currency):
                rows.append(
                    ReconRow(
                        "amount_differs",
                        payout,
                        transfer,
                        f"Ledger {payout.amount_cents} {payout.currency}, Stripe "
                        f"{transfer.amount} {transfer.currency}.",
                    )
                )
            else:
                rows.append(ReconRow("ok", payout, transfer, ""))
            for extra in by_group.get(payout.transfer_group, []):
                if extra.id != payout.transfer_id:
                    seen.add(extra.id)
                    rows.append(
                        ReconRow(
                            "missing_in_ledger",
                            payout,
                            extra,
                            "A second transfer for this contractor-week.",
                        )
                    )
        else:
            found = by_group.get(payout.transfer_group, [])
            for transfer in found:
                seen.add(transfer.id)
                rows.append(
                    ReconRow(
                        "missing_in_ledger",
                        payout,
                        transfer,
                        "Stripe has a transfer our ledger has not recorded "
                        "(the next run records it).",
                    )
                )
            if not found:
                rows.append(ReconRow("unpaid", payout, None, payout.failure_reason or ""))
    for transfer in transfers:
        if transfer.id not in seen:
            rows.append(
                ReconRow(
                    "missing_in_ledger", None, transfer, "A Stripe transfer no payout accounts for."
                )
            )
    order = {
        "missing_in_stripe": 0,
        "missing_in_ledger": 1,
        "amount_differs": 2,
        "unpaid": 3,
        "ok": 4,
    }
    rows.sort(key=lambda r: order[r.kind])
    return rows
