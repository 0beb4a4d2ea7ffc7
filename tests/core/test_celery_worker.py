"""A task executed by a real Celery worker through Redis."""

import os
import time

import pytest
from celery.contrib.testing.worker import start_worker
from sqlalchemy import select

from portal.extensions import db
from portal.mail import send_email
from portal.models import OutboxEmail
from tests.conftest import service_missing


@pytest.fixture
def app_config():
    url = os.environ.get("TEST_REDIS_URL")
    if not url:
        service_missing("Redis (TEST_REDIS_URL)")
    return {"CELERY_BROKER_URL": url}


@pytest.mark.redis
def test_email_task_runs_on_a_real_worker(app):
    celery = app.extensions["celery"]
    assert not celery.conf.task_always_eager
    with start_worker(celery, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        send_email("worker@example.org", "Queued", "Delivered by a worker")
        db.session.commit()
        message_id = db.session.scalar(select(OutboxEmail.id))
        deadline = time.monotonic() + 20
        status = "queued"
        while time.monotonic() < deadline:
            db.session.expire_all()
            status = db.session.get(OutboxEmail, message_id).status
            db.session.rollback()
            if status != "queued":
                break
            time.sleep(0.2)
    assert status == "logged"
