"""Finding 1: sessions and remember-me cookies end at sign-out, password change and reset."""

from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

import pytest
from flask import g

from portal.auth.services import make_token
from portal.extensions import db
from tests import factories
from tests.security.conftest import copy_cookies, fresh, sign_in


def test_a_copied_session_cookie_dies_at_sign_out(app, client, applicant_user):
    sign_in(client, applicant_user.email)
    thief = copy_cookies(client, app)
    assert fresh(thief, "/me/").status_code == 200
    g.pop("_login_user", None)
    client.post("/auth/signout")
    assert fresh(thief, "/me/").status_code == 302
    assert fresh(client, "/me/").status_code == 302


def test_sign_out_deletes_the_remember_cookie(client, applicant_user):
    sign_in(client, applicant_user.email, remember=True)
    assert client.get_cookie("remember_token") is not None
    g.pop("_login_user", None)
    client.post("/auth/signout")
    assert client.get_cookie("remember_token") is None


def test_old_session_and_remember_cookie_die_at_password_reset(app, client, applicant_user):
    sign_in(client, applicant_user.email, remember=True)
    remembered = app.test_client()
    cookie = client.get_cookie("remember_token")
    remembered.set_cookie("remember_token", cookie.value, domain=cookie.domain)
    session_copy = copy_cookies(client, app)
    assert fresh(remembered, "/me/").status_code == 200  # the remember cookie alone signs in
    assert fresh(session_copy, "/me/").status_code == 200

    token = make_token(applicant_user, "reset")
    stranger = app.test_client()
    g.pop("_login_user", None)
    response = stranger.post(
        f"/auth/reset/{token}", data={"password": "a-brand-new-pass", "confirm": "a-brand-new-pass"}
    )
    assert response.status_code == 302
    assert fresh(remembered, "/me/").status_code == 302
    assert fresh(session_copy, "/me/").status_code == 302


def test_password_change_ends_other_sessions_and_keeps_this_one(app, client, applicant_user):
    other = app.test_client()
    sign_in(other, applicant_user.email, remember=True)
    sign_in(client, applicant_user.email)
    g.pop("_login_user", None)
    response = client.post(
        "/auth/account/password",
        data={
            "current": factories.PASSWORD,
            "password": "another-long-pass",
            "confirm": "another-long-pass",
        },
    )
    assert response.status_code == 302
    assert fresh(client, "/me/").status_code == 200
    assert fresh(other, "/me/").status_code == 302


def test_wrong_current_password_changes_nothing(client, applicant_user):
    sign_in(client, applicant_user.email)
    g.pop("_login_user", None)
    response = client.post(
        "/auth/account/password",
        data={
            "current": "not-the-password",
            "password": "x-long-pass-1",
            "confirm": "x-long-pass-1",
        },
    )
    assert response.status_code == 422
    assert "current password is not right" in response.get_data(as_text=True)
    db.session.refresh(applicant_user)
    assert applicant_user.check_password(factories.PASSWORD)


def test_sign_out_everywhere_from_the_account_page(app, client, applicant_user):
    other = app.test_client()
    sign_in(other, applicant_user.email, remember=True)
    sign_in(client, applicant_user.email)
    page = fresh(client, "/auth/account").get_data(as_text=True)
    assert "Sign out everywhere" in page
    g.pop("_login_user", None)
    assert client.post("/auth/account/signout-everywhere").status_code == 302
    assert fresh(client, "/me/").status_code == 200
    assert fresh(other, "/me/").status_code == 302


def test_a_cookie_without_a_session_version_loads_nobody(app, client, applicant_user):
    with client.session_transaction() as session:
        session["_user_id"] = str(applicant_user.id)  # as issued before session versions
        session["_fresh"] = True
    assert fresh(client, "/me/").status_code == 302


class TestRememberCookie:
    @pytest.fixture
    def app_config(self):
        return {"SESSION_COOKIE_SECURE": True}

    def test_flags_follow_the_session_cookie_and_it_lasts_14_days(self, client, applicant_user):
        response = client.post(
            "/auth/signin",
            data={"email": applicant_user.email, "password": factories.PASSWORD, "remember": "y"},
        )
        cookies = {c.split("=", 1)[0]: c for c in response.headers.getlist("Set-Cookie")}
        remember = cookies["remember_token"]
        assert "Secure" in remember and "HttpOnly" in remember and "SameSite=Lax" in remember
        expires = parsedate_to_datetime(remember.split("Expires=")[1].split(";")[0])
        assert abs(expires - (datetime.now(UTC) + timedelta(days=14))) < timedelta(hours=1)
