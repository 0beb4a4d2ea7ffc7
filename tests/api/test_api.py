"""The API over the services: scopes, pagination, idempotency, audited moves, problems."""

import json

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import ApiToken, Applicant, Attempt, AuditEvent, IdempotencyRecord
from portal.recruiters.candidate import load_candidate
from tests import factories
from tests.api.conftest import bearer


def test_out_of_scope_is_403_as_a_problem(client, make_token):
    new = make_token("candidates:read")
    response = client.get("/api/v1/payouts", headers=bearer(new.secret))
    assert response.status_code == 403
    assert response.content_type == "application/problem+json"
    body = response.get_json()
    assert body["status"] == 403 and "payouts:read" in body["detail"]
    applicant = factories.make_applicant(stage="profile_complete")
    db.session.commit()
    moved = client.post(
        f"/api/v1/candidates/{applicant.id}/moves",
        json={"to_stage": "rejected", "reason": "x"},
        headers=bearer(new.secret),
    )
    assert moved.status_code == 403
    assert db.session.get(Applicant, applicant.id).stage == "profile_complete"


def test_candidates_cursor_pagination_walks_every_match_once(client, make_token):
    new = make_token("candidates:read")
    ids = {factories.make_applicant(stage="assessed_passed").id for _ in range(5)}
    factories.make_applicant(stage="applied")
    db.session.commit()
    seen: list[int] = []
    url = "/api/v1/candidates?stage=assessed_passed&limit=2"
    pages = 0
    while url:
        body = client.get(url, headers=bearer(new.secret)).get_json()
        seen += [c["id"] for c in body["data"]]
        pages += 1
        cursor = body["next_cursor"]
        url = f"/api/v1/candidates?stage=assessed_passed&limit=2&cursor={cursor}" if cursor else ""
    assert pages == 3
    assert sorted(seen) == sorted(ids) and len(seen) == len(set(seen))


def test_a_cursor_only_fits_its_own_filters(client, make_token):
    new = make_token("candidates:read")
    for _ in range(3):
        factories.make_applicant(stage="assessed_passed")
    db.session.commit()
    first = client.get(
        "/api/v1/candidates?stage=assessed_passed&limit=1", headers=bearer(new.secret)
    ).get_json()
    cursor = first["next_cursor"]
    other = client.get(
        f"/api/v1/candidates?stage=applied&limit=1&cursor={cursor}", headers=bearer(new.secret)
    )
    assert other.status_code == 400
    assert other.content_type == "application/problem+json"
    garbage = client.get("/api/v1/candidates?cursor=bm9wZQ", headers=bearer(new.secret))
    assert garbage.status_code == 400


def test_recruiter_filter_errors_are_422_with_the_reasons(client, make_token):
    new = make_token("candidates:read")
    response = client.get(
        "/api/v1/candidates?score_min=90&score_max=10", headers=bearer(new.secret)
    )
    assert response.status_code == 422
    assert "above the maximum" in response.get_json()["detail"]


def test_keyset_pages_of_assignments(client, make_token):
    world = factories.make_api_world()
    db.session.commit()
    new = make_token("projects:read")
    first = client.get("/api/v1/assignments?limit=1", headers=bearer(new.secret)).get_json()
    assert [a["id"] for a in first["data"]] == [world.active.id]
    second = client.get(
        f"/api/v1/assignments?limit=1&cursor={first['next_cursor']}", headers=bearer(new.secret)
    ).get_json()
    assert [a["id"] for a in second["data"]] == [world.offered.id]
    assert second["next_cursor"] is None
    offers = client.get("/api/v1/offers", headers=bearer(new.secret)).get_json()
    assert [a["id"] for a in offers["data"]] == [world.offered.id]


def move(client, secret, applicant_id, body, key=None):
    headers = bearer(secret) | ({"Idempotency-Key": key} if key else {})
    return client.post(f"/api/v1/candidates/{applicant_id}/moves", json=body, headers=headers)


def test_stage_move_appears_in_the_candidates_audit_trail(client, make_token):
    new = make_token("pipeline:write", "candidates:read")
    applicant = factories.make_applicant(stage="profile_complete")
    db.session.commit()
    reject = {"to_stage": "rejected", "reason": "No fit"}
    refused = move(client, new.secret, applicant.id, reject)
    assert refused.status_code == 422  # a rejection needs a reason from the list
    assert "choose one from the list" in refused.get_json()["detail"]
    response = move(client, new.secret, applicant.id, reject | {"exit_reason": "experience"})
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["from_stage"] == "profile_complete" and body["to_stage"] == "rejected"
    view = load_candidate(applicant.id)
    event = next(e for e in view.history if e.action == "stage.moved")
    assert event.id == body["audit_event_id"]
    assert event.actor_id == new.token.user_id and event.reason == "No fit"
    assert event.details == {
        "from_stage": "profile_complete",
        "to_stage": "rejected",
        "exit_reason": "experience",
    }
    history = client.get(f"/api/v1/candidates/{applicant.id}/stages", headers=bearer(new.secret))
    assert history.get_json()["data"][-1]["reason"] == "No fit"


def test_a_move_the_pipeline_refuses_is_422_and_changes_nothing(client, make_token):
    new = make_token("pipeline:write")
    applicant = factories.make_applicant(stage="profile_complete")
    db.session.commit()
    no_reason = move(client, new.secret, applicant.id, {"to_stage": "rejected"})
    assert no_reason.status_code == 422
    assert "reason" in no_reason.get_json()["detail"]
    skip = move(client, new.secret, applicant.id, {"to_stage": "active"})
    assert skip.status_code == 422
    db.session.expire_all()
    assert db.session.get(Applicant, applicant.id).stage == "profile_complete"
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "stage.moved")) == 0  # fmt: skip


def test_idempotency_key_replays_the_first_response(client, make_token):
    new = make_token("pipeline:write")
    applicant = factories.make_applicant(stage="profile_complete")
    db.session.commit()
    body = {"to_stage": "assessed_passed"}
    first = move(client, new.secret, applicant.id, body, key="move-1")
    assert first.status_code == 201
    again = move(client, new.secret, applicant.id, {**body}, key="move-1")
    assert again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.get_json() == first.get_json()
    moves = db.session.scalar(
        select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "stage.moved")
    )
    assert moves == 1
    changed = move(client, new.secret, applicant.id, {"to_stage": "rejected", "reason": "x"},
                   key="move-1")  # fmt: skip
    assert changed.status_code == 422
    assert "different request" in changed.get_json()["detail"]
    # Another token's keys are its own.
    other = make_token("pipeline:write")
    fresh = move(client, other.secret, applicant.id, {"to_stage": "shortlisted"}, key="move-1")
    assert fresh.status_code == 201 and "Idempotent-Replayed" not in fresh.headers


def test_a_refusal_is_replayed_too_but_an_invalid_request_frees_the_key(client, make_token):
    new = make_token("pipeline:write")
    applicant = factories.make_applicant(stage="profile_complete")
    db.session.commit()
    refused = move(client, new.secret, applicant.id, {"to_stage": "active"}, key="k")
    assert refused.status_code == 422
    replay = move(client, new.secret, applicant.id, {"to_stage": "active"}, key="k")
    assert replay.status_code == 422 and replay.headers["Idempotent-Replayed"] == "true"
    invalid = move(client, new.secret, applicant.id, {"to_stage": "nowhere"}, key="k2")
    assert invalid.status_code == 422
    assert db.session.scalar(select(IdempotencyRecord).where(IdempotencyRecord.key == "k2")) is None


def test_a_key_still_running_answers_409(client, make_token):
    new = make_token("pipeline:write")
    applicant = factories.make_applicant(stage="profile_complete")
    db.session.commit()
    body = {"to_stage": "assessed_passed"}
    request_body = json.dumps(body)
    with client.application.test_request_context(
        f"/api/v1/candidates/{applicant.id}/moves",
        method="POST",
        data=request_body,
        content_type="application/json",
    ) as ctx:
        from portal.api import idempotency

        token = db.session.get(ApiToken, new.token.id)
        assert not isinstance(idempotency.begin(token, "busy", ctx.request), type(None))
    response = move(client, new.secret, applicant.id, body, key="busy")
    assert response.status_code == 409
    assert db.session.get(Applicant, applicant.id).stage == "profile_complete"


def test_make_and_withdraw_an_offer(client, make_token):
    world = factories.make_api_world()
    db.session.commit()
    new = make_token("projects:write", "projects:read")
    made = client.post(
        f"/api/v1/projects/{world.project.id}/offers",
        json={"applicant_id": world.shortlisted.id, "weekly_hours": 12},
        headers=bearer(new.secret) | {"Idempotency-Key": "offer-1"},
    )
    assert made.status_code == 201, made.get_json()
    offer = made.get_json()
    assert offer["status"] == "offered" and offer["weekly_hours"] == 12
    assert db.session.get(Applicant, world.shortlisted.id).stage == "offered"
    twice = client.post(
        f"/api/v1/projects/{world.project.id}/offers",
        json={"applicant_id": world.shortlisted.id, "weekly_hours": 12},
        headers=bearer(new.secret),
    )
    assert twice.status_code == 422 and "already has an offer" in twice.get_json()["detail"]
    gone = client.post(f"/api/v1/offers/{offer['id']}/withdraw", headers=bearer(new.secret))
    assert gone.status_code == 200 and gone.get_json()["status"] == "withdrawn"
    db.session.expire_all()
    assert db.session.get(Applicant, world.shortlisted.id).stage == "shortlisted"


def test_assessment_summary_never_shows_items_or_gold(client, make_token):
    world = factories.make_api_world()
    attempt = db.session.scalar(select(Attempt).where(Attempt.applicant_id == world.shortlisted.id))
    attempt.result = {
        "components": {"gold": 0.9, "attention": 1.0},
        "reasons": [],
        "items": [{"position": 0, "role": "gold", "credit": 1.0}],
    }
    db.session.commit()
    new = make_token("candidates:read")
    response = client.get(
        f"/api/v1/candidates/{world.shortlisted.id}/assessment", headers=bearer(new.secret)
    )
    assert response.status_code == 200
    body = response.get_json()
    summary = body["data"][0]
    assert summary["id"] == attempt.id and summary["score"] == 90
    assert summary["components"] == {"gold_agreement": 0.9, "attention": 1.0}
    text = json.dumps(body)
    assert '"gold"' not in text and '"items"' not in text and "credit" not in text


def test_unknown_paths_and_methods_are_problems(client, make_token):
    new = make_token("candidates:read")
    missing = client.get("/api/v1/nothing-here", headers=bearer(new.secret))
    assert missing.status_code == 404 and missing.content_type == "application/problem+json"
    wrong = client.delete("/api/v1/candidates", headers=bearer(new.secret))
    assert wrong.status_code == 405 and "GET" in wrong.headers["Allow"]
    assert wrong.content_type == "application/problem+json"
    nobody = client.get("/api/v1/candidates/999999", headers=bearer(new.secret))
    assert nobody.status_code == 404 and nobody.get_json()["detail"]


def test_docs_page_uses_vendored_assets_only(client):
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in html
    assert "/static/js/api-docs.js" in html
    assert "https://" not in html and "<script>" not in html  # no CDN, no inline script
    for asset in ("vendor/swagger-ui/swagger-ui-bundle.js", "vendor/swagger-ui/swagger-ui.css",
                  "js/api-docs.js"):  # fmt: skip
        static = client.get(f"/static/{asset}")
        assert static.status_code == 200
        static.close()
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"] == "3.1.0" and "/api/v1/candidates" in document["paths"]


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": True, "RATELIMIT_ENABLED": True, "API_RATE_LIMIT": "3 per minute"}


def test_no_csrf_no_cookies_and_a_rate_limit_per_token(client, make_token):
    first = make_token("pipeline:write", "candidates:read")
    second = make_token("candidates:read")
    applicant = factories.make_applicant(stage="profile_complete")
    db.session.commit()
    moved = move(client, first.secret, applicant.id, {"to_stage": "assessed_passed"})
    assert moved.status_code == 201  # CSRF is on for the site, not for the API
    assert "Set-Cookie" not in moved.headers
    assert "Access-Control-Allow-Origin" not in moved.headers
    for _ in range(2):
        assert client.get("/api/v1/token", headers=bearer(first.secret)).status_code == 200
    limited = client.get("/api/v1/token", headers=bearer(first.secret))
    assert limited.status_code == 429
    assert limited.content_type == "application/problem+json"
    assert client.get("/api/v1/token", headers=bearer(second.secret)).status_code == 200


def test_an_expiry_with_no_utc_equivalent_is_422(client, make_token):
    world = factories.make_api_world()
    db.session.commit()
    new = make_token("projects:write")
    response = client.post(
        f"/api/v1/projects/{world.project.id}/offers",
        json={"applicant_id": world.shortlisted.id, "expires_at": "9999-12-31T23:59:59-12:00"},
        headers=bearer(new.secret),
    )
    assert response.status_code == 422
    assert response.content_type == "application/problem+json"
