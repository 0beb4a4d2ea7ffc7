"""StripeGateway with the real SDK against the local fake Stripe on 127.0.0.1."""

import json
import time
from datetime import UTC, datetime, timedelta

import pytest
import requests

from portal.payments.fakestripe import FakeStripeServer, sign_payload
from portal.payments.stripe_gateway import (
    API_VERSION,
    AccountNotReady,
    AccountSnapshot,
    GatewayError,
    GatewayUnavailable,
    IdempotencyConflict,
    InsufficientFunds,
    StripeGateway,
    WebhookInvalid,
    onboarding_status,
)

SECRET = "whsec_test_portal"


@pytest.fixture(scope="module")
def fake_server():
    with FakeStripeServer(balance=1_000_000) as server:
        yield server


@pytest.fixture
def fake(fake_server):
    fake_server.reset()
    yield fake_server
    fake_server.flush_webhooks()


@pytest.fixture
def gateway(fake):
    with StripeGateway("sk_test_portal", api_base=fake.url) as gw:
        yield gw


@pytest.fixture
def ready_account(fake, gateway):
    account_id = gateway.create_express_account("ada@example.com", "US")
    fake.complete_onboarding(account_id)
    return account_id


def test_onboarding_through_the_hosted_page(fake, gateway):
    account_id = gateway.create_express_account("ada@example.com", "us")
    snapshot = gateway.retrieve_account(account_id)
    assert snapshot.id == account_id
    assert not snapshot.details_submitted and not snapshot.transfers_active
    assert "external_account" in snapshot.currently_due
    assert onboarding_status(snapshot)[0] == "incomplete"

    url = gateway.create_onboarding_link(
        account_id, "http://portal.test/payments/refresh", "http://portal.test/payments/return"
    )
    assert url.startswith(fake.url + "/onboard/")
    with requests.Session() as browser:
        browser.trust_env = False
        page = browser.get(url)
        assert page.status_code == 200 and "Complete onboarding" in page.text
        submitted = browser.post(url, data={"action": "complete"}, allow_redirects=False)
        assert submitted.headers["Location"] == "http://portal.test/payments/return"
        again = browser.get(url, allow_redirects=False)
        assert again.headers["Location"] == "http://portal.test/payments/refresh"

    snapshot = gateway.retrieve_account(account_id)
    assert snapshot == AccountSnapshot(account_id, True, True, True, [], None)
    assert onboarding_status(snapshot)[0] == "ready"


@pytest.mark.parametrize(
    ("preset", "expected", "in_message"),
    [
        ("not_started", "incomplete", "tos acceptance › date"),
        ("incomplete", "incomplete", "external account"),
        ("pending_verification", "pending_verification", "verifying"),
        ("restricted", "restricted", "rejected › other"),
        ("complete", "ready", "ready"),
    ],
)
def test_status_of_each_account_state(fake, gateway, preset, expected, in_message):
    account_id = gateway.create_express_account("ada@example.com", "US")
    fake.set_account(account_id, preset)
    status, message = onboarding_status(gateway.retrieve_account(account_id))
    assert status == expected
    assert in_message in message


@pytest.mark.parametrize(
    ("snapshot", "expected"),
    [
        (None, "not_started"),
        (AccountSnapshot("acct_1", False, False, False, [], None), "incomplete"),
        (AccountSnapshot("acct_1", True, True, False, [], None), "pending_verification"),
        (
            AccountSnapshot("acct_1", True, False, True, [], "requirements.past_due"),
            "pending_verification",
        ),
        (AccountSnapshot("acct_1", True, True, True, ["x"], "listed"), "restricted"),
        (
            AccountSnapshot("acct_1", True, False, False, ["individual.id_number"], None),
            "incomplete",
        ),
        (AccountSnapshot("acct_1", True, True, True, [], None), "ready"),
    ],
)
def test_onboarding_status_is_pure(snapshot, expected):
    assert onboarding_status(snapshot)[0] == expected


def test_same_key_same_params_pays_once(fake, gateway, ready_account):
    args = dict(
        amount_cents=12_345,
        currency="usd",
        destination=ready_account,
        idempotency_key="payout-41-attempt-1",
        metadata={"payout_id": "41", "week": "2024-W10"},
        transfer_group="week-2024-W10",
    )
    first = gateway.create_transfer(**args)
    second = gateway.create_transfer(**args)
    assert first == second
    assert first.amount == 12_345 and first.destination == ready_account
    assert first.metadata == {"payout_id": "41", "week": "2024-W10"}
    assert len(fake.state.transfers) == 1
    assert gateway.balance_available("usd") == 1_000_000 - 12_345

    with pytest.raises(IdempotencyConflict) as raised:
        gateway.create_transfer(**{**args, "amount_cents": 12_346})
    assert "same parameters" in raised.value.message
    assert len(fake.state.transfers) == 1


def test_insufficient_balance(fake, gateway, ready_account):
    fake.set_balance(99)
    with pytest.raises(InsufficientFunds) as raised:
        gateway.create_transfer(100, "usd", ready_account, "payout-1")
    assert raised.value.code == "balance_insufficient"
    assert fake.state.transfers == []
    assert gateway.balance_available() == 99


def test_account_not_ready_or_unknown(fake, gateway):
    account_id = gateway.create_express_account("ada@example.com", "US")
    with pytest.raises(AccountNotReady) as raised:
        gateway.create_transfer(100, "usd", account_id, "payout-1")
    assert "capabilities" in raised.value.message
    with pytest.raises(AccountNotReady):
        gateway.create_transfer(100, "usd", "acct_1doesnotexist000", "payout-2")
    assert fake.state.transfers == []


def test_a_500_is_saved_under_its_key_and_replayed_like_stripe(fake, gateway, ready_account):
    fake.fail_next(1, "500", path_prefix="/v1/transfers")
    with pytest.raises(GatewayUnavailable) as raised:
        gateway.create_transfer(500, "usd", ready_account, "payout-7")
    assert raised.value.key_spent
    # Stripe-Should-Retry: false, so the SDK did not retry; a later retry gets the saved 500.
    with pytest.raises(GatewayUnavailable) as replayed:
        gateway.create_transfer(500, "usd", ready_account, "payout-7")
    assert replayed.value.key_spent
    assert [s for m, p, s in fake.state.request_log if p == "/v1/transfers"] == [500, 500]
    assert fake.state.transfers == []
    # Only a new key can succeed.
    result = gateway.create_transfer(500, "usd", ready_account, "payout-7-attempt-2")
    assert [t["id"] for t in fake.state.transfers] == [result.id]


def test_lost_response_then_retry_with_same_key_pays_once(fake, gateway, ready_account):
    # Stripe executes the transfer but every response is lost: the outcome is unknown.
    fake.fail_next(3, "network_after", path_prefix="/v1/transfers")
    with pytest.raises(GatewayUnavailable):
        gateway.create_transfer(700, "usd", ready_account, "payout-8")
    assert len(fake.state.transfers) == 1
    # Retrying later with the same key replays the original transfer instead of paying twice.
    result = gateway.create_transfer(700, "usd", ready_account, "payout-8")
    assert [t["id"] for t in fake.state.transfers] == [result.id]
    assert gateway.balance_available() == 1_000_000 - 700


def test_bad_api_key_is_a_gateway_error(fake):
    with (
        StripeGateway("sk_live_nottestmode", api_base=fake.url) as gw,
        pytest.raises(GatewayError) as raised,
    ):
        gw.balance_available()
    assert raised.value.http_status == 401
    assert not isinstance(raised.value, GatewayUnavailable)


def test_find_transfers_for_reconciliation(fake, gateway, ready_account):
    start = datetime.now(UTC) - timedelta(seconds=1)
    for n in range(103):
        week = "2024-W10" if n < 101 else "2024-W11"
        gateway.create_transfer(
            100 + n,
            "usd",
            ready_account,
            f"payout-{n}",
            metadata={"payout_id": str(n)},
            transfer_group=f"week-{week}",
        )
    week10 = gateway.find_transfers(transfer_group="week-2024-W10")
    assert len(week10) == 101  # more than one page of 100
    assert week10[0].metadata["payout_id"] == "100"  # newest first
    (match,) = gateway.find_transfers(metadata={"payout_id": "42"})
    assert match.amount == 142 and match.transfer_group == "week-2024-W10"
    assert len(gateway.find_transfers(created_gte=start, destination=ready_account)) == 103
    assert gateway.find_transfers(created_lte=start - timedelta(days=1)) == []
    assert gateway.retrieve_transfer(match.id) == match


def test_create_transfer_rejects_bad_arguments_locally(gateway):
    with pytest.raises(ValueError):
        gateway.create_transfer(100, "usd", "acct_1", "")
    with pytest.raises(ValueError):
        gateway.create_transfer(0, "usd", "acct_1", "k")
    with pytest.raises(TypeError):
        gateway.create_transfer(1.5, "usd", "acct_1", "k")


def _endpoint(fake, connect: bool) -> list:
    received = []

    def endpoint(payload, headers):
        received.append((payload, headers))
        return 200

    fake.add_webhook_endpoint(endpoint, SECRET, connect=connect)
    return received


@pytest.fixture
def delivered(fake):
    """Events on connected accounts, delivered to a Connect endpoint as (payload, headers)."""
    return _endpoint(fake, connect=True)


@pytest.fixture
def delivered_platform(fake):
    """Events on the platform's own account, delivered to a "Your account" endpoint."""
    return _endpoint(fake, connect=False)


def test_account_updated_webhook_verifies_and_names_the_account(fake, gateway, delivered):
    account_id = gateway.create_express_account("ada@example.com", "US")
    fake.complete_onboarding(account_id)
    assert fake.flush_webhooks()
    ((payload, headers),) = delivered
    event = gateway.parse_webhook(payload, headers["Stripe-Signature"], SECRET)
    assert event.type == "account.updated"
    assert event.account == account_id
    snapshot = AccountSnapshot.from_account(event.data.object)
    assert onboarding_status(snapshot)[0] == "ready"
    assert event.data.previous_attributes.payouts_enabled is False


def test_transfer_created_webhook(fake, gateway, ready_account, delivered, delivered_platform):
    gateway.create_transfer(250, "usd", ready_account, "payout-3", metadata={"payout_id": "3"})
    assert fake.flush_webhooks()
    types = [json.loads(p)["type"] for p, _ in delivered_platform]
    assert types == ["transfer.created"]
    assert [json.loads(p)["type"] for p, _ in delivered] == []  # a platform event only
    payload, headers = delivered_platform[0]
    event = gateway.parse_webhook(payload, headers["Stripe-Signature"], SECRET)
    assert event.data.object.metadata.payout_id == "3"
    assert "account" not in event


def test_webhook_signature_failures(gateway):
    payload = json.dumps(
        {
            "id": "evt_1",
            "object": "event",
            "type": "account.updated",
            "account": "acct_1",
            "data": {"object": {"id": "acct_1", "object": "account"}},
        }
    ).encode()
    assert gateway.parse_webhook(payload, sign_payload(payload, SECRET), SECRET).id == "evt_1"
    with pytest.raises(WebhookInvalid):
        gateway.parse_webhook(payload, sign_payload(payload, "whsec_other"), SECRET)
    with pytest.raises(WebhookInvalid):
        altered = payload.replace(b"acct_1", b"acct_2")
        gateway.parse_webhook(altered, sign_payload(payload, SECRET), SECRET)
    stale = sign_payload(payload, SECRET, timestamp=int(time.time()) - 301)
    with pytest.raises(WebhookInvalid) as raised:
        gateway.parse_webhook(payload, stale, SECRET)
    assert "tolerance" in raised.value.message
    fresh_enough = sign_payload(payload, SECRET, timestamp=int(time.time()) - 200)
    assert gateway.parse_webhook(payload, fresh_enough, SECRET).id == "evt_1"
    with pytest.raises(WebhookInvalid):
        gateway.parse_webhook(payload, None, SECRET)
    with pytest.raises(WebhookInvalid):
        gateway.parse_webhook(b"not json", sign_payload(b"not json", SECRET), SECRET)


def test_the_gateway_pins_one_api_version_and_the_fake_echoes_it(gateway):
    from stripe._api_version import _ApiVersion

    # Pinned to the installed SDK's own version, whose types the portal relies on: upgrading the
    # SDK means reviewing the changelog and moving API_VERSION (and the webhook endpoints) too.
    assert API_VERSION == _ApiVersion.CURRENT
    balance = gateway._client.v1.balance.retrieve()
    assert balance.last_response.headers["Stripe-Version"] == API_VERSION


def test_a_key_still_in_flight_is_unknown_and_the_same_key_then_pays_once(fake, ready_account):
    import threading

    fake.fail_next(1, "slow", "/v1/transfers", delay=2.0, method="POST")
    args = (900, "usd", ready_account, "payout-inflight")
    results = {}

    def first_request() -> None:
        with StripeGateway("sk_test_portal", api_base=fake.url) as gw:
            results["first"] = gw.create_transfer(*args)

    thread = threading.Thread(target=first_request)
    thread.start()
    for _ in range(300):
        if fake.state.in_flight:
            break
        time.sleep(0.01)
    with StripeGateway("sk_test_portal", api_base=fake.url, max_network_retries=0) as gw:
        with pytest.raises(GatewayUnavailable) as raised:
            gw.create_transfer(*args)
        assert raised.value.http_status == 409 and not raised.value.key_spent
        assert raised.value.__cause__.headers["Stripe-Should-Retry"] == "true"
        thread.join()
        assert gw.create_transfer(*args) == results["first"]  # the same key replays it
    assert [t["id"] for t in fake.state.transfers] == [results["first"].id]
