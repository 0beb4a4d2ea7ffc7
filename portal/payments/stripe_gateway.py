"""The one module through which the portal talks to Stripe (official SDK, ``StripeClient``).

Everything else in the portal uses :class:`StripeGateway`, the small dataclasses and the
:class:`GatewayError` hierarchy below, never ``stripe`` directly, so tests can point the gateway
at ``portal.payments.fakestripe`` with ``api_base``.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from types import TracebackType
from typing import Any, Self
from urllib.parse import urlsplit

import requests
import stripe

from portal.payments.connect_countries import CountryNotSupported, account_terms

# The one Stripe API version the portal speaks (the installed SDK's own; its types describe it).
# Every request sends it, and webhook endpoints should be created with it.
API_VERSION = "2026-10-28.endive"
DEFAULT_MAX_NETWORK_RETRIES = 2
DEFAULT_TIMEOUT_SECONDS = 30.0

# Requirement disabled reasons that more form-filling will not fix.
_HARD_DISABLED_PREFIXES = ("rejected.", "listed", "platform_paused", "under_review", "other")


class GatewayError(Exception):
    """Stripe refused or could not be reached; ``message`` is safe to show an admin."""

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        http_status: int | None = None,
        request_id: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.http_status = http_status
        self.request_id = request_id


class InsufficientFunds(GatewayError):
    """The platform balance cannot cover the transfer; nothing was moved."""


class AccountNotReady(GatewayError):
    """The destination account is unknown or cannot receive transfers yet; nothing was moved."""


class IdempotencyConflict(GatewayError):
    """The idempotency key was already used with different parameters; nothing was moved."""


class GatewayUnavailable(GatewayError):
    """Network failure, Stripe 5xx or a key still in flight: the outcome is UNKNOWN.

    Reconcile with :meth:`StripeGateway.find_transfers` before trying anything else. After a
    network failure or a 409 the same idempotency key is safe to retry (Stripe replays the first
    result); after a 5xx answer (``key_spent``) Stripe has saved that error under the key and
    replays it for 24 hours, so only a new key can succeed.
    """

    @property
    def key_spent(self) -> bool:
        """Stripe answered 5xx: the error is saved under the idempotency key."""
        return (self.http_status or 0) >= 500


class CountryNotPayable(GatewayError):
    """Stripe cannot pay a contractor in this country from the platform's; nothing was created."""


class WebhookInvalid(GatewayError):
    """The webhook's signature, timestamp or body did not verify."""


@dataclass(frozen=True)
class AccountSnapshot:
    """The parts of a connected account that decide whether the contractor can be paid."""

    id: str
    details_submitted: bool
    payouts_enabled: bool
    transfers_active: bool
    currently_due: list[str] = field(default_factory=list)
    disabled_reason: str | None = None

    @classmethod
    def from_account(cls, account: stripe.Account | Mapping[str, Any]) -> AccountSnapshot:
        """Build from an SDK ``Account`` or a plain dict (e.g. a webhook's ``data.object``)."""
        data = account.to_dict() if isinstance(account, stripe.StripeObject) else dict(account)
        requirements = data.get("requirements") or {}
        capabilities = data.get("capabilities") or {}
        return cls(
            id=str(data["id"]),
            details_submitted=bool(data.get("details_submitted")),
            payouts_enabled=bool(data.get("payouts_enabled")),
            transfers_active=capabilities.get("transfers") == "active",
            currently_due=list(requirements.get("currently_due") or []),
            disabled_reason=requirements.get("disabled_reason"),
        )


@dataclass(frozen=True)
class TransferResult:
    """A transfer as the portal records it."""

    id: str
    amount: int
    currency: str = "usd"
    destination: str | None = None
    transfer_group: str | None = None
    metadata: dict[str, str] = field(default_factory=dict)
    created: int | None = None

    @classmethod
    def from_transfer(cls, transfer: stripe.Transfer | Mapping[str, Any]) -> TransferResult:
        """Build from an SDK ``Transfer`` or a plain dict."""
        data = transfer.to_dict() if isinstance(transfer, stripe.StripeObject) else dict(transfer)
        destination = data.get("destination")
        if isinstance(destination, Mapping):  # expanded
            destination = destination.get("id")
        return cls(
            id=str(data["id"]),
            amount=int(data["amount"]),
            currency=str(data.get("currency") or "usd"),
            destination=destination,
            transfer_group=data.get("transfer_group"),
            metadata={str(k): str(v) for k, v in (data.get("metadata") or {}).items()},
            created=data.get("created"),
        )


def onboarding_status(snapshot: AccountSnapshot | None) -> tuple[str, str]:
    """Classify a connected account as ``(status, message for the contractor)``.

    Statuses: not_started, incomplete, pending_verification, restricted, ready.
    """
    if snapshot is None:
        return "not_started", "Connect a Stripe account so we can pay you."
    reason = snapshot.disabled_reason or ""
    if reason.startswith(_HARD_DISABLED_PREFIXES):  # checked first: never pay a disabled account
        return (
            "restricted",
            f"Stripe has restricted this account ({_humanize(reason)}). "
            "Contact Stripe support or the payments team.",
        )
    if snapshot.details_submitted and snapshot.payouts_enabled and snapshot.transfers_active:
        return "ready", "Your Stripe account is ready to receive payouts."
    if snapshot.currently_due or not snapshot.details_submitted:
        if snapshot.currently_due:
            needed = ", ".join(_humanize(item) for item in snapshot.currently_due)
            return "incomplete", f"Finish Stripe onboarding. Still needed: {needed}."
        return "incomplete", "Finish Stripe onboarding."
    return (
        "pending_verification",
        "Stripe is verifying your details; this usually takes a few minutes to a few days.",
    )


def _humanize(requirement: str) -> str:
    return requirement.replace("_", " ").replace(".", " › ")


class StripeGateway:
    """Thin, typed wrapper over ``stripe.StripeClient`` for Connect onboarding and transfers."""

    def __init__(
        self,
        secret_key: str,
        api_base: str | None = None,
        *,
        platform_country: str = "US",
        max_network_retries: int = DEFAULT_MAX_NETWORK_RETRIES,
        timeout: float = DEFAULT_TIMEOUT_SECONDS,
    ) -> None:
        if not secret_key:
            raise ValueError("a Stripe secret key is required")
        session = requests.Session()
        if api_base is not None and _is_loopback(api_base):
            # Never let an HTTP(S)_PROXY from the environment carry local traffic off the machine.
            session.trust_env = False
        self._session = session
        self.platform_country = platform_country.upper()
        self._http_client = stripe.RequestsClient(timeout=timeout, session=session)
        base_addresses: dict[str, str] = {}
        if api_base is not None:
            base = api_base.rstrip("/")
            base_addresses = {"api": base, "connect": base, "files": base}
        self._client = stripe.StripeClient(
            secret_key,
            base_addresses=base_addresses,  # type: ignore[arg-type]
            stripe_version=API_VERSION,
            max_network_retries=max_network_retries,
            http_client=self._http_client,
        )

    def close(self) -> None:
        """Release pooled connections."""
        self._session.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- Connect onboarding -----------------------------------------------------------------

    def create_express_account(
        self, email: str, country: str, metadata: Mapping[str, str] | None = None
    ) -> str:
        """Create an Express connected account that can receive transfers; return its id.

        A contractor abroad gets the ``recipient`` service agreement and only ``transfers``
        (:mod:`portal.payments.connect_countries`); a country Stripe cannot pay raises
        :class:`CountryNotPayable` before Stripe is called.
        """
        try:
            terms = account_terms(self.platform_country, country)
        except CountryNotSupported as exc:
            raise CountryNotPayable(exc.message, code="country_not_supported") from exc
        params: dict[str, Any] = {
            "type": "express",
            "country": terms.country,
            "email": email,
            "capabilities": {name: {"requested": True} for name in terms.capabilities},
        }
        if terms.cross_border:
            params["tos_acceptance"] = {"service_agreement": terms.service_agreement}
        if metadata:
            params["metadata"] = dict(metadata)
        with _translated():
            account = self._client.v1.accounts.create(params)  # type: ignore[arg-type]
        return str(account.id)

    def create_onboarding_link(self, account_id: str, refresh_url: str, return_url: str) -> str:
        """A single-use, short-lived onboarding URL; make a fresh one per visit."""
        with _translated():
            link = self._client.v1.account_links.create(
                {
                    "account": account_id,
                    "type": "account_onboarding",
                    "refresh_url": refresh_url,
                    "return_url": return_url,
                }
            )
        return str(link.url)

    def retrieve_account(self, account_id: str) -> AccountSnapshot:
        """Fetch the account's current onboarding and capability state."""
        with _translated():
            account = self._client.v1.accounts.retrieve(account_id)
        return AccountSnapshot.from_account(account)

    # -- money ------------------------------------------------------------------------------

    def create_transfer(
        self,
        amount_cents: int,
        currency: str,
        destination: str,
        idempotency_key: str,
        metadata: Mapping[str, str] | None = None,
        transfer_group: str | None = None,
    ) -> TransferResult:
        """Move ``amount_cents`` to ``destination`` exactly once per ``idempotency_key``.

        Raises InsufficientFunds, AccountNotReady, IdempotencyConflict (nothing moved),
        GatewayUnavailable (outcome unknown) or GatewayError.
        """
        if isinstance(amount_cents, bool) or not isinstance(amount_cents, int):
            raise TypeError("amount_cents must be an int")
        if amount_cents <= 0:
            raise ValueError("amount_cents must be positive")
        if not idempotency_key:
            raise ValueError("an idempotency key is required for transfers")
        params: dict[str, Any] = {
            "amount": amount_cents,
            "currency": currency.lower(),
            "destination": destination,
        }
        if metadata:
            params["metadata"] = {str(k): str(v) for k, v in metadata.items()}
        if transfer_group:
            params["transfer_group"] = transfer_group
        with _translated():
            transfer = self._client.v1.transfers.create(
                params,  # type: ignore[arg-type]
                {"idempotency_key": idempotency_key},
            )
        return TransferResult.from_transfer(transfer)

    def retrieve_transfer(self, transfer_id: str) -> TransferResult:
        """Fetch one transfer by id."""
        with _translated():
            transfer = self._client.v1.transfers.retrieve(transfer_id)
        return TransferResult.from_transfer(transfer)

    def find_transfers(
        self,
        *,
        transfer_group: str | None = None,
        destination: str | None = None,
        metadata: Mapping[str, str] | None = None,
        created_gte: datetime | int | None = None,
        created_lte: datetime | int | None = None,
    ) -> list[TransferResult]:
        """All transfers matching the filters, newest first, following every page.

        Stripe filters transfer_group, destination and created itself; it cannot filter on
        metadata, so ``metadata`` (every key/value must match) is applied here.
        """
        params: dict[str, Any] = {"limit": 100}
        if transfer_group:
            params["transfer_group"] = transfer_group
        if destination:
            params["destination"] = destination
        created: dict[str, int] = {}
        if created_gte is not None:
            created["gte"] = _timestamp(created_gte)
        if created_lte is not None:
            created["lte"] = _timestamp(created_lte)
        if created:
            params["created"] = created
        wanted = {str(k): str(v) for k, v in (metadata or {}).items()}
        with _translated():
            page = self._client.v1.transfers.list(params)  # type: ignore[arg-type]
            results = [TransferResult.from_transfer(t) for t in page.auto_paging_iter()]
        return [r for r in results if all(r.metadata.get(k) == v for k, v in wanted.items())]

    def balance_available(self, currency: str = "usd") -> int:
        """The platform's available balance in ``currency``, in cents."""
        with _translated():
            balance = self._client.v1.balance.retrieve()
        data = balance.to_dict()
        return sum(
            int(entry["amount"])
            for entry in data.get("available") or []
            if entry.get("currency") == currency.lower()
        )

    # -- webhooks ---------------------------------------------------------------------------

    def parse_webhook(self, payload: bytes, sig_header: str | None, secret: str) -> stripe.Event:
        """Verify ``Stripe-Signature`` (default 300 s tolerance) and return the event.

        Pass the raw request body (``request.get_data()``), not re-serialised JSON.
        """
        try:
            # StripeClient.construct_event is stripe.Webhook.construct_event bound to this
            # client, with Webhook.DEFAULT_TOLERANCE (300 s).
            return self._client.construct_event(payload, sig_header, secret)
        except stripe.SignatureVerificationError as exc:
            raise WebhookInvalid(f"Invalid Stripe signature: {exc.user_message}") from exc
        except ValueError as exc:  # bad JSON, or a thin v2 event notification
            raise WebhookInvalid(f"Invalid webhook payload: {exc}") from exc


def _is_loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _timestamp(value: datetime | int) -> int:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("use an aware UTC datetime")
        return int(value.timestamp())
    return int(value)


@contextmanager
def _translated() -> Iterator[None]:
    """Re-raise SDK errors as the portal's gateway errors."""
    try:
        yield
    except stripe.StripeError as exc:
        raise _translate(exc) from exc


def _translate(exc: stripe.StripeError) -> GatewayError:
    message = exc.user_message or str(exc) or type(exc).__name__
    kwargs: dict[str, Any] = {
        "code": exc.code,
        "http_status": exc.http_status,
        "request_id": exc.request_id,
    }
    if isinstance(exc, stripe.IdempotencyError):
        return IdempotencyConflict(message, **kwargs)
    if exc.code == "balance_insufficient" or isinstance(exc, stripe.InsufficientFundsError):
        return InsufficientFunds(message, **kwargs)
    if isinstance(exc, stripe.InvalidRequestError) and (
        exc.param == "destination"
        or exc.code in ("insufficient_capabilities_for_transfer", "account_invalid")
    ):
        return AccountNotReady(message, **kwargs)
    if isinstance(exc, stripe.APIConnectionError | stripe.RateLimitError):
        return GatewayUnavailable(message, **kwargs)
    if exc.http_status == 409:  # the same key is still in flight: the first request may succeed
        return GatewayUnavailable(message, **kwargs)
    if isinstance(exc, stripe.APIError) and (exc.http_status or 500) >= 500:
        return GatewayUnavailable(message, **kwargs)
    return GatewayError(message, **kwargs)
