import pytest

from portal.extensions import db
from tests import factories


@pytest.mark.parametrize(
    ("role", "landing"),
    [("applicant", "/me/"), ("recruiter", "/recruiter/"), ("admin", "/admin/")],
)
def test_each_role_lands_on_its_dashboard(client, auth, role, landing):
    user = factories.make_user(role, email=f"{role}@example.org")
    db.session.commit()
    response = auth.login("  " + user.email.upper())
    assert response.status_code == 302
    assert response.headers["Location"].endswith(landing)
    assert client.get(landing).status_code == 200


def test_wrong_password_is_refused(client, auth):
    user = factories.make_user()
    db.session.commit()
    response = auth.login(user.email, "wrong-password-here")
    assert response.status_code == 422
    assert "Wrong email or password" in response.get_data(as_text=True)
    assert client.get("/me/").status_code == 302


def test_deactivated_account_cannot_sign_in(auth):
    user = factories.make_user(active=False)
    db.session.commit()
    assert auth.login(user.email).status_code == 422


def test_signout(client, auth):
    auth.as_role("applicant")
    assert client.get("/me/").status_code == 200
    assert auth.logout().status_code == 302
    assert client.get("/me/").status_code == 302


def test_next_redirect_is_followed_when_local(client):
    user = factories.make_user()
    db.session.commit()
    response = client.post(
        "/auth/signin?next=/me/", data={"email": user.email, "password": factories.PASSWORD}
    )
    assert response.headers["Location"] == "/me/"


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)", "evil"],
)
def test_open_redirect_is_refused(client, target):
    user = factories.make_user()
    db.session.commit()
    response = client.post(
        "/auth/signin",
        query_string={"next": target},
        data={"email": user.email, "password": factories.PASSWORD},
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/me/")


class TestRateLimit:
    @pytest.fixture
    def app_config(self):
        return {"RATELIMIT_ENABLED": True, "SIGNIN_RATE_LIMIT": "3 per minute"}

    def test_signin_is_rate_limited(self, client):
        for _ in range(3):
            response = client.post(
                "/auth/signin", data={"email": "x@example.org", "password": "nope-nope-nope"}
            )
            assert response.status_code == 422
        blocked = client.post(
            "/auth/signin", data={"email": "x@example.org", "password": "nope-nope-nope"}
        )
        assert blocked.status_code == 429
        assert "Too many attempts" in blocked.get_data(as_text=True)
        # Reading the form is not limited.
        assert client.get("/auth/signin").status_code == 200


class TestCsrf:
    @pytest.fixture
    def app_config(self):
        return {"WTF_CSRF_ENABLED": True}

    def test_form_without_token_is_rejected(self, client):
        response = client.post(
            "/auth/signup",
            data={
                "name": "A",
                "email": "a@example.org",
                "password": "long-enough-pw",
                "confirm": "long-enough-pw",
            },
        )
        assert response.status_code == 400
        assert "Reload the page" in response.get_data(as_text=True)

    def test_forged_signout_is_rejected(self, client, auth):
        user = factories.make_user()
        db.session.commit()
        with client.session_transaction():
            pass
        page = client.get("/auth/signin").get_data(as_text=True)
        token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
        client.post(
            "/auth/signin",
            data={"email": user.email, "password": factories.PASSWORD, "csrf_token": token},
        )
        assert client.get("/me/").status_code == 200
        assert client.post("/auth/signout").status_code == 400
        assert client.get("/me/").status_code == 200

    def test_form_with_token_is_accepted(self, client):
        page = client.get("/auth/signup").get_data(as_text=True)
        token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
        response = client.post(
            "/auth/signup",
            data={
                "name": "A B",
                "email": "ab@example.org",
                "password": "long-enough-pw",
                "confirm": "long-enough-pw",
                "csrf_token": token,
            },
        )
        assert response.status_code == 200
        assert "Check your email" in response.get_data(as_text=True)


def test_session_cookie_flags(client):
    user = factories.make_user()
    db.session.commit()
    response = client.post(
        "/auth/signin", data={"email": user.email, "password": factories.PASSWORD}
    )
    cookie = response.headers.get("Set-Cookie")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_security_headers(client):
    response = client.get("/")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
