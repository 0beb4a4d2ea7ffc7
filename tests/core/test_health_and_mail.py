import socket
import threading
import time

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.mail import retry_failed, send_email
from portal.models import OutboxEmail


def test_healthz_reports_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok" and body["database"] == "ok"


class TestBrokenBroker:
    @pytest.fixture
    def app_config(self):
        return {"CELERY_BROKER_URL": "redis://127.0.0.1:1/0"}

    def test_healthz_fails_when_broker_is_down(self, client):
        response = client.get("/healthz")
        assert response.status_code == 503
        assert response.get_json()["broker"].startswith("error")


def test_email_without_server_goes_to_outbox_and_log(app, caplog):
    with caplog.at_level("INFO", logger="portal.mail"):
        send_email("someone@example.org", "Hello", "Body text")
        db.session.commit()
    message = db.session.scalar(select(OutboxEmail))
    assert message.status == "logged"
    assert "someone@example.org" in caplog.text


def test_email_is_not_sent_when_transaction_rolls_back(app):
    send_email("someone@example.org", "Hello", "Body text")
    db.session.rollback()
    assert db.session.scalar(select(OutboxEmail)) is None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class TestSmtp:
    @pytest.fixture
    def smtp(self):
        from aiosmtpd.controller import Controller
        from aiosmtpd.handlers import Sink

        class Recorder(Sink):
            def __init__(self):
                self.messages = []

            async def handle_DATA(self, server, session, envelope):
                self.messages.append(envelope)
                return "250 OK"

        handler = Recorder()
        controller = Controller(handler, hostname="127.0.0.1", port=free_port())
        controller.start()
        yield controller, handler
        controller.stop()

    @pytest.fixture
    def app_config(self, smtp):
        controller, _ = smtp
        return {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": controller.port}

    def test_email_goes_over_smtp(self, app, smtp):
        _, handler = smtp
        send_email("someone@example.org", "Your offer", "Welcome aboard")
        db.session.commit()
        message = db.session.scalar(select(OutboxEmail))
        assert message.status == "sent"
        assert handler.messages[0].rcpt_tos == ["someone@example.org"]
        assert b"Welcome aboard" in handler.messages[0].content


def test_failed_smtp_is_kept_and_retried(app):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port())
    send_email("someone@example.org", "Hi", "Body")
    db.session.commit()
    message = db.session.scalar(select(OutboxEmail))
    assert message.status == "failed" and message.error
    app.config.update(MAIL_SERVER=None)
    assert retry_failed() == 1
    db.session.refresh(message)
    assert message.status == "logged" and message.attempts == 2
    assert time.time()  # retried without raising


def test_email_links_are_absolute_in_a_worker_too(app):
    """Outside a request (a Celery task), links keep their own path, not a generic page."""
    from portal.mail import LOCAL_BASE_URL, external_url

    def in_worker(endpoint, **values):
        out = []  # a fresh thread has no request context, like a worker

        def run():
            with app.app_context():
                out.append(external_url(endpoint, **values))

        thread = threading.Thread(target=run)
        thread.start()
        thread.join()
        return out[0]

    assert in_worker("offers.guideline", project_id=3) == "http://localhost/me/offers/guidelines/3"
    app.config["SERVER_NAME"] = None
    assert in_worker("recruiters.candidates", sort="sla") == (
        f"{LOCAL_BASE_URL}/recruiter/candidates?sort=sla"
    )
    app.config["PUBLIC_BASE_URL"] = "https://talent.example/"
    assert in_worker("main.index") == "https://talent.example/"
    assert external_url("auth.verify_email", token="t") == "https://talent.example/auth/verify/t"
