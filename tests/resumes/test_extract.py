import io
import shutil
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml

from portal.resumes import detect_kind, extract, parse_resume_detailed
from portal.resumes.extract import extract_docx, normalize_text

from .scoring import FIXTURES, TODAY


def _docx_bytes(build) -> bytes:
    d = docx.Document()
    build(d)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_detect_kind_from_content_not_name(tmp_path: Path):
    pdf = (FIXTURES / "01_jose_single.pdf").read_bytes()
    word = (FIXTURES / "04_liming_docx.docx").read_bytes()
    assert detect_kind(pdf) == "pdf"
    assert detect_kind(word) == "docx"
    assert detect_kind("José, 李明\nresume".encode()) == "txt"
    assert detect_kind("Müller".encode("latin-1")) == "txt"
    assert detect_kind(b"\x00\x01\x02binary\x00") is None
    assert detect_kind(b"") is None
    # A zip that is not a Word document.
    buf = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("hello.txt", "hi")
    assert detect_kind(buf.getvalue()) is None
    # The name lies; the content decides.
    liar = tmp_path / "resume.pdf"
    shutil.copy(FIXTURES / "04_liming_docx.docx", liar)
    parsed = parse_resume_detailed(liar, today=TODAY)
    assert parsed.kind == "docx"
    assert parsed.fields["name"] == "李明"


def test_nfkc_undoes_ligatures_and_odd_spaces():
    assert normalize_text("jose@ofﬁce.com\u00a0 |\u2009x\r\n") == "jose@office.com | x"


def test_docx_reads_tables_nested_tables_text_boxes_headers_in_order():
    def build(d):
        d.sections[0].header.paragraphs[0].text = "Header Person"
        d.sections[0].footer.paragraphs[0].text = "footer@example.com"
        d.add_paragraph("Before table")
        outer = d.add_table(rows=1, cols=2)
        outer.rows[0].cells[0].text = "Cell A"
        inner = outer.rows[0].cells[1].add_table(rows=1, cols=1)
        inner.rows[0].cells[0].text = "Nested cell"
        para = d.add_paragraph("Host paragraph")
        box = (
            '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
            'xmlns:v="urn:schemas-microsoft-com:vml"><w:pict><v:shape><v:textbox>'
            "<w:txbxContent><w:p><w:r><w:t>Inside text box</w:t></w:r></w:p></w:txbxContent>"
            "</v:textbox></v:shape></w:pict></w:r>"
        )
        para._p.append(parse_xml(box))
        d.add_paragraph("After")

    lines = [ln for ln in extract_docx(_docx_bytes(build)).split("\n") if ln]
    assert lines[:2] == ["Header Person", "footer@example.com"]
    body = lines[2:]
    assert body.index("Before table") < body.index("Host paragraph") < body.index("After")
    assert "Cell A\tNested cell" in body  # a row of one-line cells reads as one line
    assert body.index("Host paragraph") < body.index("Inside text box") < body.index("After")


def test_docx_text_box_alternate_content_read_once():
    ns = (
        'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
        'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
        'xmlns:v="urn:schemas-microsoft-com:vml"'
    )
    tb = "<w:txbxContent><w:p><w:r><w:t>Boxed</w:t></w:r></w:p></w:txbxContent>"
    xml = (
        f'<w:r {ns}><mc:AlternateContent><mc:Choice Requires="wps"><wps:txbx>{tb}</wps:txbx>'
        f"</mc:Choice><mc:Fallback><w:pict><v:textbox>{tb}</v:textbox></w:pict></mc:Fallback>"
        "</mc:AlternateContent></w:r>"
    )

    def build(d):
        d.add_paragraph("x")._p.append(parse_xml(xml))

    assert extract_docx(_docx_bytes(build)).count("Boxed") == 1


@pytest.mark.parametrize(
    "stem", ["02_emily_sidebar", "07_lucas_sidebar_top", "24_ahmed_table", "01_jose_single"]
)
def test_pdf_layouts_keep_rows_and_columns_apart(stem):
    parsed = parse_resume_detailed(FIXTURES / f"{stem}.pdf", today=TODAY)
    lines = parsed.text.split("\n")
    job = parsed.fields["experience"][0]
    # Title, company and dates of the first job end up on one line or adjacent lines.
    at = [i for i, ln in enumerate(lines) if job["company"] in ln][0]
    window = "\n".join(lines[max(0, at - 1) : at + 2])
    assert job["title"] in window
    assert parsed.kind == "pdf" and parsed.pages == 1


def test_detailed_result_shape():
    parsed = parse_resume_detailed(FIXTURES / "01_jose_single.pdf", today=TODAY)
    assert set(parsed.confidence) == set(parsed.fields)
    assert all(0.0 <= v <= 1.0 for v in parsed.confidence.values())
    assert parsed.confidence["email"] > 0.9
    assert "Acme Corp" in parsed.text


def test_max_pages_caps_the_pages_read():
    path = FIXTURES / "37_oskar_twopage.pdf"
    full = parse_resume_detailed(path, today=TODAY)
    assert full.pages == 2
    assert full.fields["education"]
    first = parse_resume_detailed(path, today=TODAY, max_pages=1)
    assert first.pages == 1
    assert first.fields["education"] == []
    assert first.fields["experience"] == full.fields["experience"]


def test_pdf_fonts_without_unicode_maps_are_reported(monkeypatch):
    from portal.resumes import ResumeError

    garbage = "(cid:12)(cid:7)(cid:99) (cid:3)(cid:4)\n" * 20
    monkeypatch.setattr(extract, "extract_pdf", lambda data, **_: (garbage, 1))
    with pytest.raises(ResumeError) as err:
        extract.extract(b"%PDF-1.4 whatever", max_pages=20)
    assert err.value.code == "no_cmap"


def test_link_targets_of_docx_hyperlinks_and_pdf_annotations_are_found():
    docx_links = parse_resume_detailed(FIXTURES / "39_peter_docx_hyperlinks.docx").fields
    assert docx_links["links"] == ["https://linkedin.com/in/peternovak"]
    pdf = parse_resume_detailed(FIXTURES / "36_wei_anchor_links.pdf").fields
    assert pdf["links"] == ["https://linkedin.com/in/weizhang", "https://github.com/weizhang"]


def test_cp1252_text_with_crlf():
    parsed = parse_resume_detailed(FIXTURES / "40_rene_txt_cp1252.txt", today=TODAY)
    assert parsed.kind == "txt"
    assert parsed.fields["name"] == "René Lefèvre"
    assert "\r" not in parsed.text


def test_docx_layout_table_with_sidebar_reads_cell_by_cell(tmp_path: Path):
    def build(d):
        t = d.add_table(rows=1, cols=2)
        side, main = t.rows[0].cells
        side.paragraphs[0].text = "CONTACT"
        for line in ["kim@example.com", "+44 20 7946 0958", "SKILLS", "Go", "Rust"]:
            side.add_paragraph(line)
        main.paragraphs[0].text = "Kim Lee"
        for line in ["EXPERIENCE", "Platform Engineer, Monzo Bank", "Jan 2020 – Present",
                     "EDUCATION", "BSc Computing, Imperial College London, 2019"]:  # fmt: skip
            main.add_paragraph(line)

    path = tmp_path / "cv.docx"
    path.write_bytes(_docx_bytes(build))
    got = parse_resume_detailed(path, today=TODAY).fields
    assert got["name"] == "Kim Lee"
    assert got["skills"] == ["Go", "Rust"]
    assert got["experience"] == [
        {"title": "Platform Engineer", "company": "Monzo Bank", "start": "2020-01", "end": None}
    ]
    assert got["phone"] == "+442079460958"
