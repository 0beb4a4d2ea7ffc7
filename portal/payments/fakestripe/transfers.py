"""Transfers: balance moved to a connected account, listed by group, destination and date."""

from __future__ import annotations

import copy
import threading
from typing import Any

from portal.payments.fakestripe.common import (
    StripeFault,
    invalid_param,
    missing_param,
    new_id,
    paginate,
)
from portal.payments.fakestripe.common import (
    matches_created as _matches_created,
)
from portal.payments.fakestripe.common import (
    metadata as _metadata,
)


class TransfersMixin:
    """``/v1/transfers``."""

    lock: threading.RLock
    accounts: dict[str, dict[str, Any]]
    balance: dict[str, int]
    transfers: list[dict[str, Any]]  # oldest first

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
            transfer = transfer_object(
                new_id("tr"),
                amount=amount,
                currency=currency,
                destination=destination,
                created=self.now(),
                metadata=metadata,
                transfer_group=params.get("transfer_group"),
                description=params.get("description"),
            )
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
                transfer_object(
                    transfer_id,
                    amount=int(amount),
                    currency=currency.lower(),
                    destination=destination,
                    created=created or self.now(),
                    metadata=dict(metadata or {}),
                    transfer_group=transfer_group,
                )
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


def transfer_object(
    transfer_id: str,
    *,
    amount: int,
    currency: str,
    destination: str,
    created: int,
    metadata: dict[str, str],
    transfer_group: str | None,
    description: str | None = None,
) -> dict[str, Any]:
    """A transfer as Stripe returns it (and only the keys Stripe returns)."""
    return {
        "id": transfer_id,
        "object": "transfer",
        "amount": amount,
        "amount_reversed": 0,
        "balance_transaction": new_id("txn"),
        "created": created,
        "currency": currency,
        "description": description,
        "destination": destination,
        "destination_payment": new_id("py"),
        "livemode": False,
        "metadata": metadata,
        "reversals": {
            "object": "list",
            "data": [],
            "has_more": False,
            "url": f"/v1/transfers/{transfer_id}/reversals",
        },
        "reversed": False,
        "source_transaction": None,
        "source_type": "card",
        "transfer_group": transfer_group,
    }
