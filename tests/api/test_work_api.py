"""Live work over the API: a client pushes a batch, follows its progress, pulls preferences."""

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import TaskBatch, WorkTask
from portal.work import queue
from tests.api.conftest import bearer
from tests.work.helpers import live_project, pairwise_record, rater


def _push(client, token, project_id, records, **extra):
    body = {"format": "native", "records": records, "overlap": 2, "gold_share": 0, **extra}
    return client.post(
        f"/api/v1/projects/{project_id}/batches", json=body, headers=bearer(token.secret)
    )


def test_push_a_batch_then_follow_its_progress(client, make_token, now):
    project = live_project()
    db.session.commit()
    token = make_token("tasks:write")
    pushed = _push(client, token, project.id, [pairwise_record(i) for i in range(3)])
    assert pushed.status_code == 201, pushed.get_json()
    body = pushed.get_json()
    assert (body["added"], body["skipped"], body["gold"]) == (3, 0, 0)
    batch = body["batch"]
    assert batch["tasks"] == 3 and batch["judgements_needed"] == 6
    assert batch["judgements_done"] == 0 and batch["eta"] is None and batch["status"] == "open"

    again = _push(client, token, project.id, [pairwise_record(i) for i in range(3)])
    assert again.status_code == 200
    assert (again.get_json()["added"], again.get_json()["skipped"]) == (0, 3)

    worker = rater(project)
    db.session.commit()
    claim = queue.claim_next(worker.applicant_id, project.id)
    queue.submit(claim.id, worker.applicant_id, {"choice": -2, "rationale": "clearer"})
    progress = client.get(f"/api/v1/batches/{batch['id']}", headers=bearer(token.secret))
    assert progress.status_code == 200
    shown = progress.get_json()
    assert shown["judgements_done"] == 1 and shown["percent"] == 17
    assert shown["per_hour"] > 0 and shown["eta"] is not None
    listed = client.get(f"/api/v1/projects/{project.id}/batches", headers=bearer(token.secret))
    assert [b["id"] for b in listed.get_json()["data"]] == [batch["id"]]


def test_bad_records_are_422_with_record_numbers_and_nothing_is_added(client, make_token):
    project = live_project()
    db.session.commit()
    token = make_token("tasks:write")
    records = [pairwise_record(i) for i in range(12)]
    records[1] = {"kind": "pairwise", "prompt": "x"}
    records[3] = dict(pairwise_record(3), prompt="nul \x00 here")
    records[10] = dict(pairwise_record(10), responses=["fine", "lone \ud800 surrogate"])
    response = _push(client, token, project.id, records)
    assert response.status_code == 422
    assert response.content_type == "application/problem+json"
    problem = response.get_json()
    assert "nothing was added" in problem["detail"]
    fields = {e["field"]: e["message"] for e in problem["errors"]}
    assert list(fields) == ["records[1]", "records[3]", "records[10]"]
    assert fields["records[1]"].startswith("record 2: missing field(s)")
    assert fields["records[3]"] == "record 4: text may not contain NUL characters"
    assert fields["records[10]"].startswith("record 11: text is not valid Unicode")
    assert db.session.scalar(select(func.count(WorkTask.id))) == 0
    assert db.session.scalar(select(func.count(TaskBatch.id))) == 0


def test_a_retried_push_with_the_same_key_adds_once(client, make_token):
    project = live_project()
    db.session.commit()
    token = make_token("tasks:write")
    headers = dict(bearer(token.secret), **{"Idempotency-Key": "push-1"})
    body = {"records": [pairwise_record(1)], "gold_share": 0}
    url = f"/api/v1/projects/{project.id}/batches"
    first = client.post(url, json=body, headers=headers)
    second = client.post(url, json=body, headers=headers)
    assert first.status_code == second.status_code == 201
    assert second.headers.get("Idempotent-Replayed") == "true"
    assert second.get_json() == first.get_json()
    assert db.session.scalar(select(func.count(TaskBatch.id))) == 1


def test_a_closed_batch_takes_no_more_tasks(client, make_token):
    project = live_project()
    db.session.commit()
    token = make_token("tasks:write")
    batch_id = _push(client, token, project.id, [pairwise_record(1)]).get_json()["batch"]["id"]
    db.session.get(TaskBatch, batch_id).status = "closed"
    db.session.commit()
    response = _push(client, token, project.id, [pairwise_record(2)], batch_id=batch_id)
    assert response.status_code == 422 and "closed" in response.get_json()["detail"]
    other = live_project()
    db.session.commit()
    elsewhere = _push(client, token, other.id, [pairwise_record(2)], batch_id=batch_id)
    assert elsewhere.status_code == 404


def test_pull_preferences_page_by_page(client, make_token, now):
    project = live_project()
    db.session.commit()
    pusher = make_token("tasks:write")
    _push(client, pusher, project.id, [pairwise_record(i) for i in range(5)], overlap=1)
    worker = rater(project)
    db.session.commit()
    for _ in range(5):
        claim = queue.claim_next(worker.applicant_id, project.id)
        claim.permutation = [0, 1]
        db.session.commit()
        queue.submit(claim.id, worker.applicant_id, {"choice": 2, "rationale": "better"})
    reader = make_token("exports:read")
    assert (
        client.get(
            f"/api/v1/projects/{project.id}/preferences", headers=bearer(pusher.secret)
        ).status_code
        == 403
    )
    seen, cursor, first_cursor = [], None, None
    while True:
        query = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = client.get(
            f"/api/v1/projects/{project.id}/preferences",
            query_string=query,
            headers=bearer(reader.secret),
        )
        assert page.status_code == 200, page.get_json()
        body = page.get_json()
        seen += body["data"]
        cursor = body["next_cursor"]
        first_cursor = first_cursor or cursor
        if cursor is None:
            break
    assert body["summary"] == {
        "records": 5,
        "tasks": 5,
        "ties": 0,
        "flagged_tasks": 0,
        "aggregate": "dawid_skene",
    }
    assert len(seen) == 5 and len({r["task_id"] for r in seen}) == 5
    assert all(r["chosen"].startswith("Autumn is a season") for r in seen)
    assert all(r["rater_ids"][0].startswith("r_") for r in seen)
    wrong = client.get(
        f"/api/v1/projects/{project.id}/preferences",
        query_string={"limit": 2, "cursor": first_cursor, "aggregate": "majority"},
        headers=bearer(reader.secret),
    )
    assert wrong.status_code == 400
