"""Demo resumes: a generated DOCX or PDF per demo applicant, parsed, and profiles filled from it."""

import io
from collections.abc import Iterator
from datetime import date, timedelta

import phonenumbers
from sqlalchemy import select

from portal.applicants.countries import COUNTRIES
from portal.demo.people import APPLICANTS
from portal.extensions import db
from portal.models import Applicant, Resume, User
from portal.resumes import PARSER_VERSION, ResumeError, parse_resume_detailed
from portal.storage import get_storage

# domain -> two jobs (title, company) and a degree, most recent first
CAREERS = {
    "software engineering": (
        [("Senior Software Engineer", "Paystack"), ("Software Engineer", "Andela")],
        "BSc Computer Science",
    ),
    "mathematics": (
        [("Mathematics Lecturer", "Humboldt University"), ("Research Assistant", "Zuse Institute")],
        "MSc Mathematics",
    ),
    "law": ([("Associate", "Creel Abogados"), ("Legal Analyst", "Baker McKenzie")], "LLB Law"),
    "finance": (
        [("Financial Analyst", "Bank Leumi"), ("Junior Analyst", "Deloitte")],
        "BA Economics",
    ),
    "medicine": (
        [("Clinical Research Associate", "KEMRI"), ("Medical Officer", "Aga Khan Hospital")],
        "MBChB Medicine",
    ),
    "creative writing": (
        [("Senior Copy Editor", "Penguin Random House"), ("Staff Writer", "Texas Monthly")],
        "MFA Creative Writing",
    ),
    "education": (
        [("Curriculum Designer", "Ashesi University"), ("Teacher", "Accra Academy")],
        "BEd Education",
    ),
}
UNIVERSITIES = {
    "NG": "University of Lagos",
    "DE": "Technical University of Munich",
    "IN": "IIT Madras",
    "MX": "UNAM",
    "IL": "Tel Aviv University",
    "KE": "University of Nairobi",
    "US": "University of Texas at Austin",
    "JP": "Osaka University",
    "FR": "Université Claude Bernard Lyon 1",
    "CA": "University of Toronto",
    "BG": "Sofia University",
    "GH": "University of Ghana",
}


def resume_lines(applicant: Applicant, email: str, today: date | None = None) -> list[str]:
    """A plausible one-page resume for a demo applicant."""
    today = today or date.today()
    years = applicant.years_experience or 3.0
    jobs, degree = CAREERS.get(
        (applicant.domains or ["software engineering"])[0], CAREERS["software engineering"]
    )
    example = phonenumbers.example_number_for_type(
        applicant.country, phonenumbers.PhoneNumberType.MOBILE
    )
    phone = phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    handle = email.split("@")[0]
    split = today - timedelta(days=int(365 * years * 0.55))
    begin = today - timedelta(days=int(365 * years))
    grad = begin.year if begin.month > 6 else begin.year - 1
    return [
        applicant.full_name,
        f"{email} | {phone} | {applicant.city}, {COUNTRIES[applicant.country]}",
        f"https://www.linkedin.com/in/{handle}-demo",
        "",
        "Professional Experience",
        f"{jobs[0][0]}, {jobs[0][1]}",
        f"{split:%b %Y} - Present",
        f"{jobs[1][0]}, {jobs[1][1]}",
        f"{begin:%b %Y} - {split - timedelta(days=31):%b %Y}",
        "",
        "Education",
        f"{degree}, {UNIVERSITIES.get(applicant.country, 'Open University')}, {grad}",
        "",
        "Skills",
        ", ".join(applicant.skills or ["Writing"]),
    ]


def render_docx(lines: list[str]) -> bytes:
    from docx import Document
    from docx.shared import Pt

    doc = Document()
    for i, line in enumerate(lines):
        paragraph = doc.add_paragraph(line)
        if i == 0 and paragraph.runs:
            paragraph.runs[0].bold = True
            paragraph.runs[0].font.size = Pt(16)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def render_pdf(lines: list[str]) -> bytes:
    """A one-page PDF with selectable text in Helvetica (WinAnsi: Latin-1 names only)."""

    def esc(s: str) -> str:
        return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    ops = ["BT", "/F1 11 Tf", "14 TL", "72 760 Td"]
    ops += [f"({esc(line)}) Tj T*" for line in lines]
    ops.append("ET")
    stream = "\n".join(ops).encode("cp1252", errors="replace")
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
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    size = len(objects) + 1
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % size)
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref))
    return out.getvalue()


def _fill_profile(applicant: Applicant, parsed: dict) -> None:
    """Demo applicants past `applied` submitted a profile; fill what the parse gives."""
    applicant.phone = applicant.phone or parsed.get("phone")
    applicant.links = applicant.links or parsed.get("links") or []
    applicant.experience = applicant.experience or parsed.get("experience") or []
    applicant.education = applicant.education or parsed.get("education") or []
    applicant.languages = applicant.languages or [
        lang for lang in parsed.get("languages") or [] if lang.get("level")
    ]
    applicant.domains = applicant.domains or parsed.get("domains") or []
    if applicant.earliest_start is None:
        applicant.earliest_start = applicant.stage_changed_at.date() + timedelta(days=14)
    if not applicant.labelling_experience and applicant.id % 2:
        applicant.labelling_experience = [
            {"kind": "content evaluation", "platforms": "Search quality rating", "months": 8}
        ]


def seed_resumes() -> Iterator[str]:
    storage = get_storage()
    created = 0
    # The named demo people only: the recruiting demo's generated crowd brings its own resumes
    # (it runs later, so matching every @demo.example address would differ on a second run).
    named = [email for _, email, *_ in APPLICANTS]
    rows = db.session.execute(
        select(Applicant, User.email).join(User).where(User.email.in_(named)).order_by(User.id)
    ).all()
    for index, (applicant, email) in enumerate(rows):
        exists = db.session.scalar(select(Resume.id).where(Resume.applicant_id == applicant.id))
        if exists is not None or not applicant.country:
            continue
        lines = resume_lines(applicant, email)
        kind = "pdf" if index % 2 else "docx"
        data = render_pdf(lines) if kind == "pdf" else render_docx(lines)
        key = storage.save(data)
        slug = applicant.full_name.split()[0].lower()
        resume = Resume(
            applicant_id=applicant.id,
            sha256=key,
            size=len(data),
            kind=kind,
            filename=f"{slug}-resume.{kind}",
            uploaded_at=applicant.created_at + timedelta(hours=1),
            parser_version=PARSER_VERSION,
            parsed_at=applicant.created_at + timedelta(hours=1),
        )
        try:
            result = parse_resume_detailed(storage.path(key), default_region=applicant.country)
        except ResumeError as exc:
            resume.status, resume.error = "failed", exc.message
        else:
            resume.status = "parsed"
            resume.parsed, resume.confidence = result.fields, result.confidence
            resume.text, resume.pages = result.text, result.pages
            if applicant.stage != "applied":
                _fill_profile(applicant, result.fields)
        db.session.add(resume)
        created += 1
    db.session.commit()
    yield f"resumes: {created} uploaded and parsed"
