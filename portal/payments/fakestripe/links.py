"""Account links: single-use, short-lived onboarding URLs served by the fake's own pages."""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass
from typing import Any

from portal.payments.fakestripe.common import StripeFault, invalid_param, missing_param

LINK_TTL_SECONDS = 300


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


class AccountLinksMixin:
    """``/v1/account_links`` and the hosted onboarding page's state."""

    lock: threading.RLock
    accounts: dict[str, dict[str, Any]]
    links: dict[str, AccountLink]

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
