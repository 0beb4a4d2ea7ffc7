"""Personal API tokens: made once, stored hashed, expiring, revocable, scoped by role."""

from datetime import timedelta
from unittest import mock

from sqlalchemy import select

from portal.api import tokens
from portal.extensions import db
from portal.models import ApiToken, AuditEvent, Role, User
from portal.models.base import utcnow
from tests import factories
from tests.api.conftest import bearer


def test_cli_prints_the_token_once_and_stores_only_its_hash(app, client):
    user = factories.make_user(Role.ADMIN, email="ops@example.org")
    db.session.commit()
    result = app.test_cli_runner().invoke(
        args=["create-token", "ops@example.org", "--scope", "candidates:read", "--scope",
              "payouts:read"]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    secret = result.stdout.strip()
    assert secret.startswith("tp_") and len(secret) > 40
    row = db.session.scalar(select(ApiToken).where(ApiToken.user_id == user.id))
    assert row.scopes == ["candidates:read", "payouts:read"]
    assert secret not in (row.token_hash, row.prefix) and secret.startswith(row.prefix)
    assert row.token_hash == tokens.hash_token(secret)
    assert "shown only now" in result.stderr
    response = client.get("/api/v1/token", headers=bearer(secret))
    assert response.status_code == 200
    assert response.get_json()["scopes"] == ["candidates:read", "payouts:read"]


def test_cli_refuses_unknown_scope_and_unknown_email(app):
    factories.make_user(Role.ADMIN, email="ops@example.org")
    db.session.commit()
    runner = app.test_cli_runner()
    bad = runner.invoke(args=["create-token", "ops@example.org", "--scope", "everything"])
    assert bad.exit_code != 0 and "Unknown scope" in bad.output
    nobody = runner.invoke(args=["create-token", "no@example.org", "--scope", "payouts:read"])
    assert nobody.exit_code != 0 and "No account" in nobody.output
    assert db.session.scalar(select(ApiToken)) is None


def test_last_used_is_recorded(client, make_token):
    new = make_token("candidates:read")
    assert new.token.last_used_at is None
    assert client.get("/api/v1/token", headers=bearer(new.secret)).status_code == 200
    db.session.expire_all()
    assert db.session.get(ApiToken, new.token.id).last_used_at is not None


def test_expired_token_is_refused(client, make_token):
    new = make_token("candidates:read", days=1)
    later = utcnow() + timedelta(days=1, seconds=1)
    with mock.patch("portal.clock.now", return_value=later):
        response = client.get("/api/v1/token", headers=bearer(new.secret))
    assert response.status_code == 401
    assert response.content_type == "application/problem+json"
    assert "expired" in response.get_json()["detail"]
    assert response.headers["WWW-Authenticate"] == "Bearer"


def test_revoked_token_stops_working_at_once(client, make_token):
    new = make_token("candidates:read")
    assert client.get("/api/v1/candidates", headers=bearer(new.secret)).status_code == 200
    tokens.revoke_token(new.token, actor=new.token.user)
    response = client.get("/api/v1/candidates", headers=bearer(new.secret))
    assert response.status_code == 401
    assert "revoked" in response.get_json()["detail"]


def test_missing_or_wrong_token_is_401(client, make_token):
    new = make_token("candidates:read")
    assert client.get("/api/v1/candidates").status_code == 401
    assert client.get("/api/v1/candidates", headers=bearer(new.secret + "x")).status_code == 401
    basic = {"Authorization": "Basic " + new.secret}
    assert client.get("/api/v1/candidates", headers=basic).status_code == 401


def test_a_session_cookie_is_no_credential(client, auth):
    auth.as_role("admin")
    response = client.get("/api/v1/candidates")
    assert response.status_code == 401
    assert "Set-Cookie" not in response.headers


def test_recruiter_cannot_hold_money_scopes(make_token):
    recruiter = factories.make_user(Role.RECRUITER)
    db.session.commit()
    try:
        tokens.create_token(recruiter, name="x", scopes=["payouts:read"])
    except tokens.TokenError as exc:
        assert "cannot hold" in str(exc)
    else:
        raise AssertionError("a recruiter got payouts:read")


def test_demoted_owner_loses_the_scope(client, make_token):
    new = make_token("payouts:read", role=Role.ADMIN)
    assert client.get("/api/v1/payouts", headers=bearer(new.secret)).status_code == 200
    db.session.get(User, new.token.user_id).role = Role.RECRUITER
    db.session.commit()
    assert client.get("/api/v1/payouts", headers=bearer(new.secret)).status_code == 403
    db.session.get(User, new.token.user_id).role = Role.APPLICANT
    db.session.commit()
    assert client.get("/api/v1/token", headers=bearer(new.secret)).status_code == 401


def test_account_page_creates_shows_once_and_revokes(client, auth):
    user = auth.as_role("recruiter")
    page = client.get("/account/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "candidates:read" in html and "payouts:read" not in html
    created = client.post(
        "/account/tokens",
        data={"token-name": "ATS sync", "token-scopes": ["candidates:read"], "token-days": "30"},
    )
    assert created.status_code == 201
    assert created.headers["Cache-Control"] == "no-store"
    row = db.session.scalar(select(ApiToken).where(ApiToken.user_id == user.id))
    body = created.get_data(as_text=True)
    secret = body.split("<pre><code>")[1].split("</code>")[0]
    assert tokens.hash_token(secret) == row.token_hash
    assert secret not in client.get("/account/").get_data(as_text=True)  # shown once
    assert client.get("/api/v1/candidates", headers=bearer(secret)).status_code == 200
    revoked = client.post(f"/account/tokens/{row.id}/revoke")
    assert revoked.status_code == 302
    assert client.get("/api/v1/candidates", headers=bearer(secret)).status_code == 401
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"api_token.created", "api_token.revoked"} <= actions


def test_account_page_refuses_a_scope_beyond_the_role(client, auth):
    auth.as_role("recruiter")
    response = client.post(
        "/account/tokens",
        data={"token-name": "x", "token-scopes": ["payouts:read"], "token-days": "30"},
    )
    assert response.status_code == 422
    assert db.session.scalar(select(ApiToken)) is None


def test_someone_elses_token_cannot_be_revoked(client, auth, make_token):
    other = make_token("candidates:read")
    auth.as_role("admin")
    assert client.post(f"/account/tokens/{other.token.id}/revoke").status_code == 404
    assert db.session.get(ApiToken, other.token.id).revoked_at is None


def test_applicants_have_no_account_page(client, auth):
    auth.as_role("applicant")
    assert client.get("/account/").status_code == 403


def test_a_name_with_control_characters_is_refused(client, auth):
    auth.as_role("admin")
    response = client.post(
        "/account/tokens",
        data={"token-name": "sync\x00", "token-scopes": ["payouts:read"], "token-days": "30"},
    )
    assert response.status_code == 422
    assert "printable" in response.get_data(as_text=True)
    assert db.session.scalar(select(ApiToken)) is None
