from flask import g
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEvent, OutboxEmail, Role, User
from tests import factories


def signup(client, **overrides):
    data = {
        "name": "Ana Lima",
        "email": "Ana.Lima@Example.org ",
        "password": "a-long-enough-pass",
        "confirm": "a-long-enough-pass",
    }
    data.update(overrides)
    return client.post("/auth/signup", data=data)


def test_signup_creates_applicant_and_the_link_continues_the_application(client):
    response = signup(client)
    assert response.status_code == 200
    assert "Check your email" in response.get_data(as_text=True)
    user = db.session.scalar(select(User).where(User.email == "ana.lima@example.org"))
    assert user is not None and user.role == Role.APPLICANT
    assert user.applicant.stage == "applied"
    assert user.password_hash.startswith("scrypt:")
    assert not user.email_verified
    assert client.get("/me/").status_code == 302  # not signed in until the link is opened
    mail = db.session.scalar(select(OutboxEmail).where(OutboxEmail.to == user.email))
    assert mail.template == "verify_email" and mail.status == "logged"
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "account.signed_up"))
    token = mail_token(user)
    response = client.get(f"/auth/verify/{token}")
    assert response.headers["Location"].endswith("/me/")
    page = client.get("/me/").get_data(as_text=True)
    assert "Hello, Ana Lima" in page
    # The link signs in only once: opened again by someone else, it asks for the password.
    g.pop("_login_user", None)  # the tests share one app context: forget who was loaded
    other = client.application.test_client()
    assert other.get(f"/auth/verify/{token}").headers["Location"].endswith("/auth/signin")


def mail_token(user):
    from portal.auth.services import make_token

    return make_token(user, "verify")


def test_known_email_gets_the_same_answer_and_its_owner_an_email(client):
    factories.make_user(email="taken@example.org")
    db.session.commit()
    response = signup(client, email="TAKEN@example.org")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Check your email" in page
    fresh = signup(client, email="fresh@example.org").get_data(as_text=True)
    assert page.replace("TAKEN@example.org", "fresh@example.org") == fresh
    assert db.session.scalar(select(db.func.count()).select_from(User)) == 2
    mail = db.session.scalar(select(OutboxEmail).where(OutboxEmail.to == "taken@example.org"))
    assert mail.template == "signup_existing"
    assert "/auth/signin" in mail.body and "/auth/reset" in mail.body


def test_weak_password_is_refused_with_reason(client):
    response = signup(client, password="short", confirm="short")
    assert response.status_code == 422
    assert "at least 10 characters" in response.get_data(as_text=True)
    response = signup(client, password="password123", confirm="password123")
    assert "too common" in response.get_data(as_text=True)
    assert db.session.scalar(select(db.func.count()).select_from(User)) == 0


def test_malformed_email_is_refused(client):
    response = signup(client, email="not-an-email")
    assert response.status_code == 422
    assert "Invalid email address" in response.get_data(as_text=True)


def test_mismatched_confirmation(client):
    response = signup(client, confirm="something-else-entirely")
    assert response.status_code == 422
    assert "Passwords differ" in response.get_data(as_text=True)
