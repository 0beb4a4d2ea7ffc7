"""What every resource of the fake shares: Stripe's error shape, ids, metadata, list pages."""

from __future__ import annotations

import copy
import secrets
import string
from typing import Any


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


def metadata(value: Any) -> dict[str, str]:
    """Validate a ``metadata`` parameter as Stripe does (empty values delete keys)."""
    if value in (None, ""):
        return {}
    if not isinstance(value, dict):
        raise invalid_param("metadata", "Invalid object")
    if len(value) > 50:
        raise invalid_param("metadata", "Metadata can have at most 50 keys.")
    return {str(k): str(v) for k, v in value.items() if v != ""}


def truthy(value: Any) -> bool:
    """A form-encoded boolean."""
    return str(value).lower() in ("true", "1")


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


def matches_created(created: int, condition: Any) -> bool:
    """Whether ``created`` passes a filter: a timestamp or ``{gt, gte, lt, lte}``."""
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
