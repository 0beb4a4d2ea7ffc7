"""Celery tasks: the weekly payout run and the account check that does not need webhooks."""

from typing import Any

from celery import shared_task

from portal.payments import accounts, payouts, reminders, timesheets
from portal.payments.gateway import get_gateway, payments_configured


@shared_task(name="payments.run_payouts")
def run_payouts_task(week: str | None = None) -> dict[str, Any]:
    """Pay every approved, unpaid contractor-week; safe to retry or run twice at once."""
    if not payments_configured():
        return {"skipped": "payments are not configured"}
    with get_gateway() as gateway:
        run = payouts.run_payouts(gateway, week=week, trigger="beat")
    return {"run": run.id, "paid": run.paid_count, "failed": run.failed_count}


@shared_task(name="payments.sync_accounts")
def sync_accounts_task() -> dict[str, Any]:
    """Refresh every connected account's onboarding state from Stripe."""
    if not payments_configured():
        return {"skipped": "payments are not configured"}
    with get_gateway() as gateway:
        return accounts.sync_all_accounts(gateway)


@shared_task(name="payments.remind_timesheets", ignore_result=True)
def remind_timesheets(slot: str) -> int:
    """Friday: this week; Monday: last week, before it closes. One email per contractor-week
    and slot, however often it runs."""
    return reminders.send_reminders(slot)


@shared_task(name="payments.auto_approve", ignore_result=True)
def auto_approve() -> int:
    """Hourly: approve weeks waiting longer than TIMESHEET_AUTO_APPROVE_HOURS (if set)."""
    return timesheets.auto_approve_due()[0]
