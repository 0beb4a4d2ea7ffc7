"""Connected accounts: Express accounts, their onboarding presets and ``account.updated``."""

from __future__ import annotations

import copy
import secrets
import string
import threading
from typing import Any

from portal.applicants.countries import COUNTRIES
from portal.payments.connect_countries import CROSS_BORDER, codes
from portal.payments.fakestripe.common import StripeFault, invalid_param
from portal.payments.fakestripe.common import metadata as _metadata
from portal.payments.fakestripe.common import truthy as _truthy

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

_US_ONLY = ("individual.ssn_last_4", "individual.address.state")

# The currency an account in each country is paid out in (the fake's small table).
CURRENCIES = {
    "US": "usd",
    "GB": "gbp",
    "CA": "cad",
    "AU": "aud",
    "NZ": "nzd",
    "CH": "chf",
    "JP": "jpy",
    "IN": "inr",
    "MX": "mxn",
    "BR": "brl",
    "SG": "sgd",
    "HK": "hkd",
    "SE": "sek",
    "NO": "nok",
    "DK": "dkk",
    "PL": "pln",
    "CZ": "czk",
    "HU": "huf",
    "RO": "ron",
    "BG": "bgn",
    "KE": "kes",
    "NG": "ngn",
    "PH": "php",
    "ZA": "zar",
    "IL": "ils",
    "TR": "try",
    "TH": "thb",
    "MY": "myr",
    **dict.fromkeys(codes("AT BE HR CY EE FI FR DE GR IE IT LV LT LU MT NL PT SK SI ES"), "eur"),
}

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


class AccountsMixin:
    """``/v1/accounts`` on :class:`~portal.payments.fakestripe.state.FakeStripeState`."""

    lock: threading.RLock
    accounts: dict[str, dict[str, Any]]
    platform_country: str

    def create_account(self, params: dict[str, Any], request: dict[str, Any]) -> dict[str, Any]:
        """POST /v1/accounts for an Express account, with Stripe's cross-border rules."""
        account_type = params.get("type", "express")
        if account_type not in ("express", "custom", "standard"):
            raise invalid_param("type", "Invalid type: must be one of express, custom or standard")
        country = str(params.get("country") or self.platform_country).upper()
        if country not in COUNTRIES:
            raise invalid_param("country", f"Country '{country}' is unknown.")
        email = params.get("email")
        if email is not None and "@" not in str(email):
            raise invalid_param("email", "Invalid email address: " + str(email))
        capabilities: dict[str, str] = {}
        for name, options in (params.get("capabilities") or {}).items():
            if isinstance(options, dict) and _truthy(options.get("requested")):
                capabilities[name] = "inactive"
        agreement = _service_agreement(params)
        self._check_cross_border(country, agreement, capabilities)
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
                "default_currency": CURRENCIES.get(country),
                "details_submitted": False,
                "email": email,
                "external_accounts": {
                    "object": "list",
                    "data": [],
                    "has_more": False,
                    "url": f"/v1/accounts/{account_id}/external_accounts",
                },
                "future_requirements": _requirements([], None),
                "metadata": metadata,
                "payouts_enabled": False,
                "requirements": _requirements(initial_due(country), "requirements.past_due"),
                "settings": {"payouts": {"schedule": {"interval": "daily", "delay_days": 2}}},
                "tos_acceptance": {"date": None, "service_agreement": agreement},
                "type": account_type,
            }
            self.accounts[account_id] = account
            return copy.deepcopy(account)

    def _check_cross_border(
        self, country: str, agreement: str, capabilities: dict[str, str]
    ) -> None:
        """Refuse what Stripe refuses: accounts abroad need ``recipient`` and ``transfers`` only."""
        platform = self.platform_country
        if country != platform and country not in CROSS_BORDER.get(platform, frozenset()):
            raise StripeFault(
                400,
                f"Connected accounts in {country} cannot be created by platforms in {platform}.",
                param="country",
                saved=False,
            )
        if country != platform and agreement != "recipient":
            raise StripeFault(
                400,
                f"Accounts in {country} can only be paid by platforms in {platform} through "
                "cross-border payouts, which require the `recipient` service agreement: pass "
                "`tos_acceptance[service_agreement]=recipient`.",
                param="tos_acceptance[service_agreement]",
                saved=False,
            )
        if agreement == "recipient" and set(capabilities) - {"transfers"}:
            extra = ", ".join(sorted(set(capabilities) - {"transfers"}))
            raise StripeFault(
                400,
                f"Accounts under the `recipient` service agreement can only request the "
                f"`transfers` capability, not: {extra}.",
                param="capabilities",
                saved=False,
            )

    def adopt_account(
        self, account_id: str, *, email: str | None = None, country: str = "US", preset: str | None
    ) -> dict[str, Any]:
        """Recreate a known Express account under its existing id (the demo restarts the fake)."""
        with self.lock:
            params: dict[str, Any] = {
                "type": "express",
                "country": country,
                "email": email,
                "capabilities": {"transfers": {"requested": True}},
            }
            if country.upper() != self.platform_country:
                params["tos_acceptance"] = {"service_agreement": "recipient"}
            created = self.create_account(params, {"id": None, "idempotency_key": None})
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
            previous = previous_attributes(before, account)
            if previous:
                self.record_event(
                    "account.updated", account, account=account_id, previous_attributes=previous
                )
            return copy.deepcopy(account)


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


def previous_attributes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """Stripe's ``previous_attributes``: the old values of what changed, and only that.

    Nested objects hold only their changed sub-fields (``{"requirements": {"currently_due":
    [...]}}``); lists and scalars are replaced whole; a new key's previous value is None.
    """
    changed: dict[str, Any] = {}
    for key, value in after.items():
        old = before.get(key)
        if old == value:
            continue
        if isinstance(old, dict) and isinstance(value, dict):
            changed[key] = previous_attributes(old, value)
        else:
            changed[key] = copy.deepcopy(old)
    return changed


def _service_agreement(params: dict[str, Any]) -> str:
    tos = params.get("tos_acceptance") or {}
    agreement = tos.get("service_agreement", "full") if isinstance(tos, dict) else "full"
    if agreement not in ("full", "recipient"):
        raise invalid_param(
            "tos_acceptance[service_agreement]",
            "Invalid tos_acceptance[service_agreement]: must be one of full or recipient",
        )
    return str(agreement)


def initial_due(country: str) -> list[str]:
    """What Stripe asks of a fresh Express individual before it can receive transfers."""
    if country == "US":
        return list(INITIAL_DUE)
    local = [item for item in INITIAL_DUE if item not in _US_ONLY]
    return sorted([*local, "individual.id_number"])
