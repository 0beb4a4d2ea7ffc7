"""Findings 6, 7, 9 and 12: sign-up limits, the limiter behind proxies and gunicorn,
no-store on personal pages, and a CSP that admits the local fake Stripe only in the demo."""

import logging
import sys

import pytest

from portal.extensions import db
from tests import factories
from tests.conftest import make_app
from tests.security.conftest import fresh, sign_in


def signup(client, email, **headers):
    data = {
        "name": "Sam Doe",
        "email": email,
        "password": "long-enough-pw",
        "confirm": "long-enough-pw",
    }
    return client.post("/auth/signup", data=data, headers=headers)


class TestLimits:
    @pytest.fixture
    def app_config(self):
        return {"RATELIMIT_ENABLED": True, "SIGNIN_RATE_LIMIT": "2 per minute"}

    def test_sign_up_is_limited_per_address(self, client):
        statuses = [signup(client, "Target@example.org").status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        assert signup(client, "someone-else@example.org").status_code == 200

    def test_without_proxy_fix_forwarded_headers_are_not_trusted(self, client):
        for _ in range(2):
            client.post("/auth/signin", data={"email": "a@example.org", "password": "x"})
        spoofed = {"X-Forwarded-For": "203.0.113.9"}
        response = client.post(
            "/auth/signin", data={"email": "a@example.org", "password": "x"}, headers=spoofed
        )
        assert response.status_code == 429


class TestBehindOneProxy:
    @pytest.fixture
    def app_config(self):
        return {"RATELIMIT_ENABLED": True, "SIGNIN_RATE_LIMIT": "2 per minute", "PROXY_FIX": 1}

    def test_the_sign_in_limit_keys_on_the_client_not_the_proxy(self, client):
        def attempt(client_ip):
            return client.post(
                "/auth/signin",
                data={"email": "a@example.org", "password": "wrong-password"},
                headers={"X-Forwarded-For": client_ip},
            ).status_code

        assert [attempt("198.51.100.7") for _ in range(3)] == [422, 422, 429]
        assert attempt("198.51.100.8") == 422  # another client behind the same proxy


def test_several_gunicorn_workers_on_memory_storage_warn_loudly(
    database_url, tmp_path, monkeypatch, caplog
):
    monkeypatch.setattr(sys, "argv", ["/srv/.venv/bin/gunicorn", "-w", "4", "wsgi:app"])
    with caplog.at_level(logging.WARNING, logger="portal"):
        make_app(database_url, tmp_path)
    assert any(
        "SECURITY WARNING" in r.getMessage() and "4 gunicorn workers" in r.getMessage()
        for r in caplog.records
    )
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="portal"):
        make_app(database_url, tmp_path, RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379/1")
    assert not any("SECURITY WARNING" in r.getMessage() for r in caplog.records)


def test_the_warning_becomes_a_refusal_when_asked(database_url, tmp_path, monkeypatch):
    monkeypatch.setenv("GUNICORN_CMD_ARGS", "--workers=3")
    monkeypatch.setattr(sys, "argv", ["gunicorn", "wsgi:app"])
    with pytest.raises(RuntimeError, match="3 gunicorn workers"):
        make_app(database_url, tmp_path, RATELIMIT_REQUIRE_SHARED_STORAGE=True)


def test_signed_in_pages_and_exports_are_not_stored(client, app):
    assert "no-store" not in (client.get("/jobs").headers.get("Cache-Control") or "")
    user = factories.make_user("applicant")
    recruiter = factories.make_user("recruiter")
    db.session.commit()
    sign_in(client, user.email)
    for path in ("/me/", "/me/privacy/export.json"):
        response = fresh(client, path)
        assert response.status_code == 200, path
        assert response.headers["Cache-Control"] == "no-store", path
    staff = app.test_client()
    sign_in(staff, recruiter.email)
    for path in ("/recruiter/candidates", "/recruiter/candidates.csv"):
        response = fresh(staff, path)
        response.get_data()  # a streamed export: let it finish
        response.close()
        assert response.status_code == 200, path
        assert response.headers["Cache-Control"] == "no-store", path


def _landing(database_url: str, tmp_path, **config: object):
    """The landing page from an app of its own, whose connections are closed afterwards (the
    page reads the open postings; a pool left to the garbage collector warns in a later test)."""
    app = make_app(database_url, tmp_path, **config)
    try:
        return app.test_client().get("/")
    finally:
        with app.app_context():
            db.engine.dispose()


def test_form_action_admits_local_forms_only_with_the_fake_stripe(database_url, tmp_path):
    plain = _landing(database_url, tmp_path)
    assert "127.0.0.1" not in plain.headers["Content-Security-Policy"]
    assert "form-action 'self' https://*.stripe.com;" in plain.headers["Content-Security-Policy"]
    demo = _landing(database_url, tmp_path, STRIPE_FAKE=True)
    assert "http://127.0.0.1:*" in demo.headers["Content-Security-Policy"]
