"""Small resumes built in the test: DOCX via python-docx, plain text, and a hand-written PDF."""

import io

RESUME_LINES = [
    "Jane Q. Doe",
    "jane.doe@example.org | +44 20 7946 0958 | London, United Kingdom",
    "https://github.com/janedoe",
    "",
    "Experience",
    "Senior Software Engineer, Acme Ltd",
    "Jan 2019 - Present",
    "Software Engineer, Widgets plc",
    "Jun 2015 - Dec 2018",
    "",
    "Education",
    "BSc Computer Science, University of Leeds, 2015",
    "",
    "Skills",
    "Python, SQL, Kubernetes",
]


def text_resume() -> bytes:
    return ("\n".join(RESUME_LINES) + "\n").encode()


def docx_resume() -> bytes:
    from docx import Document

    doc = Document()
    for line in RESUME_LINES:
        doc.add_paragraph(line)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def pdf_resume(lines: list[str] = RESUME_LINES) -> bytes:
    """A one-page PDF with selectable text (the same writer the demo seeder uses)."""
    from portal.demo.resumes import render_pdf

    return render_pdf(lines)


def corrupt_pdf() -> bytes:
    return b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n" + b"\x00garbage" * 50


EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200
