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


def test_signup_creates_applicant_and_lands_on_dashboard(client):
    response = signup(client)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/me/")
    user = db.session.scalar(select(User).where(User.email == "ana.lima@example.org"))
    assert user is not None and user.role == Role.APPLICANT
    assert user.applicant.stage == "applied"
    assert user.password_hash.startswith("scrypt:")
    assert not user.email_verified
    page = client.get("/me/").get_data(as_text=True)
    assert "Hello, Ana Lima" in page
    assert "Confirm your email address" in page
    mail = db.session.scalar(select(OutboxEmail).where(OutboxEmail.to == user.email))
    assert mail.template == "verify_email" and mail.status == "logged"
    assert "/auth/verify/" in mail.body
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "account.signed_up"))


def test_duplicate_email_is_refused_case_insensitively(client):
    factories.make_user(email="taken@example.org")
    db.session.commit()
    response = signup(client, email="TAKEN@example.org")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "already exists" in page
    assert 'value="Ana Lima"' in page  # what the person typed is kept
    assert db.session.scalar(select(db.func.count()).select_from(User)) == 1


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
