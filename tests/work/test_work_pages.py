"""The contractor's /me/work pages and the admin's batch pages."""

import io

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Judgement, TaskBatch, TaskClaim
from tests import factories
from tests.work.helpers import batch_of, live_project, pairwise_record, write_jsonl


def _sign_in_rater(client, auth, project, status="active"):
    applicant, assignment = factories.make_contractor(project=project, assignment_status=status)
    db.session.commit()
    assert auth.login(applicant.user.email).status_code == 302
    return assignment


def test_get_never_claims_and_post_claims_then_submit_moves_on(app, client, auth, now, tmp_path):
    project = live_project()
    batch_of(project, tmp_path, 2, overlap=1)
    assignment = _sign_in_rater(client, auth, project)
    page = client.get(f"/me/work/{project.id}")
    assert page.status_code == 200 and b"Start the next task" in page.data
    assert db.session.scalar(select(func.count(TaskClaim.id))) == 0
    response = client.post(f"/me/work/{project.id}/next")
    assert response.status_code == 302
    shown = client.get(f"/me/work/{project.id}")
    assert b"Which response is better?" in shown.data
    claim = db.session.scalar(select(TaskClaim))
    # A missing rationale keeps what was typed and saves nothing.
    bad = client.post(f"/me/work/claims/{claim.id}", data={"choice": "2"})
    assert bad.status_code == 422 and b"rationale" in bad.data
    assert b'value="2"\n          checked' in bad.data or b'value="2" checked' in bad.data
    assert db.session.scalar(select(func.count(Judgement.id))) == 0
    ok = client.post(
        f"/me/work/claims/{claim.id}", data={"choice": "2", "rationale": "B", "go": "next"}
    )
    assert ok.status_code == 307
    assert db.session.scalar(select(func.count(Judgement.id))) == 1
    index = client.get("/me/work/")
    assert b"Today: <strong>1</strong>" in index.data
    assert assignment.project_id == project.id


def test_skip_with_reason_from_the_page(app, client, auth, now, tmp_path):
    project = live_project()
    batch_of(project, tmp_path, 1)
    _sign_in_rater(client, auth, project)
    client.post(f"/me/work/{project.id}/next")
    claim = db.session.scalar(select(TaskClaim))
    assert client.post(f"/me/work/claims/{claim.id}/skip", data={}).status_code == 422
    assert (
        client.post(
            f"/me/work/claims/{claim.id}/skip", data={"skip_reason": "not my language"}
        ).status_code
        == 302
    )
    db.session.refresh(claim)
    assert claim.status == "skipped"


def test_an_inactive_assignment_cannot_claim(app, client, auth, now, tmp_path):
    project = live_project()
    batch_of(project, tmp_path, 1)
    _sign_in_rater(client, auth, project, status="accepted")
    page = client.get(f"/me/work/{project.id}")
    assert b"not active" in page.data and b"Start the next task" not in page.data
    client.post(f"/me/work/{project.id}/next")
    assert db.session.scalar(select(func.count(TaskClaim.id))) == 0


def test_another_raters_claim_is_not_found(app, client, auth, now, tmp_path):
    project = live_project()
    batch_of(project, tmp_path, 1)
    _, other = factories.make_contractor(project=project)
    db.session.commit()
    from portal.work import queue

    claim = queue.claim_next(other.applicant_id, project.id)
    _sign_in_rater(client, auth, project)
    response = client.post(f"/me/work/claims/{claim.id}", data={"choice": "1", "rationale": "x"})
    assert response.status_code == 404
    assert db.session.scalar(select(func.count(Judgement.id))) == 0


def test_admin_uploads_a_batch_and_sees_progress(app, client, auth, tmp_path):
    project = live_project()
    db.session.commit()
    auth.as_role("admin")
    path = write_jsonl(tmp_path / "t.jsonl", [pairwise_record(i) for i in range(5)])
    data = {
        "name": "Week 1",
        "format": "native",
        "overlap": "2",
        "gold_share": "0",
        "rationale_required": "1",
        "guideline_version": "2",
        "file": (io.BytesIO(path.read_bytes()), "t.jsonl"),
    }
    response = client.post(
        f"/admin/work/{project.id}", data=data, content_type="multipart/form-data"
    )
    assert response.status_code == 302, response.data
    batch = db.session.scalar(select(TaskBatch))
    assert (batch.name, batch.overlap, batch.guideline_version) == ("Week 1", 2, 2)
    page = client.get(f"/admin/work/{project.id}")
    assert b"0 / 10 (0 %)" in page.data


def test_admin_upload_errors_are_all_shown_and_the_form_kept(app, client, auth, tmp_path):
    project = live_project()
    db.session.commit()
    auth.as_role("admin")
    response = client.post(
        f"/admin/work/{project.id}",
        data={"name": "Keep me", "overlap": "0", "gold_share": "8"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert b"Choose a file" in response.data and b"overlap must be" in response.data
    assert b'value="Keep me"' in response.data


def test_contractors_cannot_open_the_admin_pages(app, client, auth, tmp_path):
    project = live_project()
    _sign_in_rater(client, auth, project)
    assert client.get(f"/admin/work/{project.id}").status_code in (302, 403, 404)


def test_project_pages_link_admins_to_live_work(app, client, auth):
    project = live_project()
    db.session.commit()
    auth.as_role("admin")
    show = client.get(f"/admin/projects/{project.id}")
    assert show.status_code == 200 and f"/admin/work/{project.id}".encode() in show.data
    assert client.get(f"/admin/projects/{project.id}/matches").status_code == 200


def _work(rater_id, project_id, now, seconds, **answer):
    from portal.work import queue

    claim = queue.claim_next(rater_id, project_id)
    now.advance(seconds=seconds)
    answer.setdefault("choice", 1)
    answer.setdefault("rationale", "clearer")
    return queue.submit(claim.id, rater_id, answer)


def test_history_shows_each_day_and_week_with_time_on_task(app, client, auth, now, tmp_path):
    from portal.work import queue

    project = live_project()
    batch_of(project, tmp_path, 6, overlap=1)
    assignment = _sign_in_rater(client, auth, project)
    me = assignment.applicant_id
    # Monday 2 Nov 2026: two tasks (40 s and 80 s), one flagged; then one skipped.
    _work(me, project.id, now, 40)
    _work(me, project.id, now, 80, flag={"reason": "B is empty"})
    skipped = queue.claim_next(me, project.id)
    queue.skip(skipped.id, me, "not my field")
    # Wednesday: one task of 30 s. The next Monday (ISO week 46): one of 60 s.
    now.advance(days=2)
    _work(me, project.id, now, 30)
    now.advance(days=5)
    _work(me, project.id, now, 60)

    page = client.get("/me/work/history")
    assert page.status_code == 200
    html = page.get_data(as_text=True)

    def row(testid):
        start = html.index(f'data-testid="{testid}"')
        return " ".join(html[start : html.index("</tr>", start)].split())

    assert "<td>2</td><td>1</td><td>1</td> <td>2 min</td><td>60 s</td>" in row("day-2026-11-02")
    assert "<td>1</td><td>0</td><td>0</td> <td>0 min</td><td>30 s</td>" in row("day-2026-11-04")
    assert "<td>0</td><td>0</td><td>0</td> <td>0 min</td><td>–</td>" in row("day-2026-11-03")
    assert "<td>3</td><td>1</td><td>1</td> <td>2 min</td><td>40 s</td>" in row("week-2026-W45")
    assert "<td>1</td><td>0</td><td>0</td> <td>1 min</td><td>60 s</td>" in row("week-2026-W46")
    assert html.count("Write a haiku about autumn") == 4  # the latest answers
    other = client.get("/me/work/history?project=999999")
    assert other.status_code == 404


def test_admin_closes_a_batch_and_raters_get_nothing_until_it_reopens(
    app, client, auth, now, tmp_path
):
    from portal.models import AuditEvent
    from portal.work import queue

    project = live_project()
    batch = batch_of(project, tmp_path, 2, overlap=1)
    _, assignment = factories.make_contractor(project=project)
    db.session.commit()
    held = queue.claim_next(assignment.applicant_id, project.id)
    auth.as_role("admin")
    page = client.get(f"/admin/work/batches/{batch.id}")
    assert b"Close the batch" in page.data
    closed = client.post(f"/admin/work/batches/{batch.id}/status", data={"status": "closed"})
    assert closed.status_code == 302
    assert b"Reopen the batch" in client.get(f"/admin/work/batches/{batch.id}").data
    db.session.refresh(batch)
    assert batch.status == "closed"
    # The task already held can still be answered; no new one is handed out.
    queue.submit(held.id, assignment.applicant_id, {"choice": 1, "rationale": "ok"})
    assert queue.claim_next(assignment.applicant_id, project.id) is None
    client.post(f"/admin/work/batches/{batch.id}/status", data={"status": "open"})
    assert queue.claim_next(assignment.applicant_id, project.id) is not None
    actions = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.subject_type == "task_batch")
    ).all()
    assert "work.batch_closed" in actions and "work.batch_reopened" in actions
    bad = client.post(f"/admin/work/batches/{batch.id}/status", data={"status": "gone"})
    assert bad.status_code == 302
