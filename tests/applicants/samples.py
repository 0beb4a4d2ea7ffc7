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
    """A one-page PDF with selectable Helvetica text (enough for pdfminer)."""

    def esc(s: str) -> str:
        return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    ops = ["BT", "/F1 11 Tf", "14 TL", "72 760 Td"]
    for line in lines:
        ops.append(f"({esc(line)}) Tj T*")
    ops.append("ET")
    stream = "\n".join(ops).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % i + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    size = len(objects) + 1
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref))
    return out.getvalue()


def corrupt_pdf() -> bytes:
    return b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n" + b"\x00garbage" * 50


EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200
