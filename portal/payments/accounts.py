"""Stripe Connect onboarding: create the Express account, link to it, track its state."""

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal import audit, clock, pipeline
from portal.extensions import db
from portal.models import Applicant, Assignment, StripeAccount, User
from portal.payments.stripe_gateway import (
    AccountSnapshot,
    GatewayError,
    StripeGateway,
    onboarding_status,
)
from portal.transactions import use_case

STATUS_LABELS = {
    "not_started": "Not started",
    "incomplete": "Incomplete",
    "pending_verification": "Pending verification",
    "restricted": "Restricted",
    "ready": "Ready",
}


def account_for(applicant_id: int) -> StripeAccount | None:
    return db.session.scalar(
        select(StripeAccount).where(StripeAccount.applicant_id == applicant_id)
    )


def account_by_stripe_id(stripe_account_id: str) -> StripeAccount | None:
    return db.session.scalar(
        select(StripeAccount).where(StripeAccount.stripe_account_id == stripe_account_id)
    )


def snapshot_of(account: StripeAccount | None) -> AccountSnapshot | None:
    """The stored state as the gateway's snapshot (None when no account exists)."""
    if account is None:
        return None
    return AccountSnapshot(
        id=account.stripe_account_id,
        details_submitted=account.details_submitted,
        payouts_enabled=account.payouts_enabled,
        transfers_active=account.transfers_active,
        currently_due=list(account.currently_due or []),
        disabled_reason=account.disabled_reason,
    )


def status_message(account: StripeAccount | None) -> tuple[str, str]:
    """(status, message for the contractor) from the stored state."""
    return onboarding_status(snapshot_of(account))


# An accepted offer is what makes someone a contractor to pay; offered/declined ones do not.
CONTRACT_STATUSES = ("accepted", "active", "ended")


class OnboardingNotAllowed(ValueError):
    """Only a contractor with an accepted offer connects a Stripe account; the message says so."""


def onboarding_refusal(applicant: Applicant) -> str | None:
    """Why this person may not connect a Stripe account yet (None: they may)."""
    accepted = db.session.scalar(
        select(Assignment.id)
        .where(
            Assignment.applicant_id == applicant.id,
            Assignment.status.in_(CONTRACT_STATUSES),
        )
        .limit(1)
    )
    if accepted is None:
        return "You can connect a Stripe account once you have accepted an offer."
    return None


def ensure_account(applicant: Applicant, gateway: StripeGateway, country: str) -> StripeAccount:
    """The applicant's connected account, creating the Express account on first use (commits).

    Only a contractor with an accepted offer gets one (OnboardingNotAllowed otherwise).
    """
    account = account_for(applicant.id)
    if account is not None:
        return account
    refusal = onboarding_refusal(applicant)
    if refusal:
        raise OnboardingNotAllowed(refusal)
    stripe_id = gateway.create_express_account(
        applicant.user.email, country, metadata={"applicant_id": str(applicant.id)}
    )
    account = StripeAccount(
        applicant_id=applicant.id,
        stripe_account_id=stripe_id,
        country=country.upper(),
        status="incomplete",
    )
    db.session.add(account)
    audit.record(
        "stripe.account_created",
        actor=applicant.user,
        subject_type="applicant",
        subject_id=applicant.id,
        applicant_id=applicant.id,
        stripe_account_id=stripe_id,
    )
    try:
        db.session.commit()
    except IntegrityError:  # a double click created one already; keep the first
        db.session.rollback()
        existing = account_for(applicant.id)
        assert existing is not None
        return existing
    return account


def onboarding_link(
    applicant: Applicant, gateway: StripeGateway, refresh_url: str, return_url: str, country: str
) -> str:
    """A fresh single-use Stripe onboarding URL for the applicant's account.

    The account is committed as soon as Stripe creates it (``ensure_account``); a gateway
    error afterwards rolls back whatever else is pending and is raised.
    """
    try:
        account = ensure_account(applicant, gateway, country)
        return gateway.create_onboarding_link(account.stripe_account_id, refresh_url, return_url)
    except GatewayError:
        db.session.rollback()
        raise


def fresh_link(
    applicant: Applicant, gateway: StripeGateway, refresh_url: str, return_url: str
) -> str:
    """A new onboarding URL for an existing account; never creates one (safe for a GET)."""
    account = account_for(applicant.id)
    if account is None:
        raise OnboardingNotAllowed("Start connecting your Stripe account from this page.")
    return gateway.create_onboarding_link(account.stripe_account_id, refresh_url, return_url)


def apply_snapshot(
    account: StripeAccount, snapshot: AccountSnapshot, *, actor: User | None = None
) -> bool:
    """Store what Stripe says about the account; True when the status changed (caller commits).

    Reaching ``ready`` moves an onboarding contractor to ``active`` and starts their accepted
    assignments.
    """
    status, _ = onboarding_status(snapshot)
    before = account.status
    account.details_submitted = snapshot.details_submitted
    account.payouts_enabled = snapshot.payouts_enabled
    account.transfers_active = snapshot.transfers_active
    account.currently_due = list(snapshot.currently_due)
    account.disabled_reason = snapshot.disabled_reason
    account.status = status
    account.synced_at = clock.now()
    if status == before:
        return False
    audit.record(
        "stripe.account_status",
        actor=actor,
        subject_type="applicant",
        subject_id=account.applicant_id,
        applicant_id=account.applicant_id,
        from_status=before,
        to_status=status,
    )
    if status == "ready":
        _activate(account.applicant_id)
    return True


def _activate(applicant_id: int) -> None:
    applicant = db.session.get(Applicant, applicant_id)
    if applicant is None:
        return
    if applicant.stage == "onboarding":
        pipeline.move(applicant, "active", actor=None, reason="Stripe onboarding complete")
    for assignment in db.session.scalars(
        select(Assignment).where(
            Assignment.applicant_id == applicant_id, Assignment.status == "accepted"
        )
    ):
        assignment.status = "active"


def refresh_account(account: StripeAccount, gateway: StripeGateway) -> bool:
    """Re-read the account from Stripe and store it (caller commits)."""
    return apply_snapshot(account, gateway.retrieve_account(account.stripe_account_id))


@use_case
def check_account(account: StripeAccount, gateway: StripeGateway) -> bool:
    """Re-read one account from Stripe (the contractor is back from onboarding); commits."""
    return refresh_account(account, gateway)


def sync_all_accounts(gateway: StripeGateway) -> dict[str, int]:
    """The periodic check that does not rely on webhooks: refresh every account (commits each)."""
    counts = {"checked": 0, "changed": 0, "errors": 0}
    ids = list(db.session.scalars(select(StripeAccount.id).order_by(StripeAccount.id)))
    for account_id in ids:
        account = db.session.get(StripeAccount, account_id)
        if account is None:
            continue
        counts["checked"] += 1
        try:
            counts["changed"] += refresh_account(account, gateway)
        except GatewayError:
            db.session.rollback()
            counts["errors"] += 1
            continue
        db.session.commit()
    return counts
