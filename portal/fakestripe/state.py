"""The fake's in-memory Stripe: accounts, account links, transfers, balance and events."""

from __future__ import annotations

import copy
import json
import secrets
import string
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from portal.fakestripe.webhooks import WebhookEndpoint, WebhookSender

API_VERSION = "2024-06-20"
LINK_TTL_SECONDS = 300
IDEMPOTENCY_TTL_SECONDS = 24 * 3600
FAILURE_MODES = ("500", "network", "network_after")

# What Stripe asks of a fresh US Express account before it can receive transfers.
INITIAL_DUE = [
    "business_profile.mcc",
    "business_profile.url",
    "business_type",
    "external_account",
    "individual.address.city",
    "individual.address.line1",
    "individual.address.postal_code",
    "individual.address.state",
    "individual.dob.day",
    "individual.dob.month",
    "individual.dob.year",
    "individual.email",
    "individual.first_name",
    "individual.last_name",
    "individual.phone",
    "individual.ssn_last_4",
    "tos_acceptance.date",
    "tos_acceptance.ip",
]

# Named account states for tests and the demo; each is a set of field overrides.
ACCOUNT_PRESETS: dict[str, dict[str, Any]] = {
    "not_started": {
        "details_submitted": False,
        "payouts_enabled": False,
        "transfers": "inactive",
        "currently_due": INITIAL_DUE,
        "pending_verification": [],
        "disabled_reason": "requirements.past_due",
    },
    "incomplete": {
        "details_submitted": False,
        "payouts_enabled": False,
        "transfers": "inactive",
        "currently_due": ["external_account", "individual.ssn_last_4"],
        "pending_verification": [],
        "disabled_reason": "requirements.past_due",
    },
    "pending_verification": {
        "details_submitted": True,
        "payouts_enabled": False,
        "transfers": "pending",
        "currently_due": [],
        "pending_verification": ["individual.verification.document"],
        "disabled_reason": "requirements.pending_verification",
    },
    "restricted": {
        "details_submitted": True,
        "payouts_enabled": False,
        "transfers": "inactive",
        "currently_due": [],
        "pending_verification": [],
        "disabled_reason": "rejected.other",
    },
    "complete": {
        "details_submitted": True,
        "payouts_enabled": True,
        "transfers": "active",
        "currently_due": [],
        "pending_verification": [],
        "disabled_reason": None,
    },
}
ACCOUNT_PRESETS["ready"] = ACCOUNT_PRESETS["complete"]


class StripeFault(Exception):
    """An API error rendered as Stripe's ``{"error": {...}}``.

    ``saved`` says whether the idempotency layer stores it: Stripe saves any result once the
    endpoint began executing, but not parameter-validation failures.
    """

    def __init__(
        self,
        status: int,
        message: str,
        *,
        type_: str = "invalid_request_error",
        code: str | None = None,
        param: str | None = None,
        saved: bool = True,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.type = type_
        self.code = code
        self.param = param
        self.saved = saved

    def body(self) -> dict[str, Any]:
        """The JSON body Stripe returns for this error."""
        error: dict[str, Any] = {"type": self.type, "message": self.message}
        if self.code is not None:
            error["code"] = self.code
            error["doc_url"] = f"https://stripe.com/docs/error-codes/{self.code.replace('_', '-')}"
        if self.param is not None:
            error["param"] = self.param
        return {"error": error}


def invalid_param(param: str, message: str) -> StripeFault:
    """A validation error (never saved for idempotent replay)."""
    return StripeFault(400, message, code="parameter_invalid", param=param, saved=False)


def missing_param(param: str) -> StripeFault:
    """Stripe's error for a required parameter that was not sent."""
    return StripeFault(
        400, f"Missing required param: {param}.", code="parameter_missing", param=param, saved=False
    )


def new_id(prefix: str, length: int = 24) -> str:
    """A Stripe-looking id such as ``tr_1PabcXYZ...``."""
    alphabet = string.ascii_letters + string.digits
    return prefix + "_1" + "".join(secrets.choice(alphabet) for _ in range(length - 2))


@dataclass
class AccountLink:
    """A single-use onboarding link."""

    token: str
    account: str
    refresh_url: str
    return_url: str
    created: int
    expires_at: int
    status: str = "new"  # new → opened → used


@dataclass
class SavedResponse:
    """What the idempotency layer replays for a key."""

    method: str
    path: str
    params: dict[str, Any]
    status: int
    body: bytes
    created: int


@dataclass
class Failure:
    """An injected failure for the next matching API request."""

    mode: str
    path_prefix: str | None = None


@dataclass
class FakeStripeState:
    """Everything the fake knows; every public method takes ``self.lock`` itself."""

    api_key: str | None = None
    webhook_endpoints: list[WebhookEndpoint] = field(default_factory=list)
    initial_balance: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.lock = threading.RLock()
        self.sender = WebhookSender()
        self._configured_endpoints = list(self.webhook_endpoints)
        self.reset()

    # -- housekeeping -------------------------------------------------------------------------

    def reset(self) -> None:
        """Forget objects, keys and failures; restore the constructor's balance and endpoints."""
        with self.lock:
            self.clock_offset = 0
            self.accounts: dict[str, dict[str, Any]] = {}
            self.links: dict[str, AccountLink] = {}
            self.transfers: list[dict[str, Any]] = []  # oldest first
            self.events: list[dict[str, Any]] = []  # oldest first
            self.balance: dict[str, int] = dict(self.initial_balance)
            self.idempotency: dict[tuple[str, str | None, str], SavedResponse] = {}
            self.failures: deque[Failure] = deque()
            self.request_log: list[tuple[str, str, int]] = []
            self.webhook_endpoints = list(self._configured_endpoints)

    def now(self) -> int:
        """The fake's clock (wall clock plus any test offset), in Unix seconds."""
        return int(time.time()) + self.clock_offset

    def advance_clock(self, seconds: int) -> None:
        """Move the fake's clock forward, e.g. to expire account links."""
        with self.lock:
            self.clock_offset += int(seconds)

    def set_balance(self, amount: int, currency: str = "usd") -> None:
        """Set the platform's available balance in one currency."""
        with self.lock:
            self.balance[currency.lower()] = int(amount)

    def fail_next(self, count: int = 1, mode: str = "500", path_prefix: str | None = None) -> None:
        """Make the next ``count`` API requests (optionally under a path) fail in ``mode``.

        ``500``: answer 500 without executing; ``network``: drop the connection without
        executing; ``network_after``: execute, then drop the connection (response lost).
        """
        if mode not in FAILURE_MODES:
            raise ValueError(f"mode must be one of {FAILURE_MODES}")
        with self.lock:
            self.failures.extend(Failure(mode, path_prefix) for _ in range(int(count)))

    def take_failure(self, path: str) -> Failure | None:
        """Pop the first injected failure that applies to ``path``."""
        with self.lock:
            for failure in self.failures:
                if failure.path_prefix is None or path.startswith(failure.path_prefix):
                    self.failures.remove(failure)
                    return failure
        return None

    def add_webhook_endpoint(self, endpoint: WebhookEndpoint) -> None:
        """Start delivering future events to ``endpoint``."""
        with self.lock:
            self.webhook_endpoints.append(endpoint)

    # -- events -----------------------------------------------------------------------------

    def record_event(
        self,
        type_: str,
        obj: dict[str, Any],
        *,
        account: str | None = None,
        previous_attributes: dict[str, Any] | None = None,
        request: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Store an event like Stripe's and queue it for every subscribed webhook endpoint."""
        with self.lock:
            data: dict[str, Any] = {"object": copy.deepcopy(obj)}
            if previous_attributes is not None:
                data["previous_attributes"] = previous_attributes
            event: dict[str, Any] = {
                "id": new_id("evt"),
                "object": "event",
                "api_version": API_VERSION,
                "created": self.now(),
                "data": data,
                "livemode": False,
                "pending_webhooks": 0,
                "request": request or {"id": None, "idempotency_key": None},
                "type": type_,
            }
            if account is not None:
                event["account"] = account
            endpoints = [e for e in self.webhook_endpoints if e.wants(event)]
            event["pending_webhooks"] = len(endpoints)
            self.events.append(event)
            payload = json.dumps(event, indent=2).encode()
            for endpoint in endpoints:
                self.sender.enqueue(endpoint, event, payload)
            return event

    # -- accounts ---------------------------------------------------------------------------

    def create_account(self, params: dict[str, Any], request: dict[str, Any]) -> dict[str, Any]:
        """POST /v1/accounts for an Express account."""
        account_type = params.get("type", "express")
        if account_type not in ("express", "custom", "standard"):
            raise invalid_param("type", "Invalid type: must be one of express, custom or standard")
        country = str(params.get("country", "US")).upper()
        if len(country) != 2 or not country.isalpha():
            raise invalid_param("country", f"Country '{country}' is unknown.")
        email = params.get("email")
        if email is not None and "@" not in str(email):
            raise invalid_param("email", "Invalid email address: " + str(email))
        capabilities: dict[str, str] = {}
        for name, options in (params.get("capabilities") or {}).items():
            if isinstance(options, dict) and _truthy(options.get("requested")):
                capabilities[name] = "inactive"
        metadata = _metadata(params.get("metadata"))
        with self.lock:
            account_id = "acct_1" + "".join(
                secrets.choice(string.ascii_letters + string.digits) for _ in range(15)
            )
            created = self.now()
            account = {
                "id": account_id,
                "object": "account",
                "business_profile": {"mcc": None, "name": None, "url": None},
                "business_type": params.get("business_type"),
                "capabilities": capabilities,
                "charges_enabled": False,
                "controller": {
                    "is_controller": True,
                    "type": "application",
                    "requirement_collection": "stripe",
                    "stripe_dashboard": {"type": account_type},
                },
                "country": country,
                "created": created,
                "default_currency": "usd" if country == "US" else None,
                "details_submitted": False,
                "email": email,
                "external_accounts": {
                    "object": "list",
                    "data": [],
                    "has_more": False,
                    "total_count": 0,
                    "url": f"/v1/accounts/{account_id}/external_accounts",
                },
                "future_requirements": _requirements([], None),
                "livemode": False,
                "metadata": metadata,
                "payouts_enabled": False,
                "requirements": _requirements(list(INITIAL_DUE), "requirements.past_due"),
                "settings": {"payouts": {"schedule": {"interval": "daily", "delay_days": 2}}},
                "tos_acceptance": {"date": None},
                "type": account_type,
            }
            self.accounts[account_id] = account
            return copy.deepcopy(account)

    def adopt_account(
        self, account_id: str, *, email: str | None = None, country: str = "US", preset: str | None
    ) -> dict[str, Any]:
        """Recreate a known Express account under its existing id (the demo restarts the fake)."""
        with self.lock:
            created = self.create_account(
                {
                    "type": "express",
                    "country": country,
                    "email": email,
                    "capabilities": {"transfers": {"requested": True}},
                },
                {"id": None, "idempotency_key": None},
            )
            account = self.accounts.pop(created["id"])
            account["id"] = account_id
            account["external_accounts"]["url"] = f"/v1/accounts/{account_id}/external_accounts"
            self.accounts[account_id] = account
            if preset:
                requirements = account["requirements"]
                for key, value in ACCOUNT_PRESETS[preset].items():
                    if key in ("details_submitted", "payouts_enabled"):
                        account[key] = bool(value)
                    elif key == "transfers":
                        account["capabilities"]["transfers"] = value
                    else:
                        requirements[key] = value
            return copy.deepcopy(account)

    def get_account(self, account_id: str) -> dict[str, Any]:
        """GET /v1/accounts/{id}."""
        with self.lock:
            account = self.accounts.get(account_id)
            if account is None:
                raise StripeFault(
                    404,
                    f"No such account: '{account_id}'",
                    code="resource_missing",
                    param="account",
                )
            return copy.deepcopy(account)

    def update_account_state(
        self, account_id: str, preset: str | None = None, **fields: Any
    ) -> dict[str, Any]:
        """Apply a named preset and/or field overrides, emitting ``account.updated``.

        Fields: details_submitted, payouts_enabled, charges_enabled, transfers (capability
        status), currently_due, eventually_due, past_due, pending_verification, disabled_reason.
        """
        changes: dict[str, Any] = {}
        if preset is not None:
            if preset not in ACCOUNT_PRESETS:
                raise ValueError(f"unknown preset {preset!r}; one of {sorted(ACCOUNT_PRESETS)}")
            changes.update(ACCOUNT_PRESETS[preset])
        changes.update(fields)
        with self.lock:
            account = self.accounts.get(account_id)
            if account is None:
                raise KeyError(account_id)
            before = copy.deepcopy(account)
            requirements = account["requirements"]
            for key, value in changes.items():
                if key in ("details_submitted", "payouts_enabled", "charges_enabled"):
                    account[key] = bool(value)
                elif key == "transfers":
                    account["capabilities"]["transfers"] = value
                elif key in ("currently_due", "eventually_due", "past_due", "pending_verification"):
                    requirements[key] = list(value)
                elif key == "disabled_reason":
                    requirements["disabled_reason"] = value
                else:
                    raise ValueError(f"unknown account field {key!r}")
            if "currently_due" in changes and "eventually_due" not in changes:
                requirements["eventually_due"] = list(requirements["currently_due"])
            if "currently_due" in changes and "past_due" not in changes:
                requirements["past_due"] = list(requirements["currently_due"])
            if account["details_submitted"] and before["tos_acceptance"]["date"] is None:
                account["tos_acceptance"]["date"] = self.now()
            previous = _previous_attributes(before, account)
            if previous:
                self.record_event(
                    "account.updated", account, account=account_id, previous_attributes=previous
                )
            return copy.deepcopy(account)

    # -- account links ----------------------------------------------------------------------

    def create_account_link(
        self, params: dict[str, Any], base_url: str, request: dict[str, Any]
    ) -> dict[str, Any]:
        """POST /v1/account_links: a single-use URL on this server that expires in 5 minutes."""
        for name in ("account", "type"):
            if not params.get(name):
                raise missing_param(name)
        if params["type"] not in ("account_onboarding", "account_update"):
            raise invalid_param("type", f"Invalid type: {params['type']}")
        refresh_url = params.get("refresh_url")
        return_url = params.get("return_url")
        if not refresh_url:
            raise missing_param("refresh_url")
        if not return_url:
            raise missing_param("return_url")
        with self.lock:
            if params["account"] not in self.accounts:
                raise StripeFault(
                    400,
                    f"No such account: '{params['account']}'",
                    code="resource_missing",
                    param="account",
                    saved=False,
                )
            created = self.now()
            link = AccountLink(
                token=secrets.token_urlsafe(16),
                account=params["account"],
                refresh_url=refresh_url,
                return_url=return_url,
                created=created,
                expires_at=created + LINK_TTL_SECONDS,
            )
            self.links[link.token] = link
            return {
                "object": "account_link",
                "created": created,
                "expires_at": link.expires_at,
                "url": f"{base_url.rstrip('/')}/onboard/{link.account}/{link.token}",
            }

    def open_link(self, account_id: str, token: str) -> tuple[AccountLink | None, bool]:
        """Consume a link on its first visit; ``(link, False)`` if it was used or has expired."""
        with self.lock:
            link = self.links.get(token)
            if link is None or link.account != account_id:
                return None, False
            if link.status != "new" or self.now() >= link.expires_at:
                link.status = "used"
                return link, False
            link.status = "opened"
            return link, True

    def finish_link(self, account_id: str, token: str, action: str) -> str | None:
        """Submit the onboarding form once; returns the URL to redirect to."""
        with self.lock:
            link = self.links.get(token)
            if link is None or link.account != account_id:
                return None
            if link.status != "opened":
                return link.refresh_url
            link.status = "used"
            preset = {"complete": "complete", "pending": "pending_verification"}.get(action)
            if preset is not None:
                self.update_account_state(account_id, preset)
            return link.return_url

    # -- balance ----------------------------------------------------------------------------

    def get_balance(self) -> dict[str, Any]:
        """GET /v1/balance."""
        with self.lock:
            currencies = sorted(self.balance) or ["usd"]
            return {
                "object": "balance",
                "available": [
                    {
                        "amount": self.balance.get(c, 0),
                        "currency": c,
                        "source_types": {"card": self.balance.get(c, 0)},
                    }
                    for c in currencies
                ],
                "connect_reserved": [{"amount": 0, "currency": c} for c in currencies],
                "livemode": False,
                "pending": [
                    {"amount": 0, "currency": c, "source_types": {"card": 0}} for c in currencies
                ],
            }

    # -- transfers --------------------------------------------------------------------------

    def create_transfer(self, params: dict[str, Any], request: dict[str, Any]) -> dict[str, Any]:
        """POST /v1/transfers: move available balance to a connected account."""
        for name in ("amount", "currency", "destination"):
            if params.get(name) in (None, ""):
                raise missing_param(name)
        try:
            amount = int(params["amount"])
        except (TypeError, ValueError):
            raise invalid_param("amount", "Invalid integer: " + str(params["amount"])) from None
        if amount < 1:
            raise invalid_param("amount", "This value must be greater than or equal to 1.")
        currency = str(params["currency"]).lower()
        if len(currency) != 3 or not currency.isalpha():
            raise invalid_param("currency", f"Invalid currency: {currency}.")
        destination = str(params["destination"])
        metadata = _metadata(params.get("metadata"))
        with self.lock:
            account = self.accounts.get(destination)
            if account is None:
                raise StripeFault(
                    400,
                    f"No such destination: '{destination}'",
                    code="resource_missing",
                    param="destination",
                )
            if account["capabilities"].get("transfers") != "active":
                raise StripeFault(
                    400,
                    "Your destination account needs to have at least one of the following "
                    "capabilities enabled: transfers, crypto_transfers, legacy_payments",
                    code="insufficient_capabilities_for_transfer",
                    param="destination",
                )
            if self.balance.get(currency, 0) < amount:
                raise StripeFault(
                    400,
                    "You have insufficient available funds in your Stripe account. Try adding "
                    "funds directly to your available balance by creating Charges using the "
                    "4000000000000077 test card.",
                    code="balance_insufficient",
                )
            self.balance[currency] -= amount
            transfer_id = new_id("tr")
            transfer = {
                "id": transfer_id,
                "object": "transfer",
                "amount": amount,
                "amount_reversed": 0,
                "balance_transaction": new_id("txn"),
                "created": self.now(),
                "currency": currency,
                "description": params.get("description"),
                "destination": destination,
                "destination_payment": new_id("py"),
                "livemode": False,
                "metadata": metadata,
                "reversals": {
                    "object": "list",
                    "data": [],
                    "has_more": False,
                    "total_count": 0,
                    "url": f"/v1/transfers/{transfer_id}/reversals",
                },
                "reversed": False,
                "source_transaction": None,
                "source_type": "card",
                "transfer_group": params.get("transfer_group"),
            }
            self.transfers.append(transfer)
            self.record_event("transfer.created", transfer, request=request)
            return copy.deepcopy(transfer)

    def adopt_transfer(
        self,
        transfer_id: str,
        *,
        amount: int,
        currency: str,
        destination: str,
        transfer_group: str | None = None,
        metadata: dict[str, str] | None = None,
        created: int | None = None,
    ) -> None:
        """Recreate a transfer made before the fake restarted (no balance change, no event)."""
        with self.lock:
            self.transfers.append(
                {
                    "id": transfer_id,
                    "object": "transfer",
                    "amount": int(amount),
                    "amount_reversed": 0,
                    "created": created or self.now(),
                    "currency": currency.lower(),
                    "destination": destination,
                    "livemode": False,
                    "metadata": dict(metadata or {}),
                    "reversed": False,
                    "transfer_group": transfer_group,
                }
            )
            self.transfers.sort(key=lambda t: t["created"])

    def get_transfer(self, transfer_id: str) -> dict[str, Any]:
        """GET /v1/transfers/{id}."""
        with self.lock:
            for transfer in self.transfers:
                if transfer["id"] == transfer_id:
                    return copy.deepcopy(transfer)
        raise StripeFault(
            404, f"No such transfer: '{transfer_id}'", code="resource_missing", param="id"
        )

    def list_transfers(self, params: dict[str, Any]) -> dict[str, Any]:
        """GET /v1/transfers with destination, transfer_group and created filters."""
        with self.lock:
            items = [
                t
                for t in self.transfers
                if _matches_created(t["created"], params.get("created"))
                and params.get("destination") in (None, t["destination"])
                and params.get("transfer_group") in (None, t["transfer_group"])
            ]
            return paginate(items, params, "/v1/transfers")

    def list_events(self, params: dict[str, Any], stripe_account: str | None) -> dict[str, Any]:
        """GET /v1/events: platform events, or one connected account's with ``Stripe-Account``."""
        types = params.get("types") or ([params["type"]] if params.get("type") else None)
        with self.lock:
            items = [
                e
                for e in self.events
                if e.get("account") == stripe_account
                and _matches_created(e["created"], params.get("created"))
                and (types is None or any(_type_matches(e["type"], t) for t in types))
            ]
            return paginate(items, params, "/v1/events")

    def get_event(self, event_id: str, stripe_account: str | None) -> dict[str, Any]:
        """GET /v1/events/{id}."""
        with self.lock:
            for event in self.events:
                if event["id"] == event_id and event.get("account") == stripe_account:
                    return copy.deepcopy(event)
        raise StripeFault(404, f"No such event: '{event_id}'", code="resource_missing", param="id")


def paginate(items_oldest_first: list[dict[str, Any]], params: dict[str, Any], url: str) -> dict:
    """Stripe list semantics: newest first, ``limit`` 1–100, cursor ids in either direction."""
    try:
        limit = int(params.get("limit", 10))
    except (TypeError, ValueError):
        raise invalid_param("limit", "Invalid integer: " + str(params.get("limit"))) from None
    if not 1 <= limit <= 100:
        raise invalid_param("limit", "This value must be between 1 and 100.")
    items = list(reversed(items_oldest_first))
    ids = [item["id"] for item in items]
    if params.get("starting_after"):
        cursor = params["starting_after"]
        if cursor not in ids:
            raise invalid_param("starting_after", f"No such object: '{cursor}'")
        rest = items[ids.index(cursor) + 1 :]
        page, has_more = rest[:limit], len(rest) > limit
    elif params.get("ending_before"):
        cursor = params["ending_before"]
        if cursor not in ids:
            raise invalid_param("ending_before", f"No such object: '{cursor}'")
        rest = items[: ids.index(cursor)]
        page, has_more = rest[-limit:], len(rest) > limit
    else:
        page, has_more = items[:limit], len(items) > limit
    return {"object": "list", "data": copy.deepcopy(page), "has_more": has_more, "url": url}


def _requirements(currently_due: list[str], disabled_reason: str | None) -> dict[str, Any]:
    return {
        "alternatives": [],
        "current_deadline": None,
        "currently_due": list(currently_due),
        "disabled_reason": disabled_reason,
        "errors": [],
        "eventually_due": list(currently_due),
        "past_due": list(currently_due),
        "pending_verification": [],
    }


def _previous_attributes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """Stripe's ``previous_attributes``: the old values of the top-level keys that changed."""
    return {key: before[key] for key in after if before.get(key) != after[key]}


def _metadata(value: Any) -> dict[str, str]:
    if value in (None, ""):
        return {}
    if not isinstance(value, dict):
        raise invalid_param("metadata", "Invalid object")
    if len(value) > 50:
        raise invalid_param("metadata", "Metadata can have at most 50 keys.")
    return {str(k): str(v) for k, v in value.items() if v != ""}


def _truthy(value: Any) -> bool:
    return str(value).lower() in ("true", "1")


def _matches_created(created: int, condition: Any) -> bool:
    if condition in (None, ""):
        return True
    if not isinstance(condition, dict):
        return created == int(condition)
    checks = {
        "gt": lambda bound: created > bound,
        "gte": lambda bound: created >= bound,
        "lt": lambda bound: created < bound,
        "lte": lambda bound: created <= bound,
    }
    for op, bound in condition.items():
        if op not in checks:
            raise invalid_param(f"created[{op}]", f"Received unknown parameter: created[{op}]")
        if not checks[op](int(bound)):
            return False
    return True


def _type_matches(event_type: str, pattern: str) -> bool:
    if pattern.endswith(".*"):
        return event_type.startswith(pattern[:-1])
    return event_type == pattern
