"""The proposal job on a real Celery worker through Redis: the page polls while it works."""

import os
import time

import pytest
from celery.contrib.testing.worker import start_worker

from portal.extensions import db
from tests.conftest import service_missing
from tests.factories import make_candidate, make_project


@pytest.fixture
def app_config():
    url = os.environ.get("TEST_REDIS_URL")
    if not url:
        service_missing("Redis (TEST_REDIS_URL)")
    return {"CELERY_BROKER_URL": url}


@pytest.mark.redis
def test_the_proposal_runs_on_a_worker_and_the_status_follows_it(app, client, auth):
    auth.as_role("admin")
    make_project(headcount=2)
    for score in (90, 85, 80):
        make_candidate(score)
    db.session.commit()
    celery = app.extensions["celery"]
    assert not celery.conf.task_always_eager
    response = client.post("/admin/projects/proposal/runs")
    run_url = response.headers["Location"]
    # Queued, no worker yet: the page shows the bar and refreshes itself.
    assert client.get(f"{run_url}/status").get_json()["status"] == "queued"
    assert "<progress" in client.get(run_url).get_data(as_text=True)
    with start_worker(celery, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        deadline = time.monotonic() + 30
        status = {}
        while time.monotonic() < deadline:
            status = client.get(f"{run_url}/status").get_json()
            if status["finished"]:
                break
            time.sleep(0.2)
    assert status["status"] == "done" and status["progress"] == 100
    page = client.get(run_url).get_data(as_text=True)
    assert page.count('name="pick"') == 2 and "<progress" not in page
