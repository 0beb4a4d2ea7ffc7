"""Contract: every object the fake returns has Stripe's published shape.

The source of truth is the installed ``stripe`` SDK: its resource classes are generated from
Stripe's OpenAPI specification and declare every field Stripe sends (``stripe.Account``,
``stripe.Transfer`` … and their nested classes). The fake may send fewer fields than Stripe,
never one Stripe would not send, never a value of the wrong type or outside a closed enum; and
every field the portal reads must be there.
"""

import types
import typing
from typing import Any

import pytest
import stripe
from stripe._error_object import ErrorObject
from stripe._list_object import ListObject
from stripe._stripe_object import StripeObject, UntypedStripeObject
from werkzeug.test import Client

from portal.payments.fakestripe import FakeStripeApp

AUTH = {"Authorization": "Bearer sk_test_contract"}

RESOURCES: dict[str, type[StripeObject]] = {
    "account": stripe.Account,
    "account_link": stripe.AccountLink,
    "balance": stripe.Balance,
    "event": stripe.Event,
    "transfer": stripe.Transfer,
}

# What the portal reads (stripe_gateway.py, webhooks.py): dotted paths, ``*`` for list items.
PORTAL_READS: dict[str, list[str]] = {
    "account": [
        "id",
        "details_submitted",
        "payouts_enabled",
        "capabilities.transfers",
        "requirements.currently_due",
        "requirements.disabled_reason",
    ],
    "account_link": ["url"],
    "balance": ["available.*.amount", "available.*.currency"],
    "transfer": [
        "id",
        "amount",
        "currency",
        "destination",
        "transfer_group",
        "metadata",
        "created",
    ],
    "event": ["id", "type", "created", "data.object"],
    "list": ["data", "has_more"],
    "error": ["error.type", "error.message"],
}


def declared(cls: type) -> dict[str, Any]:
    """The fields a generated SDK class declares (its own and its bases'), without ClassVars."""
    fields: dict[str, Any] = {}
    for klass in reversed(cls.__mro__):
        for name, hint in getattr(klass, "__annotations__", {}).items():
            if typing.get_origin(hint) is not typing.ClassVar and hint is not typing.ClassVar:
                fields[name] = hint
    return fields


def _resolve(hint: Any) -> Any:
    if isinstance(hint, typing.ForwardRef):
        return getattr(stripe, hint.__forward_arg__, Any)
    return hint


def mismatches(value: Any, hint: Any, path: str) -> list[str]:
    """Where ``value`` is not something Stripe could send for a field declared as ``hint``."""
    hint = _resolve(hint)
    origin = typing.get_origin(hint)
    if hint is Any:
        return []
    if origin in (typing.Union, types.UnionType):
        options = [_resolve(h) for h in typing.get_args(hint)]
        if value is None:
            return [] if type(None) in options else [f"{path}: null is not allowed"]
        if str in options and isinstance(value, str):
            return []  # an open enum or an unexpanded id
        results = [
            mismatches(value, option, path) for option in options if option is not type(None)
        ]
        return [] if any(not r for r in results) else min(results, key=len)
    if origin is typing.Literal:
        allowed = typing.get_args(hint)
        return [] if value in allowed else [f"{path}: {value!r} not one of {allowed}"]
    if origin in (list, typing.List):  # noqa: UP006
        if not isinstance(value, list):
            return [f"{path}: expected a list, got {type(value).__name__}"]
        (item,) = typing.get_args(hint)
        return [p for i, v in enumerate(value) for p in mismatches(v, item, f"{path}[{i}]")]
    if origin is ListObject or hint is ListObject:
        if not isinstance(value, dict):
            return [f"{path}: expected a list object"]
        problems = object_mismatches({k: v for k, v in value.items() if k != "data"}, hint, path)
        if value.get("object") != "list":
            problems.append(f"{path}.object: must be 'list'")
        (item,) = typing.get_args(hint) or (Any,)
        data = value.get("data", [])
        return problems + [p for i, v in enumerate(data) for p in mismatches(v, item, path)]
    if origin is UntypedStripeObject or hint is UntypedStripeObject:
        return [] if isinstance(value, dict) else [f"{path}: expected an object"]
    if isinstance(hint, type) and issubclass(hint, StripeObject):
        if not isinstance(value, dict):
            return [f"{path}: expected an object, got {type(value).__name__}"]
        return object_mismatches(value, hint, path)
    if hint is bool:
        return [] if isinstance(value, bool) else [f"{path}: expected a boolean, got {value!r}"]
    if hint is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
        return [] if ok else [f"{path}: expected an integer, got {value!r}"]
    if hint is str:
        return [] if isinstance(value, str) else [f"{path}: expected a string, got {value!r}"]
    if hint is dict or origin is dict:
        return [] if isinstance(value, dict) else [f"{path}: expected an object"]
    return [f"{path}: the contract test does not know {hint!r}"]


def object_mismatches(value: dict[str, Any], cls: Any, path: str) -> list[str]:
    """Keys Stripe's class does not declare, then each declared key's value."""
    origin = typing.get_origin(cls) or cls
    fields = declared(origin)
    if origin is ListObject:
        fields["object"] = typing.Literal["list"]
    problems = []
    for key, item in value.items():
        if key not in fields:
            problems.append(f"{path}.{key}: Stripe never sends this key")
        else:
            problems.extend(mismatches(item, fields[key], f"{path}.{key}"))
    return problems


def check(body: dict[str, Any]) -> list[str]:
    """Compare a top-level response body with its Stripe class (events: their objects too)."""
    if "error" in body and len(body) == 1:
        return object_mismatches(body["error"], ErrorObject, "error")
    kind = body.get("object")
    if kind == "list":
        return mismatches(body, ListObject, "list") + [
            p for item in body["data"] for p in check(item)
        ]
    problems = object_mismatches(body, RESOURCES[kind], kind)
    if kind == "event":
        data = body["data"]
        inner = RESOURCES[data["object"]["object"]]
        problems += object_mismatches(data["object"], inner, "event.data.object")
        # previous_attributes: only fields of the object, partial sub-objects allowed.
        for key, old in (data.get("previous_attributes") or {}).items():
            fields = declared(inner)
            if key not in fields:
                problems.append(f"event.data.previous_attributes.{key}: not a field")
            elif isinstance(old, dict):
                sub = _resolve(
                    typing.get_args(fields[key])[0] if typing.get_args(fields[key]) else fields[key]
                )
                if isinstance(sub, type) and issubclass(sub, StripeObject):
                    problems += object_mismatches(old, sub, f"event.data.previous_attributes.{key}")
    return problems


def missing(body: dict[str, Any], kind: str) -> list[str]:
    """The fields the portal reads that ``body`` lacks."""
    gaps = []
    for dotted in PORTAL_READS[kind]:
        nodes = [body]
        for part in dotted.split("."):
            if part == "*":
                nodes = [item for node in nodes for item in node]
                continue
            if any(not isinstance(n, dict) or part not in n for n in nodes):
                gaps.append(f"{kind}.{dotted}")
                break
            nodes = [n[part] for n in nodes]
    return gaps


@pytest.fixture
def responses() -> list[dict[str, Any]]:
    """One of every object and error the fake returns, through its wire format."""
    app = FakeStripeApp()
    wire = Client(app)
    state = app.state

    def post(path: str, data: dict[str, str], key: str | None = None) -> dict[str, Any]:
        headers = {**AUTH, **({"Idempotency-Key": key} if key else {})}
        return wire.post(path, data=data, headers=headers).json

    def get(path: str, **headers: str) -> dict[str, Any]:
        return wire.get(path, headers={**AUTH, **headers}).json

    bodies = []
    home = post(
        "/v1/accounts",
        {
            "type": "express",
            "country": "US",
            "email": "a@example.com",
            "capabilities[transfers][requested]": "true",
            "metadata[applicant_id]": "7",
        },
    )
    abroad = post(
        "/v1/accounts",
        {
            "type": "express",
            "country": "DE",
            "capabilities[transfers][requested]": "true",
            "tos_acceptance[service_agreement]": "recipient",
        },
    )
    bodies += [home, abroad]
    bodies.append(
        post(
            "/v1/account_links",
            {
                "account": home["id"],
                "type": "account_onboarding",
                "refresh_url": "http://x/r",
                "return_url": "http://x/b",
            },
        )
    )
    state.update_account_state(home["id"], "incomplete")
    state.update_account_state(home["id"], "complete")
    state.update_account_state(abroad["id"], "restricted", disabled_reason="rejected.fraud")
    state.update_platform_account(email="finance@talent-portal.example")
    bodies.append(get(f"/v1/accounts/{home['id']}"))
    state.set_balance(50_000)
    bodies.append(get("/v1/balance"))
    transfer = post(
        "/v1/transfers",
        {
            "amount": "1234",
            "currency": "usd",
            "destination": home["id"],
            "transfer_group": "g-1",
            "metadata[payout_id]": "9",
        },
        key="k-1",
    )
    bodies += [
        transfer,
        get(f"/v1/transfers/{transfer['id']}"),
        get("/v1/transfers?transfer_group=g-1"),
    ]
    bodies += [get("/v1/events"), get("/v1/events", **{"Stripe-Account": home["id"]})]
    bodies.append(get(f"/v1/events/{state.events[0]['id']}", **{"Stripe-Account": home["id"]}))
    # Errors: validation, missing, capability, balance, idempotency, 404, 401, 500, 409.
    bodies.append(post("/v1/transfers", {"currency": "usd", "destination": home["id"]}))
    bodies.append(
        post("/v1/transfers", {"amount": "1", "currency": "usd", "destination": abroad["id"]})
    )
    bodies.append(
        post("/v1/transfers", {"amount": "999999", "currency": "usd", "destination": home["id"]})
    )
    bodies.append(
        post(
            "/v1/transfers",
            {"amount": "5", "currency": "usd", "destination": home["id"]},
            key="k-1",
        )
    )
    bodies.append(get("/v1/transfers/tr_missing"))
    bodies.append(wire.get("/v1/balance").json)
    state.fail_next(1, "500")
    bodies.append(get("/v1/balance"))
    bodies.append(
        post("/v1/accounts", {"country": "RU", "tos_acceptance[service_agreement]": "recipient"})
    )
    state.in_flight.add(("sk_test_contract", None, "busy"))
    bodies.append(
        post(
            "/v1/transfers",
            {"amount": "5", "currency": "usd", "destination": home["id"]},
            key="busy",
        )
    )
    app.state.sender.close()
    return bodies


def test_every_object_the_fake_returns_has_stripes_shape(responses):
    kinds = {body.get("object") or "error" for body in responses}
    assert kinds == {"account", "account_link", "balance", "transfer", "event", "list", "error"}
    events = [e for body in responses if body.get("object") == "list" for e in body["data"]]
    assert {e["type"] for e in events if e["object"] == "event"} == {
        "account.updated",
        "transfer.created",
    }
    assert any("account" not in e for e in events if e.get("type") == "account.updated")
    problems = [p for body in responses for p in check(body)]
    assert problems == []


def test_every_field_the_portal_reads_is_present(responses):
    gaps = []
    for body in responses:
        kind = "error" if "error" in body else body["object"]
        gaps += missing(body, kind)
        if kind == "list":
            for item in body["data"]:
                gaps += missing(item, item["object"])
    assert gaps == []


@pytest.mark.parametrize(
    "body, problem",
    [
        (
            {"object": "account", "id": "acct_1", "livemode": False},
            "account.livemode: Stripe never",
        ),
        (
            {
                "object": "transfer",
                "id": "tr_1",
                "amount": 1,
                "reversals": {
                    "object": "list",
                    "data": [],
                    "has_more": False,
                    "url": "/x",
                    "total_count": 0,
                },
            },
            "transfer.reversals.total_count: Stripe never",
        ),
        (
            {"object": "account", "id": "acct_1", "capabilities": {"transfers": 1}},
            "capabilities.transfers",
        ),
        (
            {"object": "balance", "available": [{"amount": None, "currency": "usd"}]},
            "amount: expected an integer",
        ),
        (
            {"object": "account", "id": "acct_1", "requirements": {"disabled_reason": "nope"}},
            "not one of",
        ),
    ],
)
def test_the_contract_catches_what_stripe_would_not_send(body, problem):
    assert any(problem in p for p in check(body)), check(body)
