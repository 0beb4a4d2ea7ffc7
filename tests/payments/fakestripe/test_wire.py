"""The fake Stripe speaks Stripe's wire format: form-encoded bodies, JSON errors, idempotency."""

import json

import pytest
import requests
from werkzeug.test import Client

from portal.payments.fakestripe import FakeStripeApp, FakeStripeServer, sign_payload
from portal.payments.fakestripe.encoding import decode_form

AUTH = {"Authorization": "Bearer sk_test_fake"}


# Not ``app``/``client``: pytest-flask and tests/conftest.py own those fixture names.
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
        wire,
        "/v1/accounts",
        {"type": "express", "country": "US", "capabilities[transfers][requested]": "true"},
    ).json
    fake_app.state.update_account_state(body["id"], "complete")
    return body["id"]


def test_decode_form_nests_brackets_and_lists():
    pairs = [
        ("capabilities[transfers][requested]", "true"),
        ("metadata[payout_id]", "42"),
        ("expand[0]", "destination"),
        ("expand[1]", "balance_transaction"),
        ("amount", "100"),
    ]
    assert decode_form(pairs) == {
        "capabilities": {"transfers": {"requested": "true"}},
        "metadata": {"payout_id": "42"},
        "expand": ["destination", "balance_transaction"],
        "amount": "100",
    }


def test_missing_api_key_is_401_with_stripe_error(wire):
    response = wire.get("/v1/balance")
    assert response.status_code == 401
    assert response.json["error"]["type"] == "invalid_request_error"
    assert "did not provide an API key" in response.json["error"]["message"]


def test_live_or_wrong_key_is_rejected(wire):
    response = wire.get("/v1/balance", headers={"Authorization": "Bearer sk_live_abcdefghijkl"})
    assert response.status_code == 401
    assert "sk_live_" in response.json["error"]["message"]
    assert "abcdefgh" not in response.json["error"]["message"][-8:]


def test_unknown_route_is_stripe_404(wire):
    response = wire.get("/v1/charges", headers=AUTH)
    assert response.status_code == 404
    assert response.json["error"]["message"].startswith("Unrecognized request URL")


def test_create_account_parses_nested_capabilities_and_metadata(wire):
    response = post(
        wire,
        "/v1/accounts",
        {
            "type": "express",
            "country": "gb",
            "email": "ada@example.com",
            "capabilities[transfers][requested]": "true",
            "metadata[user_id]": "7",
            "tos_acceptance[service_agreement]": "recipient",  # GB from a US platform
        },
    )
    body = response.json
    assert response.status_code == 200
    assert body["object"] == "account" and body["id"].startswith("acct_")
    assert body["country"] == "GB" and body["type"] == "express"
    assert body["tos_acceptance"]["service_agreement"] == "recipient"
    assert body["capabilities"] == {"transfers": "inactive"}
    assert body["metadata"] == {"user_id": "7"}
    assert body["details_submitted"] is False and body["payouts_enabled"] is False
    assert "external_account" in body["requirements"]["currently_due"]
    assert body["requirements"]["disabled_reason"] == "requirements.past_due"
    assert response.headers["Request-Id"].startswith("req_")


def test_idempotent_post_replays_and_conflicts(wire, fake_app):
    account = ready_account(wire, fake_app)
    fake_app.state.set_balance(10_000)
    params = {"amount": "500", "currency": "usd", "destination": account}
    first = post(wire, "/v1/transfers", params, key="payout-1")
    again = post(wire, "/v1/transfers", params, key="payout-1")
    assert first.status_code == again.status_code == 200
    assert again.json == first.json
    assert again.headers["Idempotent-Replayed"] == "true"
    assert len(fake_app.state.transfers) == 1
    assert fake_app.state.balance["usd"] == 9_500

    other = post(wire, "/v1/transfers", {**params, "amount": "600"}, key="payout-1")
    assert other.status_code == 400
    assert other.json["error"]["type"] == "idempotency_error"
    assert len(fake_app.state.transfers) == 1


def test_idempotency_keys_are_scoped_to_the_api_key(wire, fake_app):
    account = ready_account(wire, fake_app)
    fake_app.state.set_balance(10_000)
    params = {"amount": "500", "currency": "usd", "destination": account}
    post(wire, "/v1/transfers", params, key="k")
    post(wire, "/v1/transfers", params, key="k", Authorization="Bearer sk_test_other")
    assert len(fake_app.state.transfers) == 2


def test_validation_errors_are_not_saved_but_execution_errors_are(wire, fake_app):
    account = ready_account(wire, fake_app)
    missing = post(wire, "/v1/transfers", {"currency": "usd", "destination": account}, key="a")
    assert missing.status_code == 400
    assert missing.json["error"]["code"] == "parameter_missing"
    assert missing.json["error"]["param"] == "amount"
    ok = post(
        wire, "/v1/transfers", {"amount": "1", "currency": "usd", "destination": account}, "a"
    )
    assert ok.status_code == 400  # balance is zero: executed, so this error is saved
    assert ok.json["error"]["code"] == "balance_insufficient"
    fake_app.state.set_balance(100)
    replay = post(
        wire, "/v1/transfers", {"amount": "1", "currency": "usd", "destination": account}, "a"
    )
    assert replay.json["error"]["code"] == "balance_insufficient"
    assert replay.headers["Idempotent-Replayed"] == "true"


def test_transfer_to_account_without_transfers_capability(wire, fake_app):
    account = post(wire, "/v1/accounts", {"capabilities[transfers][requested]": "true"}).json
    fake_app.state.set_balance(1_000)
    response = post(
        wire, "/v1/transfers", {"amount": "100", "currency": "usd", "destination": account["id"]}
    )
    assert response.status_code == 400
    assert response.json["error"]["code"] == "insufficient_capabilities_for_transfer"
    assert response.json["error"]["param"] == "destination"
    assert fake_app.state.balance["usd"] == 1_000


def test_transfer_list_paginates_newest_first_and_filters(wire, fake_app):
    account = ready_account(wire, fake_app)
    fake_app.state.set_balance(10_000)
    ids = []
    for n in range(5):
        body = post(
            wire,
            "/v1/transfers",
            {
                "amount": str(100 + n),
                "currency": "usd",
                "destination": account,
                "transfer_group": "week-2024-W10" if n % 2 else "week-2024-W11",
                "metadata[payout_id]": str(n),
            },
        ).json
        ids.append(body["id"])
    page = wire.get("/v1/transfers?limit=2", headers=AUTH).json
    assert page["object"] == "list" and page["url"] == "/v1/transfers"
    assert [t["id"] for t in page["data"]] == [ids[4], ids[3]] and page["has_more"] is True
    page2 = wire.get(f"/v1/transfers?limit=2&starting_after={ids[3]}", headers=AUTH).json
    assert [t["id"] for t in page2["data"]] == [ids[2], ids[1]]
    grouped = wire.get("/v1/transfers?transfer_group=week-2024-W10", headers=AUTH).json
    assert [t["metadata"]["payout_id"] for t in grouped["data"]] == ["3", "1"]
    one = wire.get(f"/v1/transfers/{ids[0]}", headers=AUTH).json
    assert one["amount"] == 100 and one["object"] == "transfer"
    assert wire.get("/v1/transfers/tr_nope", headers=AUTH).status_code == 404


def test_account_link_onboarding_page_is_single_use(wire, fake_app):
    account = post(wire, "/v1/accounts", {"capabilities[transfers][requested]": "true"}).json
    link = post(
        wire,
        "/v1/account_links",
        {
            "account": account["id"],
            "type": "account_onboarding",
            "refresh_url": "http://portal.test/refresh",
            "return_url": "http://portal.test/return",
        },
    ).json
    assert link["object"] == "account_link"
    assert link["expires_at"] - link["created"] == 300
    path = link["url"].removeprefix("http://localhost")
    page = wire.get(path)
    assert page.status_code == 200 and b"Complete onboarding" in page.data
    done = wire.post(path, data={"action": "complete"})
    assert done.status_code == 303 and done.headers["Location"] == "http://portal.test/return"
    # Links are single-use: any later visit or submit is sent to refresh_url.
    assert wire.get(path).headers["Location"] == "http://portal.test/refresh"
    assert wire.post(path, data={"action": "complete"}).headers["Location"].endswith("refresh")
    body = wire.get(f"/v1/accounts/{account['id']}", headers=AUTH).json
    assert body["details_submitted"] and body["payouts_enabled"]
    assert body["capabilities"]["transfers"] == "active"
    assert body["requirements"]["currently_due"] == []


def test_account_link_expires(wire, fake_app):
    account = post(wire, "/v1/accounts", {}).json
    link = post(
        wire,
        "/v1/account_links",
        {
            "account": account["id"],
            "type": "account_onboarding",
            "refresh_url": "http://portal.test/refresh",
            "return_url": "http://portal.test/return",
        },
    ).json
    fake_app.state.advance_clock(301)
    response = wire.get(link["url"].removeprefix("http://localhost"))
    assert response.headers["Location"] == "http://portal.test/refresh"


def test_account_link_requires_urls(wire, fake_app):
    account = post(wire, "/v1/accounts", {}).json
    response = post(
        wire, "/v1/account_links", {"account": account["id"], "type": "account_onboarding"}
    )
    assert response.status_code == 400
    assert response.json["error"]["param"] == "refresh_url"


def test_control_endpoints(wire, fake_app):
    assert wire.post("/_fake/balance", json={"amount": 1234}).json["available"][0] == {
        "amount": 1234,
        "currency": "usd",
        "source_types": {"card": 1234},
    }
    account = post(wire, "/v1/accounts", {}).json["id"]
    restricted = wire.post(
        f"/_fake/accounts/{account}", json={"preset": "restricted", "disabled_reason": "listed"}
    ).json
    assert restricted["requirements"]["disabled_reason"] == "listed"
    wire.post("/_fake/fail", json={"count": 1, "mode": "500"})
    failed = wire.get("/v1/balance", headers=AUTH)
    assert failed.status_code == 500 and failed.json["error"]["type"] == "api_error"
    assert wire.get("/v1/balance", headers=AUTH).status_code == 200
    assert wire.post("/_fake/reset").json == {"ok": True}
    assert fake_app.state.accounts == {} and fake_app.state.balance == {}


def test_events_record_state_changes_and_connect_events_need_stripe_account(wire, fake_app):
    account = ready_account(wire, fake_app)
    fake_app.state.set_balance(1_000)
    post(wire, "/v1/transfers", {"amount": "10", "currency": "usd", "destination": account}, "k")
    platform = wire.get("/v1/events", headers=AUTH).json["data"]
    assert [e["type"] for e in platform] == ["transfer.created"]
    assert platform[0]["request"]["idempotency_key"] == "k"
    assert "account" not in platform[0]
    connected = wire.get(
        "/v1/events?type=account.updated", headers={**AUTH, "Stripe-Account": account}
    ).json["data"]
    assert len(connected) == 1
    event = connected[0]
    assert event["account"] == account
    assert event["data"]["object"]["payouts_enabled"] is True
    assert event["data"]["previous_attributes"]["payouts_enabled"] is False


def test_sign_payload_matches_stripes_scheme():
    import hashlib
    import hmac

    header = sign_payload(b'{"id": "evt_1"}', "whsec_x", timestamp=1700000000)
    expected = hmac.new(b"whsec_x", b'1700000000.{"id": "evt_1"}', hashlib.sha256).hexdigest()
    assert header == f"t=1700000000,v1={expected}"


def test_server_delivers_signed_webhooks_over_http_and_drops_connections():
    received = []

    def receiver(environ, start_response):
        length = int(environ.get("CONTENT_LENGTH") or 0)
        received.append((environ["wsgi.input"].read(length), environ["HTTP_STRIPE_SIGNATURE"]))
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"ok"]

    from werkzeug.serving import make_server

    sink = make_server("127.0.0.1", 0, receiver)
    import threading

    thread = threading.Thread(target=sink.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{sink.server_port}/hooks"
        with FakeStripeServer(connect_webhook_target=url, connect_webhook_secret="whsec_t") as fake:
            assert fake.url.startswith("http://127.0.0.1:")
            with requests.Session() as http:
                http.trust_env = False
                account = http.post(f"{fake.url}/v1/accounts", data={}, headers=AUTH).json()
                fake.complete_onboarding(account["id"])
                assert fake.flush_webhooks()
                fake.fail_next(1, "network")
                with pytest.raises(requests.ConnectionError):
                    http.get(f"{fake.url}/v1/balance", headers=AUTH)
                assert http.get(f"{fake.url}/v1/balance", headers=AUTH).status_code == 200
            assert fake.state.sender.deliveries[0].status == 200
    finally:
        sink.shutdown()
        sink.server_close()
        thread.join()
    ((payload, signature),) = received
    event = json.loads(payload)
    assert event["type"] == "account.updated" and event["account"] == account["id"]
    timestamp = int(signature.split(",")[0].removeprefix("t="))
    assert signature == sign_payload(payload, "whsec_t", timestamp)
