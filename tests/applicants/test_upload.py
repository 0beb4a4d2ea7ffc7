"""Resume upload: type by content, size limit, storage, history, reuse, downloads, the task."""

import hashlib
import io

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEvent, Resume
from portal.resumes import PARSER_VERSION
from portal.resumes import tasks as resume_tasks
from portal.storage import get_storage
from tests import factories
from tests.applicants import samples


@pytest.fixture
def app_config():
    # In-process parsing keeps these tests fast; test_sandbox.py covers the child process.
    return {"RESUME_PARSE_SANDBOX": False}


def upload(client, data: bytes, name: str = "resume.pdf"):
    return client.post(
        "/me/resume",
        data={"resume": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def resumes_of(user) -> list[Resume]:
    return list(
        db.session.scalars(
            select(Resume).where(Resume.applicant_id == user.applicant.id).order_by(Resume.id)
        )
    )


@pytest.mark.parametrize(
    ("make", "name", "kind"),
    [
        (samples.pdf_resume, "Jane Doe CV.pdf", "pdf"),
        (samples.docx_resume, "jane.docx", "docx"),
        (samples.text_resume, "jane.txt", "txt"),
    ],
)
def test_upload_parses_and_stores_by_content_hash(client, auth, make, name, kind):
    user = auth.as_role("applicant")
    data = make()
    response = upload(client, data, name)
    assert response.status_code == 302
    [resume] = resumes_of(user)
    assert resume.kind == kind
    assert resume.status == "parsed", resume.error
    assert resume.parsed["email"] == "jane.doe@example.org"
    assert resume.parsed["experience"][0]["company"] == "Acme Ltd"
    assert resume.parser_version == PARSER_VERSION
    assert resume.sha256 == hashlib.sha256(data).hexdigest()
    assert get_storage().path(resume.sha256).read_bytes() == data
    state = client.get("/me/resume/status").get_json()
    assert state["status"] == "parsed" and state["done"] is True


def test_type_comes_from_content_not_name(client, auth):
    user = auth.as_role("applicant")
    assert upload(client, samples.docx_resume(), "resume.pdf").status_code == 302
    [resume] = resumes_of(user)
    assert resume.kind == "docx"
    download = client.get(f"/resumes/{resume.id}/download")
    assert download.status_code == 200
    assert "resume.docx" in download.headers["Content-Disposition"]
    assert download.mimetype.endswith("wordprocessingml.document")


def test_program_renamed_pdf_is_refused(client, auth):
    user = auth.as_role("applicant")
    response = upload(client, samples.EXE, "resume.pdf")
    assert response.status_code == 422
    assert "PDF, Word (.docx) or plain-text" in response.get_data(as_text=True)
    assert resumes_of(user) == []


def test_no_file_says_so(client, auth):
    auth.as_role("applicant")
    response = client.post("/me/resume", data={}, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "Choose a resume file" in response.get_data(as_text=True)


def test_too_large_gets_a_friendly_page(app, client, auth):
    user = auth.as_role("applicant")
    app.config["WTF_CSRF_ENABLED"] = True  # as in production: CSRF reads the body first
    # A hand-built multipart body: the test client would spool a big file to an unclosed temp.
    boundary = "xyzzy"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="resume"; filename="big.pdf"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        + b"%PDF-1.4\n"
        + b"0" * (10 * 1024 * 1024)
        + f"\r\n--{boundary}--\r\n".encode()
    )
    response = client.post(
        "/me/resume", data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "larger than 10 MB" in page
    assert 'type="file"' in page  # the upload form is right there to try again
    assert resumes_of(user) == []
    app.config["WTF_CSRF_ENABLED"] = False
    auth.logout()
    app.config["WTF_CSRF_ENABLED"] = True
    anonymous = client.post(
        "/me/resume", data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )
    assert anonymous.status_code == 413
    assert "The limit is 10 MB" in anonymous.get_data(as_text=True)


def test_corrupt_pdf_fails_with_reason_and_form_stays_usable(client, auth):
    user = auth.as_role("applicant")
    upload(client, samples.corrupt_pdf(), "cv.pdf")
    [resume] = resumes_of(user)
    assert resume.status == "failed"
    assert "damaged" in resume.error
    page = client.get("/me/resume").get_data(as_text=True)
    assert "damaged" in page and "fill in the profile yourself" in page
    assert client.get("/me/profile").status_code == 200
    saved = client.post("/me/profile", data={"action": "draft", "city": "Leeds"})
    assert saved.status_code == 302
    assert user.applicant.city == "Leeds"


def test_reupload_reuses_parse_and_keeps_history(client, auth, monkeypatch):
    user = auth.as_role("applicant")
    calls = []
    real = resume_tasks._parse
    monkeypatch.setattr(resume_tasks, "_parse", lambda *a: calls.append(a) or real(*a))
    first, second = samples.text_resume(), samples.docx_resume()
    upload(client, first, "a.txt")
    upload(client, second, "b.docx")
    response = upload(client, first, "a-again.txt")
    assert response.status_code == 302
    assert len(calls) == 2  # the third upload reused the first parse
    rows = resumes_of(user)
    assert [r.filename for r in rows] == ["a.txt", "b.docx", "a-again.txt"]
    assert [r.is_current for r in rows] == [False, False, True]
    assert rows[2].status == "parsed" and rows[2].parsed == rows[0].parsed
    assert "already read this file" in client.get("/me/resume").get_data(as_text=True)
    history = client.get("/me/resume").get_data(as_text=True)
    assert "b.docx" in history and "a.txt" in history
    audit = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "resume.uploaded"))
    assert len(list(audit)) == 3


def test_download_only_for_owner_and_staff(client, auth):
    owner = auth.as_role("applicant")
    data = samples.text_resume()
    upload(client, data, "mine.txt")
    [resume] = resumes_of(owner)
    url = f"/resumes/{resume.id}/download"
    assert client.get(url).data == data

    for role, status in (("applicant", 404), ("recruiter", 200), ("admin", 200)):
        auth.logout()
        auth.as_role(role)
        assert client.get(url).status_code == status, role
    auth.logout()
    assert client.get(url).status_code == 302  # to sign-in


def test_status_endpoint_and_noscript_refresh_while_queued(client, auth):
    user = auth.as_role("applicant")
    resume = Resume(
        applicant_id=user.applicant.id,
        sha256=get_storage().save(b"plain text"),
        size=10,
        kind="txt",
        filename="cv.txt",
        status="pending",
    )
    db.session.add(resume)
    db.session.commit()
    state = client.get("/me/resume/status").get_json()
    assert state == {
        "id": resume.id,
        "status": "pending",
        "label": "Queued: waiting for the parser",
        "done": False,
        "error": None,
        "filename": "cv.txt",
    }
    page = client.get("/me/resume").get_data(as_text=True)
    assert '<meta http-equiv="refresh"' in page and "js/intake.js" in page
    resume_tasks.parse_resume_task.delay(resume.id)
    db.session.expire_all()  # the task committed in its own session
    assert client.get("/me/resume/status").get_json()["done"] is True
    assert '<meta http-equiv="refresh"' not in client.get("/me/resume").get_data(as_text=True)


def test_task_is_idempotent(app, monkeypatch):
    user = factories.make_user("applicant")
    resume = Resume(
        applicant_id=user.applicant.id,
        sha256=get_storage().save(samples.text_resume()),
        size=1,
        kind="txt",
        filename="cv.txt",
    )
    db.session.add(resume)
    db.session.commit()
    calls = []
    real = resume_tasks._parse
    monkeypatch.setattr(resume_tasks, "_parse", lambda *a: calls.append(a) or real(*a))
    assert resume_tasks.parse_resume_task.delay(resume.id).get() == "parsed"
    assert resume_tasks.parse_resume_task.delay(resume.id).get() == "parsed"
    assert len(calls) == 1
    assert resume_tasks.parse_resume_task.delay(99999).get() == "missing"


def test_unexpected_parser_error_ends_as_failed(app, monkeypatch):
    user = factories.make_user("applicant")
    resume = Resume(
        applicant_id=user.applicant.id,
        sha256=get_storage().save(b"text"),
        size=4,
        kind="txt",
        filename="cv.txt",
    )
    db.session.add(resume)
    db.session.commit()

    def boom(*args):
        raise RuntimeError("parser bug")

    monkeypatch.setattr(resume_tasks, "_parse", boom)
    assert resume_tasks.parse_resume_task.delay(resume.id).get() == "failed"
    db.session.expire_all()
    assert "went wrong" in db.session.get(Resume, resume.id).error


def test_dashboard_links_profile_step_and_shows_parse_status(client, auth):
    auth.as_role("applicant")
    page = client.get("/me/").get_data(as_text=True)
    assert 'href="/me/resume"' in page
    upload(client, samples.text_resume(), "cv.txt")
    page = client.get("/me/").get_data(as_text=True)
    assert 'href="/me/profile"' in page
    assert "resume parsed" in page


def test_a_lost_parse_is_queued_again_once_stale(client, auth):
    from datetime import timedelta

    from portal.models.base import utcnow

    user = auth.as_role("applicant")
    long_ago = utcnow() - timedelta(minutes=30)
    resume = Resume(
        applicant_id=user.applicant.id,
        sha256=get_storage().save(samples.text_resume()),
        size=1,
        kind="txt",
        filename="cv.txt",
        status="parsing",  # its web process died mid-parse
        uploaded_at=long_ago,
        queued_at=long_ago,
    )
    db.session.add(resume)
    db.session.commit()
    state = client.get("/me/resume/status").get_json()
    assert state["status"] == "parsed"


def test_a_recent_parse_is_left_alone(client, auth):
    user = auth.as_role("applicant")
    db.session.add(
        Resume(
            applicant_id=user.applicant.id,
            sha256=get_storage().save(samples.text_resume()),
            size=1,
            kind="txt",
            filename="cv.txt",
            status="parsing",
        )
    )
    db.session.commit()
    assert client.get("/me/resume/status").get_json()["status"] == "parsing"
