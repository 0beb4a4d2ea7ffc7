"""Uploads of the parser's labelled fixtures and hostile files, end to end through the pages."""

import io
import json
from pathlib import Path

import pytest
from markupsafe import escape
from sqlalchemy import select

from portal.extensions import db
from portal.models import Resume

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "resumes"


@pytest.fixture
def app_config():
    return {"RESUME_PARSE_SANDBOX": False}


def upload(client, path: Path, name: str | None = None):
    return client.post(
        "/me/resume",
        data={"resume": (io.BytesIO(path.read_bytes()), name or path.name)},
        content_type="multipart/form-data",
    )


def current(user) -> Resume:
    return db.session.scalar(
        select(Resume).where(Resume.applicant_id == user.applicant.id, Resume.is_current)
    )


@pytest.mark.parametrize(
    ("fixture", "kind"),
    [("02_emily_sidebar.pdf", "pdf"), ("13_sarah_docx.docx", "docx"), ("05_aoife_txt.txt", "txt")],
)
def test_fixture_upload_prefills_the_form(client, auth, fixture, kind):
    user = auth.as_role("applicant", applicant={"full_name": ""})
    path = FIXTURES / fixture
    expected = json.loads(path.with_name(path.stem + ".expected.json").read_text())
    assert upload(client, path).status_code == 302
    resume = current(user)
    assert (resume.kind, resume.status) == (kind, "parsed")
    page = client.get("/me/profile").get_data(as_text=True)
    assert f'value="{escape(expected["name"])}"' in page
    assert f'value="{escape(expected["experience"][0]["company"])}"' in page


def test_pdf_named_docx_is_read_as_pdf(client, auth):
    user = auth.as_role("applicant")
    upload(client, FIXTURES / "01_jose_single.pdf", "cv.docx")
    assert current(user).kind == "pdf" and current(user).status == "parsed"


@pytest.mark.parametrize(
    ("hostile", "reason"),
    [
        ("encrypted.pdf", "password-protected"),
        ("scanned.pdf", "scanned image"),
        ("corrupt.docx", ""),
        ("blank.pdf", ""),
    ],
)
def test_unreadable_files_fail_with_a_reason_and_leave_the_form_usable(
    client, auth, hostile, reason
):
    user = auth.as_role("applicant")
    upload(client, FIXTURES / "hostile" / hostile)
    resume = current(user)
    assert resume.status == "failed" and reason in resume.error and resume.error.endswith(".")
    assert str(escape(resume.error)) in client.get("/me/resume").get_data(as_text=True)
    data = {"action": "draft", "city": "Leeds", "skills": "Python"}
    assert client.post("/me/profile", data=data).status_code == 302
    assert user.applicant.skills == ["Python"]


def test_random_bytes_are_refused_at_upload(client, auth):
    user = auth.as_role("applicant")
    response = upload(client, FIXTURES / "hostile" / "random.bin", "resume.pdf")
    assert response.status_code == 422
    assert current(user) is None
