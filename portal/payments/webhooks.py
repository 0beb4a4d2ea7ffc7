"""Stripe webhooks: verified, recorded by event id, and processed exactly once."""

from typing import Any

import stripe
from sqlalchemy.exc import IntegrityError

from portal import clock
from portal.extensions import db
from portal.models import WebhookEvent
from portal.payments import accounts
from portal.payments.stripe_gateway import AccountSnapshot, GatewayError, StripeGateway


def process_event(event: stripe.Event, gateway: StripeGateway) -> str:
    """Record the event id and act on it once; returns what happened (commits).

    The insert and the processing share one transaction: if processing fails the id is not
    kept, the endpoint answers 500 and Stripe delivers the event again.
    """
    row = WebhookEvent(
        stripe_event_id=event.id,
        type=event.type,
        account=getattr(event, "account", None),
        created=getattr(event, "created", None),
    )
    db.session.add(row)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        return "duplicate"
    handler = HANDLERS.get(event.type)
    outcome = handler(event, gateway) if handler else "ignored"
    row.processed_at = clock.now()
    row.outcome = outcome[:200]
    db.session.commit()
    return outcome


def _account_updated(event: stripe.Event, gateway: StripeGateway) -> str:
    # Connect events name the connected account at the top level; an event on the platform's
    # own account has no ``account`` (and its object is the platform, not a contractor).
    obj: Any = event.data.object
    account_id = getattr(event, "account", None) or getattr(obj, "id", None)
    account = accounts.account_by_stripe_id(str(account_id)) if account_id else None
    if account is None:
        if getattr(event, "account", None) is None:
            return "ignored: the platform's own account"
        return "ignored: unknown account"
    # Deliveries can arrive out of order, so the payload may be stale: ask Stripe for the
    # current state instead of trusting it (the payload is used only if it is newer).
    try:
        snapshot = gateway.retrieve_account(account.stripe_account_id)
    except GatewayError:
        snapshot = AccountSnapshot.from_account(obj)
        if account.synced_at and event.created < int(account.synced_at.timestamp()):
            return "stale: kept the newer state"
    changed = accounts.apply_snapshot(account, snapshot)
    return f"account {account.status}" + (" (changed)" if changed else "")


HANDLERS = {"account.updated": _account_updated}
