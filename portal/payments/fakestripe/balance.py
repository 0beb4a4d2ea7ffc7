"""The platform balance: what transfers draw from."""

from __future__ import annotations

import threading
from typing import Any


class BalanceMixin:
    """``/v1/balance`` and the test control that sets it."""

    lock: threading.RLock
    balance: dict[str, int]

    def set_balance(self, amount: int, currency: str = "usd") -> None:
        """Set the platform's available balance in one currency."""
        with self.lock:
            self.balance[currency.lower()] = int(amount)

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
