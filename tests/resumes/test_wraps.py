"""Lines that wrapped in a narrow cell or column are joined back; lines of their own are not."""

from pathlib import Path

from portal.resumes.extract import extract
from portal.resumes.parser import parse_bytes
from tests.applicants import samples

FAMILIES = Path(__file__).resolve().parents[1] / "fixtures" / "resumes" / "eval" / "families"


def test_a_link_under_a_long_contact_line_stays_a_line_of_its_own():
    text = extract(samples.pdf_resume()).text
    assert "https://github.com/janedoe" in text.split("\n")
    assert parse_bytes(samples.pdf_resume()).fields["location"] == "London, United Kingdom"


def test_a_degree_whose_parenthesis_wrapped_is_read_whole():
    doc = FAMILIES / "two_column__fpdf2__14.pdf"
    lines = extract(doc.read_bytes()).text.split("\n")
    assert "M.Sc. in Computer Science (Distributed Systems)" in lines
    degrees = [e["degree"] for e in parse_bytes(doc.read_bytes()).fields["education"]]
    assert "M.Sc. in Computer Science (Distributed Systems)" in degrees


def test_a_table_cell_wrapped_beside_a_centred_cell_reads_as_one_row():
    doc = FAMILIES / "tables__lo-pdf__37.pdf"
    lines = extract(doc.read_bytes()).text.split("\n")
    assert "2025-03 – Now\tPrimary School Teacher\tBanco Meridional" in lines
