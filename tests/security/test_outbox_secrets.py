"""Finding 8: working reset links are neither kept in the outbox nor written to the log."""

import re
import socket

import pytest
from sqlalchemy import select

from portal.auth.services import read_token
from portal.extensions import db
from portal.models import OutboxEmail
from tests import factories
from tests.security.conftest import fresh, sign_in

# A signed token as itsdangerous writes it: payload.timestamp.signature.
SECRET_TOKEN = re.compile(r"[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{20,}")


def reset_for(client, email):
    return client.post("/auth/reset", data={"email": email})


def test_reset_link_is_not_in_the_log_nor_the_outbox(app, client, caplog):
    victim = factories.make_user("applicant")
    admin = factories.make_user("admin")
    db.session.commit()
    with caplog.at_level("INFO", logger="portal"):
        reset_for(client, victim.email)
    message = db.session.scalar(select(OutboxEmail).where(OutboxEmail.to == victim.email))
    assert message.status == "logged"
    assert "/auth/reset/[hidden]" in message.body
    assert "/auth/reset/" in caplog.text and f"email {message.id}" in caplog.text
    assert SECRET_TOKEN.search(caplog.text) is None
    sign_in(client, admin.email)
    page = fresh(client, f"/admin/outbox/{message.id}").get_data(as_text=True)
    assert "/auth/reset/[hidden]" in page


def test_a_message_not_yet_sent_is_shown_masked_to_staff(app, client):
    victim = factories.make_user("applicant")
    admin = factories.make_user("admin")
    db.session.commit()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port())  # nobody listens
    reset_for(client, victim.email)
    message = db.session.scalar(select(OutboxEmail).where(OutboxEmail.to == victim.email))
    assert message.status == "failed"  # kept whole, so that the retry can still send it
    token = message.body.split("/auth/reset/")[1].split()[0]
    assert read_token(token, "reset", 3600).id == victim.id
    app.config.update(MAIL_SERVER=None)
    sign_in(client, admin.email)
    page = fresh(client, f"/admin/outbox/{message.id}").get_data(as_text=True)
    assert token not in page and "/auth/reset/[hidden]" in page


def test_developers_may_ask_for_links_in_their_log(app, client, caplog):
    app.config["MAIL_LOG_LINKS"] = True
    user = factories.make_user("applicant")
    db.session.commit()
    with caplog.at_level("INFO", logger="portal"):
        reset_for(client, user.email)
    assert SECRET_TOKEN.search(caplog.text) is not None
    message = db.session.scalar(select(OutboxEmail).where(OutboxEmail.to == user.email))
    assert "[hidden]" in message.body  # the outbox is masked all the same


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def app_config():
    return {"RATELIMIT_ENABLED": False}
