"""/stripe/webhook: signature over the raw body, each event id processed once."""

import json
import time

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import StripeAccount, WebhookEvent
from portal.payments.fakestripe import sign_payload
from tests import factories
from tests.payments.conftest import WEBHOOK_SECRET


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
        "api_version": "2024-06-20",
        "livemode": False,
        "data": {"object": obj},
    }
    return json.dumps(event).encode()


def post(client, payload: bytes, secret: str = WEBHOOK_SECRET, timestamp: int | None = None):
    return client.post(
        "/stripe/webhook",
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
    url = live_server_url + "/stripe/webhook"
    stripe_fake.add_webhook_endpoint(url, WEBHOOK_SECRET, connect=True)
    stripe_fake.complete_onboarding(account.stripe_account_id)
    assert stripe_fake.flush_webhooks()
    assert [d.status for d in stripe_fake.state.sender.deliveries] == [200]
    db.session.expire_all()
    assert db.session.get(StripeAccount, account.id).status == "ready"


def test_unconfigured_webhook_answers_503(app, client):
    app.config["STRIPE_SECRET_KEY"] = None
    assert client.post("/stripe/webhook", data=b"{}").status_code == 503
