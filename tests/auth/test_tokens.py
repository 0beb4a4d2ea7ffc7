import re
from datetime import timedelta
from unittest import mock

import pytest
from sqlalchemy import select

from portal import mail
from portal.auth import services
from portal.extensions import db
from portal.models import OutboxEmail, User
from tests import factories

SENT: list[tuple[str, str]] = []


@pytest.fixture(autouse=True)
def sent(monkeypatch):
    """What each email said when it was delivered (the outbox keeps it with links masked)."""
    SENT.clear()
    deliver = mail.deliver

    def recording(message):
        SENT.append((message.to, message.body))
        return deliver(message)

    monkeypatch.setattr(mail, "deliver", recording)
    return SENT


def last_link(email: str, path: str) -> str:
    body = [body for to, body in SENT if to == email][-1]
    match = re.search(rf"http://localhost(/auth/{path}/\S+)", body)
    assert match, body
    return match.group(1)


def test_verification_link_verifies(client, auth):
    user = factories.make_user(verified=False)
    db.session.commit()
    auth.login(user.email)
    client.post("/auth/verify/resend")
    link = last_link(user.email, "verify")
    response = client.get(link)
    assert response.status_code == 302
    assert db.session.get(User, user.id).email_verified


def test_tampered_verification_link_is_refused(client):
    user = factories.make_user(verified=False)
    db.session.commit()
    token = services.make_token(user, "verify")
    response = client.get(f"/auth/verify/{token[:-2]}xx")
    assert response.status_code == 400
    assert "not valid" in response.get_data(as_text=True)


def test_reset_flow_changes_password_once(client, auth):
    user = factories.make_user()
    db.session.commit()
    client.post("/auth/reset", data={"email": user.email})
    link = last_link(user.email, "reset")
    assert client.get(link).status_code == 200
    response = client.post(
        link, data={"password": "brand-new-secret", "confirm": "brand-new-secret"}
    )
    assert response.status_code == 302
    assert auth.login(user.email, "brand-new-secret").status_code == 302
    auth.logout()
    # The same link cannot be used twice.
    reused = client.post(link, data={"password": "another-secret-1", "confirm": "another-secret-1"})
    assert reused.status_code == 400
    assert "already been used" in reused.get_data(as_text=True)
    assert auth.login(user.email, "another-secret-1").status_code == 422


def test_expired_reset_token_is_refused(client, app):
    user = factories.make_user()
    db.session.commit()
    token = services.make_token(user, "reset")
    later = app.config["RESET_TOKEN_MAX_AGE"] + 60
    with mock.patch("itsdangerous.timed.time.time", return_value=__import__("time").time() + later):
        response = client.get(f"/auth/reset/{token}")
    assert response.status_code == 400
    assert "expired" in response.get_data(as_text=True)


def test_reset_for_unknown_email_says_the_same(client):
    response = client.post(
        "/auth/reset", data={"email": "nobody@example.org"}, follow_redirects=True
    )
    assert "If that address has an account" in response.get_data(as_text=True)
    assert db.session.scalar(select(db.func.count()).select_from(OutboxEmail)) == 0


def test_token_helpers_reject_wrong_purpose(app):
    user = factories.make_user()
    db.session.commit()
    token = services.make_token(user, "verify")
    try:
        services.read_token(token, "reset", int(timedelta(hours=1).total_seconds()))
    except services.AccountError as exc:
        assert "not valid" in str(exc)
    else:
        raise AssertionError("a verification token must not reset a password")
