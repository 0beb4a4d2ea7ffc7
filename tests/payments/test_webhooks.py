"""The two webhook endpoints: signatures over the raw body, each event id processed once.

/stripe/webhook receives events on the platform's own account (STRIPE_WEBHOOK_SECRET),
/stripe/webhook/connect events on connected accounts (STRIPE_CONNECT_WEBHOOK_SECRET).
"""

import json
import time

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import StripeAccount, WebhookEvent
from portal.payments.fakestripe import sign_payload
from portal.payments.stripe_gateway import API_VERSION
from tests import factories
from tests.payments.conftest import CONNECT_WEBHOOK_SECRET, WEBHOOK_SECRET

CONNECT = "/stripe/webhook/connect"
PLATFORM = "/stripe/webhook"


def account_event(account_id: str, event_id: str = "evt_1", **obj_fields) -> bytes:
    obj = {
        "id": account_id,
        "object": "account",
        "details_submitted": True,
        "payouts_enabled": True,
        "capabilities": {"transfers": "active"},
        "requirements": {"currently_due": [], "disabled_reason": None},
        **obj_fields,
    }
    event = {
        "id": event_id,
        "object": "event",
        "type": "account.updated",
        "account": account_id,  # Connect events name the connected account at the top level
        "created": int(time.time()),
        "api_version": API_VERSION,
        "livemode": False,
        "data": {"object": obj},
    }
    return json.dumps(event).encode()


def post(
    client,
    payload: bytes,
    secret: str = CONNECT_WEBHOOK_SECRET,
    timestamp: int | None = None,
    path: str = CONNECT,
):
    return client.post(
        path,
        data=payload,
        headers={
            "Stripe-Signature": sign_payload(payload, secret, timestamp),
            "Content-Type": "application/json",
        },
    )


def connected(gateway, stripe_fake, stage="onboarding") -> StripeAccount:
    applicant = factories.make_applicant(stage=stage)
    account_id = gateway.create_express_account("w@example.org", "US")
    account = StripeAccount(
        applicant_id=applicant.id, stripe_account_id=account_id, status="incomplete"
    )
    db.session.add(account)
    db.session.commit()
    return account


def test_account_updated_refreshes_from_stripe_and_moves_the_contractor(
    app, client, gateway, stripe_fake
):
    account = connected(gateway, stripe_fake)
    stripe_fake.complete_onboarding(account.stripe_account_id)
    response = post(client, account_event(account.stripe_account_id))
    assert response.status_code == 200, response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(StripeAccount, account.id).status == "ready"
    assert account.applicant.stage == "active"
    row = db.session.scalar(select(WebhookEvent))
    assert row.stripe_event_id == "evt_1" and row.account == account.stripe_account_id
    assert row.processed_at is not None


def test_out_of_order_delivery_keeps_stripe_current_state(app, client, gateway, stripe_fake):
    account = connected(gateway, stripe_fake)
    stripe_fake.complete_onboarding(account.stripe_account_id)
    post(client, account_event(account.stripe_account_id, "evt_new"))
    # An older event (still incomplete) arrives late: Stripe is asked, not the payload.
    stale = account_event(
        account.stripe_account_id,
        "evt_old",
        details_submitted=False,
        payouts_enabled=False,
        capabilities={"transfers": "inactive"},
        requirements={"currently_due": ["external_account"], "disabled_reason": None},
    )
    assert post(client, stale).status_code == 200
    db.session.expire_all()
    assert db.session.get(StripeAccount, account.id).status == "ready"


def test_duplicate_event_ids_are_processed_once(app, client, gateway, stripe_fake):
    account = connected(gateway, stripe_fake)
    payload = account_event(account.stripe_account_id, "evt_dup")
    first = post(client, payload)
    second = post(client, payload)
    assert first.status_code == second.status_code == 200
    assert second.get_json()["status"] == "duplicate"
    assert db.session.scalar(select(func.count()).select_from(WebhookEvent)) == 1


def test_bad_signatures_are_refused_with_400(app, client, gateway, stripe_fake):
    account = connected(gateway, stripe_fake)
    payload = account_event(account.stripe_account_id, "evt_bad")
    assert post(client, payload, secret="whsec_wrong").status_code == 400
    altered = payload.replace(b'"payouts_enabled": true', b'"payouts_enabled": false')
    assert altered != payload
    response = client.post(
        "/stripe/webhook",
        data=altered,
        headers={"Stripe-Signature": sign_payload(payload, WEBHOOK_SECRET)},
    )
    assert response.status_code == 400
    stale = post(client, payload, timestamp=int(time.time()) - 301)  # default tolerance: 300 s
    assert stale.status_code == 400
    assert client.post("/stripe/webhook", data=payload).status_code == 400  # no header
    assert db.session.scalar(select(func.count()).select_from(WebhookEvent)) == 0


def test_webhook_needs_no_csrf_token_but_other_posts_do(app, client, gateway, stripe_fake):
    app.config["WTF_CSRF_ENABLED"] = True
    account = connected(gateway, stripe_fake)
    assert post(client, account_event(account.stripe_account_id, "evt_csrf")).status_code == 200
    assert client.post("/me/payments/onboard").status_code == 400  # CSRF still on elsewhere


def test_events_delivered_by_the_fake_are_verified_and_stored(
    app, gateway, stripe_fake, live_server_url
):
    account = connected(gateway, stripe_fake)
    stripe_fake.add_webhook_endpoint(live_server_url + PLATFORM, WEBHOOK_SECRET, connect=False)
    stripe_fake.add_webhook_endpoint(
        live_server_url + CONNECT, CONNECT_WEBHOOK_SECRET, connect=True
    )
    stripe_fake.complete_onboarding(account.stripe_account_id)
    assert stripe_fake.flush_webhooks()
    deliveries = stripe_fake.state.sender.deliveries
    assert [(d.target, d.status) for d in deliveries] == [(live_server_url + CONNECT, 200)]
    db.session.expire_all()
    assert db.session.get(StripeAccount, account.id).status == "ready"

    # The platform's own account changes: Stripe sends that to the platform endpoint only.
    stripe_fake.update_platform_account(business_profile={"name": "Talent Portal Inc."})
    assert stripe_fake.flush_webhooks()
    assert [(d.target, d.status) for d in deliveries[1:]] == [(live_server_url + PLATFORM, 200)]
    row = db.session.scalars(select(WebhookEvent).order_by(WebhookEvent.id.desc())).first()
    assert row.account is None and row.outcome == "ignored: the platform's own account"


def platform_account_event(event_id: str = "evt_platform") -> bytes:
    """``account.updated`` for the platform's own account: no top-level ``account``."""
    event = {
        "id": event_id,
        "object": "event",
        "type": "account.updated",
        "created": int(time.time()),
        "api_version": API_VERSION,
        "livemode": False,
        "pending_webhooks": 1,
        "request": {"id": None, "idempotency_key": None},
        "data": {
            "object": {"id": "acct_1PlatformOwn00000", "object": "account", "country": "US"},
            "previous_attributes": {"business_profile": {"name": "Old name"}},
        },
    }
    return json.dumps(event).encode()


def test_platform_account_updated_without_account_is_handled(app, client):
    response = post(client, platform_account_event(), WEBHOOK_SECRET, path=PLATFORM)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.json == {"status": "ignored: the platform's own account"}
    row = db.session.scalar(select(WebhookEvent))
    assert row.stripe_event_id == "evt_platform" and row.processed_at is not None


def test_each_endpoint_verifies_with_its_own_secret(app, client, gateway, stripe_fake):
    account = connected(gateway, stripe_fake)
    connect_event = account_event(account.stripe_account_id, "evt_connect")
    platform_event = platform_account_event("evt_platform_2")
    # Each is refused when signed with the other endpoint's secret ...
    assert post(client, connect_event, WEBHOOK_SECRET, path=CONNECT).status_code == 400
    assert post(client, platform_event, CONNECT_WEBHOOK_SECRET, path=PLATFORM).status_code == 400
    assert db.session.scalar(select(func.count(WebhookEvent.id))) == 0
    # ... and accepted with its own.
    assert post(client, connect_event, CONNECT_WEBHOOK_SECRET, path=CONNECT).status_code == 200
    assert post(client, platform_event, WEBHOOK_SECRET, path=PLATFORM).status_code == 200
    assert db.session.scalar(select(func.count(WebhookEvent.id))) == 2


def test_connect_endpoint_unconfigured_answers_503(app, client):
    app.config["STRIPE_CONNECT_WEBHOOK_SECRET"] = None
    response = post(client, account_event("acct_1x"), CONNECT_WEBHOOK_SECRET)
    assert response.status_code == 503


def test_unconfigured_webhook_answers_503(app, client):
    app.config["STRIPE_SECRET_KEY"] = None
    assert client.post("/stripe/webhook", data=b"{}").status_code == 503


def test_an_older_single_connect_endpoint_at_stripe_webhook_keeps_working(
    app, client, gateway, stripe_fake
):
    account = connected(gateway, stripe_fake)
    stripe_fake.complete_onboarding(account.stripe_account_id)
    payload = account_event(account.stripe_account_id, "evt_legacy")
    response = post(client, payload, WEBHOOK_SECRET, path=PLATFORM)
    assert response.status_code == 200 and response.json["status"].startswith("account ready")
