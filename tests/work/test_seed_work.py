"""seed-demo shows live work: two batches, three raters, one paused, an export to download."""

import json

from sqlalchemy import func, select

from portal.demo.work import DEMO_PROJECT
from portal.extensions import db
from portal.models import Judgement, Project, RaterPause, TaskBatch, TaskClaim


def _counts():
    return {
        m.__name__: db.session.scalar(select(func.count()).select_from(m))
        for m in (TaskBatch, TaskClaim, Judgement, RaterPause)
    }


def test_seed_demo_adds_a_live_project_once_and_its_export_downloads(app, client, auth):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    first = _counts()
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    assert _counts() == first
    assert first["TaskBatch"] == 2 and first["RaterPause"] == 1 and first["Judgement"] > 40
    project = db.session.scalar(select(Project).where(Project.title == DEMO_PROJECT))
    auth.as_role("admin")
    page = client.get(f"/admin/work/{project.id}")
    assert page.status_code == 200 and b"Emails, week 1" in page.data
    batch = db.session.scalar(select(TaskBatch).where(TaskBatch.project_id == project.id))
    detail = client.get(f"/admin/work/batches/{batch.id}")
    assert detail.status_code == 200 and b"Krippendorff" in detail.data
    quality = client.get(f"/admin/work/{project.id}/quality")
    assert b"gold right" in quality.data and b"Confirm" in quality.data
    download = client.get(f"/admin/work/{project.id}/preferences.jsonl")
    assert download.status_code == 200
    assert "attachment" in download.headers["Content-Disposition"]
    rows = [json.loads(line) for line in download.get_data(as_text=True).splitlines()]
    assert rows and all(r["n_raters"] >= 1 for r in rows)
