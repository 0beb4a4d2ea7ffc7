"""Privacy export and anonymisation; who may see what, by direct URL too."""

import json

from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEvent, Note, OutboxEmail, Resume, User
from portal.models.base import utcnow
from portal.recruiters.filters import Filters, export_rows
from portal.storage import get_storage
from tests import factories
from tests.factories import make_listed_candidate as candidate


def test_applicant_downloads_their_data_without_recruiter_notes(client, auth):
    user = auth.as_role("applicant", name="Ana Lima")
    a = user.applicant
    a.skills = ["Contract law"]
    db.session.add(Resume(applicant_id=a.id, sha256="a" * 64, size=5, kind="txt",
                          filename="cv.txt", text="Leases and torts"))  # fmt: skip
    db.session.add(Note(applicant_id=a.id, body="Internal: salary expectations high"))
    db.session.commit()
    response = client.get("/me/privacy/export.json")
    assert response.status_code == 200
    data = json.loads(response.get_data(as_text=True))
    assert data["account"]["email"] == user.email
    assert data["profile"]["skills"] == ["Contract law"]
    assert data["resumes"][0]["text"] == "Leases and torts"
    assert "salary expectations" not in response.get_data(as_text=True)


def test_deletion_anonymises_but_keeps_rows_and_audit(client, auth, app, tmp_path):
    user = auth.as_role("applicant", name="Ana Lima", email="ana@example.org")
    a = user.applicant
    a.full_name, a.phone, a.city, a.stage = "Ana Lima", "+5511999990000", "Recife", "shortlisted"
    stored = get_storage().path("b" * 64)
    stored.parent.mkdir(parents=True, exist_ok=True)
    stored.write_text("Ana Lima resume")
    db.session.add(Resume(applicant_id=a.id, sha256="b" * 64, size=15, kind="txt",
                          filename="ana.txt", text="Ana Lima, lawyer in Recife"))  # fmt: skip
    db.session.add(Note(applicant_id=a.id, body="Ana's phone is +5511999990000"))
    db.session.add(OutboxEmail(to=user.email, subject="Hi", body="Dear Ana", applicant_id=a.id))
    db.session.commit()
    applicant_id, user_id = a.id, user.id

    wrong = client.post("/me/privacy/delete", data={"confirm": "delete", "password": "x"})
    assert wrong.status_code == 422

    response = client.post(
        "/me/privacy/delete", data={"confirm": "DELETE", "password": factories.PASSWORD}
    )
    assert response.status_code == 302
    db.session.expire_all()
    user = db.session.get(User, user_id)
    a = user.applicant
    assert user.email.endswith("@deleted.invalid") and not user.active
    assert a.full_name == f"Deleted applicant #{applicant_id}" and a.phone is None
    assert a.stage == "shortlisted" and a.deleted_at is not None  # aggregates keep the row
    resume = db.session.scalar(select(Resume).where(Resume.applicant_id == applicant_id))
    assert resume.text is None and not stored.exists()
    assert "+55" not in db.session.scalar(select(Note.body))
    assert db.session.scalar(select(OutboxEmail.body)) != "Dear Ana"
    assert (
        db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "privacy.anonymised")
        ).applicant_id
        == applicant_id
    )
    # Gone from search, including text that used to be in the index.
    assert list(export_rows(Filters(q="recife"), utcnow(), db.engine.dialect.name, 10)) == []
    assert list(export_rows(Filters(), utcnow(), db.engine.dialect.name, 10)) == []
    assert a.search_index is None  # no index row: nor in the live counts of the dashboard
    assert client.get("/me/").status_code == 302  # signed out
    assert auth.login("ana@example.org").status_code != 302  # and cannot sign in again


def test_applicant_cannot_reach_recruiter_pages_or_others_data(client, auth):
    other = candidate(full_name="Other Person", resume_text="secret resume")
    db.session.add(Note(applicant_id=other.id, body="private note"))
    resume = db.session.scalar(select(Resume).where(Resume.applicant_id == other.id))
    db.session.commit()
    auth.as_role("applicant")
    for path in (
        "/recruiter/",
        "/recruiter/candidates",
        f"/recruiter/candidates/{other.id}",
        "/recruiter/candidates.csv",
        "/recruiter/templates",
        "/recruiter/board",
    ):
        assert client.get(path).status_code == 403, path
    assert client.post(f"/recruiter/candidates/{other.id}/notes",
                       data={"note-body": "x"}).status_code == 403  # fmt: skip
    # The download route never serves someone else's resume (nor says it exists).
    assert client.get(f"/resumes/{resume.id}/download").status_code == 404
    assert "private note" not in client.get("/me/privacy/export.json").get_data(as_text=True)


def test_recruiter_sees_candidates_but_not_admin_or_payouts(client, auth):
    auth.as_role("recruiter")
    a = candidate(full_name="Ana Lima")
    assert client.get(f"/recruiter/candidates/{a.id}").status_code == 200
    for path in ("/admin/", "/admin/users", "/admin/outbox", "/admin/audit", "/me/privacy/"):
        assert client.get(path).status_code == 403, path
    # Payouts are the admin's (/admin/payouts) and the contractor's own (/me/payments/).
    for path in ("/admin/payouts", "/admin/payouts/reconcile", "/me/payments/"):
        assert client.get(path).status_code == 403, path


def test_admin_can_use_the_workspace(client, auth):
    auth.as_role("admin")
    assert client.get("/recruiter/candidates").status_code == 200
    assert client.get("/recruiter/templates").status_code == 200


def test_candidate_page_links_the_current_resume_download(client, auth):
    a = candidate(full_name="Ana Lima", resume_text="Drafted commercial leases.")
    resume = db.session.scalar(select(Resume).where(Resume.applicant_id == a.id))
    stored = get_storage().path(resume.sha256)
    stored.parent.mkdir(parents=True, exist_ok=True)
    stored.write_text("the file")
    auth.as_role("recruiter")
    page = client.get(f"/recruiter/candidates/{a.id}").get_data(as_text=True)
    link = f'href="/resumes/{resume.id}/download"'
    assert link in page and "Drafted commercial leases." in page  # parsed text inline
    with client.get(f"/resumes/{resume.id}/download") as response:
        assert response.status_code == 200 and response.get_data() == b"the file"
    stored.unlink()  # e.g. anonymised: a 404, not a server error
    assert client.get(f"/resumes/{resume.id}/download").status_code == 404
