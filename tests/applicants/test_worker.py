"""The parse task on a real Celery worker through Redis, with the sandboxed parser."""

import io
import os
import time

import pytest
from celery.contrib.testing.worker import start_worker

from tests.applicants import samples
from tests.conftest import service_missing


@pytest.fixture
def app_config():
    url = os.environ.get("TEST_REDIS_URL")
    if not url:
        service_missing("Redis (TEST_REDIS_URL)")
    return {"CELERY_BROKER_URL": url}


@pytest.mark.redis
def test_upload_is_queued_then_parsed_by_a_worker(app, client, auth):
    celery = app.extensions["celery"]
    assert not celery.conf.task_always_eager
    auth.as_role("applicant")
    with start_worker(celery, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        response = client.post(
            "/me/resume",
            data={"resume": (io.BytesIO(samples.docx_resume()), "cv.docx")},
            content_type="multipart/form-data",
        )
        assert response.status_code == 302
        seen = []
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            state = client.get("/me/resume/status").get_json()
            seen.append(state["status"])
            if state["done"]:
                break
            time.sleep(0.2)
    assert seen[0] in {"pending", "parsing"}
    assert seen[-1] == "parsed", seen
