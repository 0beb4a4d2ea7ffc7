import json

from click.testing import CliRunner

from portal.resumes.cli import parse_resume_command

from .scoring import FIXTURES


def test_json_output_is_exactly_the_schema():
    result = CliRunner().invoke(
        parse_resume_command, [str(FIXTURES / "05_aoife_txt.txt"), "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    fields = ["name", "email", "phone", "location", "links", "skills", "experience",
              "education", "years_experience", "languages", "domains", "labelling"]  # fmt: skip
    assert list(data) == [*fields, "confidence"]
    assert list(data["confidence"]) == fields
    assert all(0.0 <= c <= 1.0 for c in data["confidence"].values())
    assert set(data["labelling"]) == {"months", "platforms"}
    assert data["name"] == "Aoife Ní Bhriain"
    assert "Ní Bhriain" in result.output  # ensure_ascii=False


def test_summary_output():
    result = CliRunner().invoke(parse_resume_command, [str(FIXTURES / "13_sarah_docx.docx")])
    assert result.exit_code == 0, result.output
    assert "Sarah O'Connor" in result.output
    assert "Engineering Manager, HubSpot" in result.output


def test_unreadable_file_exits_1_with_json_error():
    result = CliRunner().invoke(
        parse_resume_command, [str(FIXTURES / "hostile" / "scanned.pdf"), "--json"]
    )
    assert result.exit_code == 1
    assert json.loads(result.output) == {
        "error": "This PDF is a scanned image; upload a PDF with selectable text or a DOCX."
    }


def test_unreadable_file_exits_1_with_message(tmp_path):
    empty = tmp_path / "x.docx"
    empty.write_bytes(b"")
    result = CliRunner().invoke(parse_resume_command, [str(empty)])
    assert result.exit_code == 1
    assert "empty" in result.output
