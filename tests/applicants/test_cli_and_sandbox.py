"""`flask parse-resume` and the sandboxed parse behind the Celery task (a real child process)."""

import io
import json

from sqlalchemy import select

from portal.extensions import db
from portal.models import Resume
from tests.applicants import samples

KEYS = {
    "name",
    "email",
    "phone",
    "location",
    "links",
    "skills",
    "experience",
    "education",
    "years_experience",
    "languages",
    "domains",
    "labelling",
}


def test_parse_resume_json_contract(app, tmp_path):
    path = tmp_path / "jane.docx"
    path.write_bytes(samples.docx_resume())
    result = app.test_cli_runner().invoke(args=["parse-resume", str(path), "--json"])
    assert result.exit_code == 0, result.output
    parsed = json.loads(result.output)
    assert set(parsed) == KEYS | {"confidence"}
    assert set(parsed["confidence"]) == KEYS
    assert parsed["phone"] == "+442079460958"
    assert parsed["experience"][0] == {
        "title": "Senior Software Engineer",
        "company": "Acme Ltd",
        "start": "2019-01",
        "end": None,
    }
    assert parsed["education"] == [
        {"degree": "BSc Computer Science", "school": "University of Leeds", "year": 2015}
    ]


def test_parse_resume_human_summary(app, tmp_path):
    path = tmp_path / "jane.txt"
    path.write_bytes(samples.text_resume())
    result = app.test_cli_runner().invoke(args=["parse-resume", str(path)])
    assert result.exit_code == 0
    assert "Jane Q. Doe" in result.output and "Acme Ltd" in result.output


def test_unreadable_file_exits_non_zero_with_error_json(app, tmp_path):
    path = tmp_path / "broken.pdf"
    path.write_bytes(samples.corrupt_pdf())
    result = app.test_cli_runner().invoke(args=["parse-resume", str(path), "--json"])
    assert result.exit_code != 0
    error = json.loads(result.stdout)["error"]
    assert "damaged" in error


def test_upload_parses_in_the_sandbox(client, auth):
    user = auth.as_role("applicant")
    for data, name in ((samples.pdf_resume(), "cv.pdf"), (samples.corrupt_pdf(), "bad.pdf")):
        client.post(
            "/me/resume",
            data={"resume": (io.BytesIO(data), name)},
            content_type="multipart/form-data",
        )
    good, bad = db.session.scalars(
        select(Resume).where(Resume.applicant_id == user.applicant.id).order_by(Resume.id)
    )
    assert good.status == "parsed" and good.parsed["name"] == "Jane Q. Doe"
    assert good.pages == 1 and good.text and good.confidence["email"] > 0.9
    assert bad.status == "failed" and "damaged" in bad.error
