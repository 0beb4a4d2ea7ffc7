"""Flask commands: run-payouts, sync-stripe-accounts and fake-stripe (the demo's local Stripe)."""

import contextlib

import click
from flask import current_app, url_for
from sqlalchemy import select

from portal.extensions import db
from portal.payments import accounts, payouts
from portal.payments.gateway import (
    connect_webhook_secret,
    fake_api_base,
    get_gateway,
    is_simulation,
    payments_configured,
    webhook_secret,
)
from portal.payments.timesheets import normalize_week


@click.command("run-payouts")
@click.option("--week", default=None, help="ISO week such as 2026-W47 (default: every week).")
def run_payouts_command(week: str | None) -> None:
    """Pay every approved, unpaid contractor-week through Stripe (safe to re-run)."""
    if week:
        try:
            week = normalize_week(week)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--week") from exc
    if not payments_configured():
        raise click.ClickException("Payments are not configured: set STRIPE_SECRET_KEY.")
    if is_simulation():
        click.echo("Simulation: transfers go to the local fake Stripe.")
    with get_gateway() as gateway:
        run = payouts.run_payouts(gateway, week=week, trigger="cli")
    for line in run.lines:
        amount = f"{line['amount_cents'] / 100:.2f} {line['currency'].upper()}"
        click.echo(
            f"  {line['outcome']:<10} applicant {line['applicant_id']:<5} {line['week']} "
            f"{amount:>14}  {line['transfer_id'] or line['message']}"
        )
    click.echo(
        f"Run {run.id}: {run.paid_count} paid ({run.paid_cents / 100:.2f}), "
        f"{run.failed_count} unpaid, {run.skipped_count} skipped (another run held them)."
    )
    if run.failed_count:
        raise SystemExit(1)


@click.command("sync-stripe-accounts")
def sync_accounts_command() -> None:
    """Refresh every contractor's Stripe onboarding state (what the periodic task does)."""
    if not payments_configured():
        raise click.ClickException("Payments are not configured: set STRIPE_SECRET_KEY.")
    with get_gateway() as gateway:
        counts = accounts.sync_all_accounts(gateway)
    click.echo(
        f"{counts['checked']} checked, {counts['changed']} changed, {counts['errors']} errors"
    )


@click.command("fake-stripe")
@click.option("--port", type=int, default=None, help="Default: the STRIPE_FAKE_PORT setting.")
@click.option("--balance", default=5_000_000, show_default=True, help="Available USD cents.")
@click.option(
    "--portal-url",
    default="http://127.0.0.1:5000",
    show_default=True,
    help="The portal the fake delivers signed webhooks to.",
)
@click.option(
    "--only-if-enabled",
    is_flag=True,
    help="Exit at once unless STRIPE_FAKE is on and no real API base is set (`make run`).",
)
def fake_stripe_command(
    port: int | None, balance: int, portal_url: str, only_if_enabled: bool
) -> None:
    """Run a local fake Stripe on 127.0.0.1 for the demo (use with STRIPE_FAKE=1).

    Connected accounts already in the database are recreated in the fake with the same ids
    and states, so seeded contractors can be paid.
    """
    from portal.models import Payout, StripeAccount
    from portal.payments.fakestripe import FakeStripeServer

    config = current_app.config
    if only_if_enabled and not (config.get("STRIPE_FAKE") and not config.get("STRIPE_API_BASE")):
        return
    port = int(config["STRIPE_FAKE_PORT"]) if port is None else port
    # Two endpoints, as in Stripe's dashboard: "Your account" and "Connected accounts" events.
    secret = webhook_secret() or str(config["STRIPE_FAKE_WEBHOOK_SECRET"])
    connect_secret = connect_webhook_secret() or str(config["STRIPE_FAKE_CONNECT_WEBHOOK_SECRET"])
    with current_app.test_request_context():
        webhook_url = portal_url.rstrip("/") + url_for("stripe_webhooks.stripe_webhook")
        connect_url = portal_url.rstrip("/") + url_for("stripe_webhooks.stripe_connect_webhook")
    server = FakeStripeServer(
        port,
        balance=balance,
        webhook_target=webhook_url,
        webhook_secret=secret,
        connect_webhook_target=connect_url,
        connect_webhook_secret=connect_secret,
        platform_country=str(config["STRIPE_PLATFORM_COUNTRY"]),
    )
    adopted = 0
    for account in db.session.scalars(select(StripeAccount)):
        preset = "complete" if account.ready else account.status
        server.state.adopt_account(
            account.stripe_account_id,
            email=account.applicant.user.email,
            country=account.country,
            preset=preset,
        )
        adopted += 1
    for payout in db.session.scalars(select(Payout).where(Payout.transfer_id.is_not(None))):
        server.state.adopt_transfer(
            str(payout.transfer_id),
            amount=payout.amount_cents,
            currency=payout.currency,
            destination=payout.stripe_account_id or "",
            transfer_group=payout.transfer_group,
            metadata={"payout_id": str(payout.id), "week": payout.week},
            created=int((payout.paid_at or payout.created_at).timestamp()),
        )
    db.session.remove()
    try:
        server.bind()
    except OSError as exc:
        raise click.ClickException(
            f"cannot listen on 127.0.0.1:{port} ({exc.strerror}); is a fake Stripe running?"
        ) from exc
    base = config.get("STRIPE_API_BASE") or fake_api_base()
    click.echo(f"fake Stripe on {server.url} (portal uses {base})")
    click.echo(f"  {adopted} connected accounts and the paid transfers from the database")
    click.echo(f"  platform balance {balance / 100:.2f} USD")
    click.echo(f"  webhooks to {webhook_url} and {connect_url}; Ctrl-C to stop")
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()


commands = [run_payouts_command, sync_accounts_command, fake_stripe_command]
