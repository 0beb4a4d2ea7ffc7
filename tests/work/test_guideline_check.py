"""A guideline change on a live project pauses each rater's queue until they acknowledge the new
version and pass its short check; judgements record the version they were made under."""

import pytest
from sqlalchemy import select

from portal import guideline_checks
from portal.extensions import db
from portal.models import Applicant, AuditEvent, Judgement, Project
from portal.projects.services.guidelines import publish_guideline, record_acknowledgement
from portal.work import queue
from tests.work.helpers import batch_of, live_project, rater

CHECK = """
Q: A response says <nooutput>. What do you do?
- Rank it last
- Flag it as broken *
Q: Two responses differ only by punctuation. Which wins?
- The one with commas
- It is a tie *
Q: Do you need a rationale for a tie?
- Yes *
- No
"""


def test_the_check_text_parses_and_every_error_is_listed_with_its_line():
    items = guideline_checks.parse(CHECK)
    assert [i["answer"] for i in items] == [1, 1, 0]
    assert guideline_checks.parse(guideline_checks.as_text(items)) == items
    assert guideline_checks.parse("") == []
    with pytest.raises(guideline_checks.CheckError) as caught:
        guideline_checks.parse("- orphan\nQ: One?\n- a\nQ: Two?\n- a *\n- b *\nnonsense")
    errors = " | ".join(caught.value.errors)
    for expected in ("Line 1", "second right answer", "Line 7", "at least two options"):
        assert expected in errors
    assert "Write 3 to 5 questions (there are 2)" in errors


def _live(tmp_path) -> tuple[Project, Applicant, int]:
    project = live_project()
    batch_of(project, tmp_path, 6, overlap=1)
    a = rater(project)
    db.session.commit()
    v1 = publish_guideline(project, title="Rules", body_md="# Rules", changelog=None, actor=None)
    applicant = db.session.get(Applicant, a.applicant_id)
    record_acknowledgement(applicant, v1)
    db.session.commit()
    return project, applicant, a.id


def test_a_new_version_on_a_live_project_needs_its_check(app, now, tmp_path):
    project, _, _ = _live(tmp_path)
    with pytest.raises(guideline_checks.CheckError, match="check questions"):
        publish_guideline(project, title="Rules v2", body_md="# v2", changelog="x", actor=None)


def test_the_queue_waits_until_the_rater_passes_the_check(app, client, auth, now, tmp_path):
    project, applicant, _ = _live(tmp_path)
    assert queue.claim_next(applicant.id, project.id) is not None  # works under v1
    queue.skip(queue.open_claim(applicant.id, project.id).id, applicant.id, "later")
    v2 = publish_guideline(
        project,
        title="Rules v2",
        body_md="# Ties\n\nA tie needs a reason.",
        changelog="Ties need a reason",
        actor=None,
        check_items=guideline_checks.parse(CHECK),
    )
    with pytest.raises(queue.WorkRefused, match="guidelines changed .*short check"):
        queue.claim_next(applicant.id, project.id)

    auth.login(applicant.user.email)
    assert "Read the guidelines" in client.get("/me/work/").get_data(as_text=True)
    url = f"/me/offers/guidelines/{project.id}"
    page = client.get(url).get_data(as_text=True)
    assert 'data-testid="check-2"' in page and "Do you need a rationale for a tie?" in page
    wrong = client.post(
        url, data={"guideline_id": v2.id, "confirm": "y", "q0": "1", "q1": "0", "q2": "0"}
    )
    assert wrong.status_code == 422
    body = wrong.get_data(as_text=True)
    assert "question(s) 2 need another look" in body
    assert 'value="1"\n            checked' in body or 'value="1" checked' in body.replace(
        "\n            ", " "
    )  # what was chosen stays chosen
    failed = db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "guideline.check_failed")
    )
    assert failed is not None and failed.details["wrong"] == [2]
    with pytest.raises(queue.WorkRefused):
        queue.claim_next(applicant.id, project.id)

    right = client.post(
        url, data={"guideline_id": v2.id, "confirm": "y", "q0": "1", "q1": "1", "q2": "0"}
    )
    assert right.status_code == 302
    claim = queue.claim_next(applicant.id, project.id)
    queue.submit(claim.id, applicant.id, {"choice": -2, "rationale": "A fits the form."})
    judgement = db.session.scalar(select(Judgement).order_by(Judgement.id.desc()))
    assert judgement.guideline_version == 2


def test_the_admin_form_keeps_the_text_and_shows_the_check_errors(app, client, auth, now, tmp_path):
    project, _, _ = _live(tmp_path)
    auth.as_role("admin")
    data = {"title": "Rules v2", "changelog": "Ties", "body_md": "# Ties", "check": "Q: Only?"}
    response = client.post(f"/admin/projects/{project.id}/guidelines", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "give at least two options" in page and "Write 3 to 5 questions" in page
    assert "Q: Only?" in page and 'value="Rules v2"' in page
    data["check"] = CHECK
    assert client.post(f"/admin/projects/{project.id}/guidelines", data=data).status_code == 302
