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
