"""Outgoing email: every message is an outbox row, delivered by a Celery task.

Without `MAIL_SERVER` (the embedded default) delivery writes the message to the log and marks it
`logged`, so an admin can read it in the outbox; with it, the task sends it over SMTP.
"""

import logging
import re
import smtplib
from datetime import timedelta
from email.message import EmailMessage
from typing import Any

from celery import shared_task
from flask import current_app, has_request_context, url_for
from sqlalchemy import select

from portal import clock
from portal.extensions import db
from portal.jobs import delay_after_commit
from portal.models import OutboxEmail

log = logging.getLogger("portal.mail")
MAX_ATTEMPTS = 5
LOCAL_BASE_URL = "http://127.0.0.1:5000"  # `make run`, when nothing better is known
# A signed token (itsdangerous: payload.timestamp.signature) inside a link: a key to an account.
SECRET_TOKEN = re.compile(r"\b[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{20,}")
MASK = "[hidden]"


def mask_secrets(text: str | None) -> str:
    """The text with every signed token replaced: what staff may read and what is kept."""
    return SECRET_TOKEN.sub(MASK, text or "")


def external_url(endpoint: str, **values: Any) -> str:
    """An absolute link for an email, built in a request or in a worker.

    PUBLIC_BASE_URL wins; otherwise the request's own host, SERVER_NAME, or the embedded default.
    """
    base = current_app.config.get("PUBLIC_BASE_URL")
    if has_request_context():
        if not base:
            return url_for(endpoint, _external=True, **values)
        return base.rstrip("/") + url_for(endpoint, **values)
    server = current_app.config.get("SERVER_NAME")
    adapter = current_app.url_map.bind(
        server or "localhost",
        script_name=current_app.config.get("APPLICATION_ROOT") or "/",
        url_scheme=current_app.config.get("PREFERRED_URL_SCHEME") or "http",
    )
    if not base and server:
        return adapter.build(endpoint, values, force_external=True)
    return (base or LOCAL_BASE_URL).rstrip("/") + adapter.build(endpoint, values)


def send_email(
    to: str,
    subject: str,
    body: str,
    *,
    template: str | None = None,
    applicant_id: int | None = None,
) -> OutboxEmail:
    """Queue an email in the caller's transaction; it is delivered after commit."""
    message = OutboxEmail(
        to=to, subject=subject, body=body, template=template, applicant_id=applicant_id
    )
    db.session.add(message)
    db.session.flush()
    delay_after_commit(deliver_email, message.id)
    return message


def deliver(message: OutboxEmail) -> None:
    """Deliver one message over SMTP, or to the log when no mail server is configured."""
    config = current_app.config
    message.attempts += 1
    if not config.get("MAIL_SERVER"):
        # The log is read by more people than the recipient: never the links, unless a
        # developer asks for them on their own machine (MAIL_LOG_LINKS).
        body = message.body if config.get("MAIL_LOG_LINKS") else mask_secrets(message.body)
        log.info("email %s to=%s subject=%r\n%s", message.id, message.to, message.subject, body)
        message.status = "logged"
        message.sent_at = clock.now()
        message.body = mask_secrets(message.body)
        return
    email = EmailMessage()
    email["From"] = config["MAIL_DEFAULT_SENDER"]
    email["To"] = message.to
    email["Subject"] = message.subject
    email.set_content(message.body)
    try:
        with smtplib.SMTP(config["MAIL_SERVER"], int(config["MAIL_PORT"]), timeout=10) as smtp:
            if config.get("MAIL_USE_TLS"):
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
            smtp.send_message(email)
    except (OSError, smtplib.SMTPException) as exc:
        message.status = "failed"
        message.error = str(exc) or exc.__class__.__name__
        log.warning("email %s to %s failed: %s", message.id, message.to, message.error)
        return
    message.status = "sent"
    message.error = None
    message.sent_at = clock.now()
    message.body = mask_secrets(message.body)  # sent: the outbox keeps no working links
    log.info("email %s sent", message.id)


@shared_task(name="mail.deliver", ignore_result=True)
def deliver_email(message_id: int) -> None:
    """Deliver a queued email; a message already sent is left alone (safe to retry)."""
    message = db.session.get(OutboxEmail, message_id)
    if message is None or message.status in {"sent", "logged"}:
        return
    deliver(message)
    db.session.commit()


@shared_task(name="mail.retry_failed", ignore_result=True)
def retry_failed() -> int:
    """Try failed emails again, up to a few attempts each."""
    stuck_before = clock.now() - timedelta(minutes=10)  # a queued message whose task was lost
    failed = db.session.scalars(
        select(OutboxEmail).where(
            OutboxEmail.attempts < MAX_ATTEMPTS,
            (OutboxEmail.status == "failed")
            | ((OutboxEmail.status == "queued") & (OutboxEmail.created_at < stuck_before)),
        )
    ).all()
    for message in failed:
        deliver(message)
    db.session.commit()
    return len(failed)
