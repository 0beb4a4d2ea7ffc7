"""The fake follows Stripe where the portal depends on it: idempotent errors, cross-border
accounts, the API version and ``previous_attributes``."""

import pytest
from werkzeug.test import Client

from portal.payments.fakestripe import FakeStripeApp
from portal.payments.stripe_gateway import API_VERSION

AUTH = {"Authorization": "Bearer sk_test_fake"}


@pytest.fixture
def fake_app():
    app = FakeStripeApp()
    yield app
    app.state.sender.close()


@pytest.fixture
def wire(fake_app):
    return Client(fake_app)


def post(wire, path, data, key=None, **headers):
    headers = {**AUTH, **headers}
    if key:
        headers["Idempotency-Key"] = key
    return wire.post(path, data=data, headers=headers)


def ready_account(wire, fake_app):
    body = post(
        wire, "/v1/accounts", {"country": "US", "capabilities[transfers][requested]": "true"}
    ).json
    fake_app.state.update_account_state(body["id"], "complete")
    fake_app.state.set_balance(10_000)
    return body["id"]


@pytest.mark.parametrize("mode, moved", [("500", 0), ("500_after", 1)])
def test_a_500_is_saved_under_its_key_and_replayed_for_24_hours(wire, fake_app, mode, moved):
    account = ready_account(wire, fake_app)
    params = {"amount": "500", "currency": "usd", "destination": account}
    fake_app.state.fail_next(1, mode, "/v1/transfers")
    first = post(wire, "/v1/transfers", params, key="k1")
    assert first.status_code == 500 and first.json["error"]["type"] == "api_error"
    assert first.headers["Stripe-Should-Retry"] == "false"  # a retry would only replay it
    assert len(fake_app.state.transfers) == moved

    replay = post(wire, "/v1/transfers", params, key="k1")
    assert replay.status_code == 500 and replay.headers["Idempotent-Replayed"] == "true"
    assert replay.json == first.json
    fake_app.state.advance_clock(24 * 3600 - 60)
    assert post(wire, "/v1/transfers", params, key="k1").status_code == 500
    assert len(fake_app.state.transfers) == moved

    fake_app.state.advance_clock(120)  # past 24 h the key is forgotten
    assert post(wire, "/v1/transfers", params, key="k1").status_code == 200
    assert len(fake_app.state.transfers) == moved + 1


def test_a_500_without_a_key_is_not_saved_and_may_be_retried(wire, fake_app):
    fake_app.state.fail_next(1, "500", "/v1/balance")
    failed = wire.get("/v1/balance", headers=AUTH)
    assert failed.status_code == 500 and failed.headers["Stripe-Should-Retry"] == "true"
    assert wire.get("/v1/balance", headers=AUTH).status_code == 200


def test_a_key_in_flight_gets_409_and_then_the_first_answer(wire, fake_app):
    import threading

    account = ready_account(wire, fake_app)
    params = {"amount": "700", "currency": "usd", "destination": account}
    fake_app.state.fail_next(1, "slow", "/v1/transfers", delay=1.0)
    answers = {}
    first = threading.Thread(
        target=lambda: answers.setdefault(
            "first", post(Client(fake_app), "/v1/transfers", params, "k")
        )
    )
    first.start()
    for _ in range(200):
        if fake_app.state.in_flight:
            break
        threading.Event().wait(0.01)
    conflict = post(wire, "/v1/transfers", params, key="k")
    first.join()
    assert conflict.status_code == 409
    assert conflict.json["error"]["code"] == "idempotency_key_in_use"
    assert conflict.headers["Stripe-Should-Retry"] == "true"
    assert answers["first"].status_code == 200
    again = post(wire, "/v1/transfers", params, key="k")
    assert again.json == answers["first"].json and again.headers["Idempotent-Replayed"] == "true"
    assert len(fake_app.state.transfers) == 1


def test_cross_border_accounts_need_the_recipient_agreement_and_transfers_only(wire, fake_app):
    base = {"type": "express", "country": "DE", "capabilities[transfers][requested]": "true"}
    full = post(wire, "/v1/accounts", base)
    assert full.status_code == 400
    assert full.json["error"]["param"] == "tos_acceptance[service_agreement]"
    assert "recipient" in full.json["error"]["message"]

    card = post(
        wire,
        "/v1/accounts",
        {
            **base,
            "capabilities[card_payments][requested]": "true",
            "tos_acceptance[service_agreement]": "recipient",
        },
    )
    assert card.status_code == 400 and card.json["error"]["param"] == "capabilities"

    ok = post(wire, "/v1/accounts", {**base, "tos_acceptance[service_agreement]": "recipient"})
    assert ok.status_code == 200, ok.json
    assert ok.json["tos_acceptance"]["service_agreement"] == "recipient"
    assert ok.json["capabilities"] == {"transfers": "inactive"}
    assert ok.json["default_currency"] == "eur"
    assert "individual.ssn_last_4" not in ok.json["requirements"]["currently_due"]
    assert len(fake_app.state.accounts) == 1


def test_countries_stripe_cannot_pay_are_refused(wire, fake_app):
    response = post(
        wire,
        "/v1/accounts",
        {
            "type": "express",
            "country": "RU",
            "capabilities[transfers][requested]": "true",
            "tos_acceptance[service_agreement]": "recipient",
        },
    )
    assert response.status_code == 400
    assert response.json["error"]["param"] == "country"
    assert "cannot be created by platforms in US" in response.json["error"]["message"]
    assert fake_app.state.accounts == {}


def test_the_fake_echoes_the_requested_api_version(wire):
    assert wire.get("/v1/balance", headers=AUTH).headers["Stripe-Version"] == API_VERSION
    other = wire.get("/v1/balance", headers={**AUTH, "Stripe-Version": "2025-01-27.acacia"})
    assert other.headers["Stripe-Version"] == "2025-01-27.acacia"


def test_previous_attributes_hold_only_the_changed_sub_fields(wire, fake_app):
    account = post(wire, "/v1/accounts", {"capabilities[transfers][requested]": "true"}).json
    fake_app.state.update_account_state(account["id"], currently_due=["external_account"])
    (event,) = fake_app.state.events
    assert event["data"]["previous_attributes"] == {
        "requirements": {
            "currently_due": account["requirements"]["currently_due"],
            "eventually_due": account["requirements"]["eventually_due"],
            "past_due": account["requirements"]["past_due"],
        }
    }
    assert event["api_version"] == API_VERSION
