"""Generate the HELD-OUT part of the resume evaluation corpus: PDFs drawn with fpdf2 (not a
browser), DOCX built by python-docx with table and header layouts, ground truth beside each.

Run from the project root: ``.venv/bin/python bench/resume_corpus/gen_heldout.py`` (needs the
``corpus`` extra, fpdf2: ``pip install -e '.[corpus]'``; the portal does not need it).

Nothing is shared with ``gen_tuning.py``: other names, employers, schools, job titles, skills,
fonts (Times, Courier, DejaVu Serif), section names (English variants, German, French), date
styles (year-only in a right column, ``02.2024 – present``, ``10/2016``, ``heute``,
``aujourd'hui``), layouts (right-aligned dates, left sidebar, Europass-like label column,
education spread over lines, DOCX two-column table, DOCX header contact). It was written before
the parser was tuned and is only scored, never inspected for misses.
"""

from __future__ import annotations

import json
import random
import re
import unicodedata
from pathlib import Path

import docx
import phonenumbers
from docx.shared import Pt
from fpdf import FPDF

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "tests" / "fixtures" / "resumes" / "eval" / "heldout"
TODAY = (2026, 1)
SEED = 7717
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")

PEOPLE = [
    ("Ana Beatriz Souza", "BR", "Curitiba, Brazil"),
    ("Tomasz Nowak", "PL", "Gdańsk, Poland"),
    ("Mei-Ling Chou", "TW", "Taichung, Taiwan"),
    ("Hamza Qureshi", "GB", "Manchester, UK"),
    ("Ngozi Okafor", "NG", "Abuja, Nigeria"),
    ("Sven Halvorsen", "NO", "Bergen, Norway"),
    ("Léa Dubois", "FR", "Lyon, France"),
    ("Jonas Weber", "DE", "Leipzig, Germany"),
    ("Priyanka Iyer", "IN", "Chennai, India"),
    ("Daniel Cohen", "IL", "Haifa, Israel"),
    ("Valentina Morales", "MX", "Guadalajara, Mexico"),
    ("Emily Carter", "AU", "Perth, Australia"),
    ("Kofi Asante", "GH", "Kumasi, Ghana"),
    ("Hye-jin Lim", "KR", "Busan, South Korea"),
    ("Marek Dvořák", "CZ", "Brno, Czech Republic"),
    ("Aroha Walker", "NZ", "Wellington, New Zealand"),
]

JOBS = {
    "medicine": (
        ["Hospital Pharmacist", "Community Pharmacist", "Registered Nurse"],
        [
            "Sterile Compounding",
            "Antimicrobial Stewardship",
            "Drug Interactions",
            "Patient Safety",
            "Clinical Audit",
        ],
        ["Master of Pharmacy (MPharm)", "Bachelor of Nursing"],
    ),
    "finance": (
        ["Credit Risk Analyst", "Management Accountant", "Treasury Analyst"],
        ["Credit Scoring", "Power BI", "Variance Analysis", "US GAAP", "Oracle Hyperion"],
        ["BSc (Hons) Accounting and Finance", "Master in Finance"],
    ),
    "law": (
        ["Trainee Solicitor", "Compliance Officer", "In-house Counsel"],
        ["Regulatory Compliance", "Employment Law", "Contract Negotiation", "Legal Drafting"],
        ["Bachelor of Laws (LLB)", "Master of Laws (LLM) in Tax Law"],
    ),
    "education": (
        ["Primary Teacher", "Science Teacher", "Teaching Assistant"],
        ["Lesson Planning", "Special Educational Needs", "Microsoft Teams", "Formative Assessment"],
        ["Bachelor of Education (Primary)", "MA in Educational Leadership"],
    ),
    "software engineering": (
        ["Full-Stack Developer", "Platform Engineer", "Mobile Developer"],
        [
            "TypeScript",
            "React Native",
            "Amazon Web Services",
            "Terraform",
            "Event-Driven Architecture",
            "Rust",
        ],
        ["BEng Software Engineering", "MSc Computer Science (distance)"],
    ),
    "engineering": (
        ["Civil Engineer", "Process Engineer", "Electrical Design Engineer"],
        ["Structural Analysis", "Revit", "Lean Six Sigma", "Power Systems", "Project Scheduling"],
        ["Bachelor of Civil Engineering", "MSc in Chemical Engineering"],
    ),
    "marketing": (
        ["Content Marketing Manager", "SEO Specialist", "Brand Manager"],
        [
            "Search Engine Optimisation",
            "Google Analytics",
            "Copywriting",
            "Social Media Strategy",
            "HubSpot",
        ],
        ["BA in Communication Studies", "MA Digital Marketing"],
    ),
    "science research": (
        ["Research Assistant", "Postdoctoral Fellow", "Lab Technician"],
        ["Flow Cytometry", "Cell Culture", "R Programming", "Grant Writing", "Confocal Microscopy"],
        ["PhD in Molecular Biology", "BSc Biochemistry"],
    ),
}
EMPLOYERS = [
    "Alder & Finch Solicitors",
    "Royal Infirmary",
    "Cobalt Fintech",
    "Meridian Schools",
    "Stadtwerke Leipzig",
    "Nordlys Energi AS",
    "Clínica San Rafael",
    "Pacific Rim Mining",
    "Greenfield Labs",
    "Atlas Civil Works",
    "Harbourview Bank",
    "Kite Media Group",
]
SCHOOLS = [
    ("University of São Paulo", "São Paulo"),
    ("University of Warsaw", "Warsaw"),
    ("National Taiwan University", "Taipei"),
    ("University of Manchester", "Manchester"),
    ("University of Ibadan", "Ibadan"),
    ("University of Oslo", "Oslo"),
    ("Université Lumière Lyon 2", "Lyon"),
    ("Universität Leipzig", "Leipzig"),
    ("Anna University", "Chennai"),
    ("Monash University", "Melbourne"),
]
PLATFORMS = ["Surge AI", "Toloka", "Lionbridge", "Prolific", "Mercor"]
LABEL_TITLES = ["LLM Evaluator (freelance)", "Freelance AI Rater", "Annotation Specialist"]
LANG_NAMES = {
    "en": {
        "English": "English",
        "German": "German",
        "French": "French",
        "Spanish": "Spanish",
        "Portuguese": "Portuguese",
        "Polish": "Polish",
        "Mandarin": "Mandarin",
        "Hindi": "Hindi",
        "Norwegian": "Norwegian",
        "Korean": "Korean",
    },
    "de": {
        "English": "Englisch",
        "German": "Deutsch",
        "French": "Französisch",
        "Spanish": "Spanisch",
        "Polish": "Polnisch",
        "Portuguese": "Portugiesisch",
    },
    "fr": {
        "English": "Anglais",
        "German": "Allemand",
        "French": "Français",
        "Spanish": "Espagnol",
        "Portuguese": "Portugais",
        "Polish": "Polonais",
    },
}
LEVELS = {
    "en": {
        "native": "native speaker",
        "fluent": "fluent",
        "professional": "full professional",
        "conversational": "conversational",
        "basic": "elementary",
    },
    "de": {
        "native": "Muttersprache",
        "fluent": "verhandlungssicher",
        "professional": "C1",
        "conversational": "B2",
        "basic": "Grundkenntnisse",
    },
    "fr": {
        "native": "langue maternelle",
        "fluent": "courant",
        "professional": "C1",
        "conversational": "intermédiaire",
        "basic": "notions",
    },
}
HEADS = {
    "en": ("PROFESSIONAL EXPERIENCE", "EDUCATION & TRAINING", "KEY SKILLS", "LANGUAGES"),
    "en2": ("Career History", "Qualifications", "Technical Skills", "Languages"),
    "de": ("Berufserfahrung", "Ausbildung", "Kenntnisse", "Sprachen"),
    "fr": ("Expérience professionnelle", "Formation", "Compétences", "Langues"),
}
PRESENT = {"en": "present", "en2": "Present", "de": "heute", "fr": "aujourd'hui"}
MON_DE = [
    "Jan.",
    "Feb.",
    "März",
    "Apr.",
    "Mai",
    "Juni",
    "Juli",
    "Aug.",
    "Sept.",
    "Okt.",
    "Nov.",
    "Dez.",
]


def slug(s: str) -> str:
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z]", "", s.lower())


def ym(p: tuple[int, int]) -> str:
    return f"{p[0]:04d}-{p[1]:02d}"


def point(p: tuple[int, int] | None, style: str, lang: str) -> str:
    if p is None:
        return PRESENT[lang]
    y, m = p
    return {"dot": f"{m:02d}.{y}", "slash": f"{m:02d}/{y}", "year": str(y), "short": f"{m}/{y}"}[
        style
    ]


def make_person(rng: random.Random, i: int, style: str, lang: str) -> dict:
    name, region, location = PEOPLE[i % len(PEOPLE)]
    domain = list(JOBS)[i % len(JOBS)]
    titles, skills, degrees = JOBS[domain]
    num = phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.MOBILE)
    parts = name.split()
    email = f"{slug(parts[0])[0]}{slug(parts[-1])}@mailbox.example.net"
    cur = 2025 * 12 + rng.randint(0, 10)
    jobs, labelling = [], {"months": 0, "platforms": []}
    n = rng.randint(2, 3)
    label_at = rng.randrange(n) if i % 3 != 1 else -1
    prev = None
    for j in range(n):
        s = divmod(cur, 12)
        e = None if prev is None else divmod(prev - 1 - rng.randint(0, 3), 12)
        start, end = (s[0], s[1] + 1), None if e is None else (e[0], e[1] + 1)
        if style == "year":
            start = (start[0], 1)
            end = None if end is None else (end[0], 12)
            if end is not None and end[0] >= start[0] + 0 and j and end[0] >= jobs[-1]["_s"][0]:
                end = (jobs[-1]["_s"][0] - 1, 12)
            if end is not None and start[0] > end[0]:
                start = (end[0] - 1, 1)
        lab = j == label_at
        jobs.append(
            {
                "title": rng.choice(LABEL_TITLES) if lab else titles[j % len(titles)],
                "company": rng.choice(PLATFORMS) if lab else rng.choice(EMPLOYERS),
                "start": ym(start),
                "end": None if end is None else ym(end),
                "_s": start,
                "_e": end,
                "_lab": lab,
                "city": location.split(",")[0],
            }
        )
        if lab:
            e2 = end or TODAY
            labelling = {
                "months": (e2[0] - start[0]) * 12 + e2[1] - start[1] + 1,
                "platforms": [jobs[-1]["company"]],
            }
        prev = start[0] * 12 + start[1] - 1
        cur = prev - rng.randint(12, 36)
    first_year = jobs[-1]["_s"][0]
    school, city = rng.choice(SCHOOLS)
    edu = [{"degree": degrees[0], "school": school, "year": first_year, "_city": city}]
    if rng.random() < 0.5:
        school2, city2 = rng.choice(SCHOOLS)
        edu.insert(
            0, {"degree": degrees[1], "school": school2, "year": first_year + 2, "_city": city2}
        )
    known = [k for k in LANG_NAMES[lang if lang in LANG_NAMES else "en"]]
    langs = [(rng.choice([k for k in known if k != "English"]), "native"), ("English", "fluent")]
    other = rng.choice([k for k in known if k not in {x for x, _ in langs}])
    langs.append((other, rng.choice(["professional", "conversational", "basic"])))
    exp = [{k: j[k] for k in ("title", "company", "start", "end")} for j in jobs]
    months: set[int] = set()
    now = TODAY[0] * 12 + TODAY[1] - 1
    for j in jobs:
        a = j["_s"][0] * 12 + j["_s"][1] - 1
        b = now if j["_e"] is None else j["_e"][0] * 12 + j["_e"][1] - 1
        months.update(range(a, min(b, now) + 1))
    return {
        "truth": {
            "name": name,
            "email": email,
            "phone": phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.E164),
            "location": location,
            "links": [f"https://github.com/{slug(parts[-1])}{i}"],
            "skills": rng.sample(skills, 4),
            "experience": exp,
            "education": [{k: e[k] for k in ("degree", "school", "year")} for e in edu],
            "years_experience": round(len(months) / 12, 1),
            "languages": [{"language": a, "level": b} for a, b in langs],
            "domains": [domain],
            "labelling": labelling,
        },
        "num": num,
        "region": region,
        "jobs": jobs,
        "edu": edu,
        "style": style,
        "lang": lang,
    }


def phone_display(p: dict, rng: random.Random) -> str:
    fmt = rng.choice(
        [phonenumbers.PhoneNumberFormat.INTERNATIONAL, phonenumbers.PhoneNumberFormat.NATIONAL]
    )
    return phonenumbers.format_number(p["num"], fmt)


def lang_lines(p: dict) -> list[str]:
    lg = p["lang"] if p["lang"] in LANG_NAMES else "en"
    return [
        f"{LANG_NAMES[lg][x['language']]} - {LEVELS[lg][x['level']]}"
        for x in p["truth"]["languages"]
    ]


def date_range(j: dict, p: dict) -> str:
    return f"{point(j['_s'], p['style'], p['lang'])} – {point(j['_e'], p['style'], p['lang'])}"


BULLETS = [
    "Reviewed and scored model answers for factual accuracy and harmlessness",
    "Compared pairs of chatbot replies and justified the preferred one",
]
PLAIN = ["Managed a caseload of 30 clients", "Introduced a checklist that halved rework"]


class Doc(FPDF):
    def __init__(self, family: str) -> None:
        super().__init__(format="A4")
        self.add_font("DVS", "", str(FONT_DIR / "DejaVuSerif.ttf"))
        self.add_font("DVS", "B", str(FONT_DIR / "DejaVuSerif-Bold.ttf"))
        self.add_font("DVS", "I", str(FONT_DIR / "DejaVuSerif-Italic.ttf"))
        self.fam = family
        self.set_auto_page_break(True, 15)
        self.add_page()

    def f(self, size: float, style: str = "") -> None:
        self.set_font(self.fam, style, size)


def pdf_right_dates(p: dict, rng: random.Random, out: Path) -> None:
    """Classic: bold caps headings, title left and dates right on one row, employer below."""
    t, heads = p["truth"], HEADS["en"]
    d = Doc("DVS")
    d.f(20, "B")
    d.cell(0, 10, t["name"], new_x="LMARGIN", new_y="NEXT", align="C")
    d.f(9)
    d.cell(
        0,
        5,
        f"{t['location']}  •  {phone_display(p, rng)}  •  {t['email']}  •  "
        f"{t['links'][0].removeprefix('https://')}",
        new_x="LMARGIN",
        new_y="NEXT",
        align="C",
    )

    def head(s: str) -> None:
        d.ln(3)
        d.f(11, "B")
        d.cell(0, 6, s, new_x="LMARGIN", new_y="NEXT")
        d.line(d.l_margin, d.get_y(), 200, d.get_y())
        d.ln(1)

    head(heads[0])
    for j in p["jobs"]:
        d.f(10, "B")
        d.cell(130, 5, j["title"])
        d.f(10)
        d.cell(0, 5, date_range(j, p), align="R", new_x="LMARGIN", new_y="NEXT")
        d.f(10, "I")
        d.cell(0, 5, f"{j['company']}, {j['city']}", new_x="LMARGIN", new_y="NEXT")
        d.f(9)
        for b in BULLETS if j["_lab"] else PLAIN:
            d.cell(0, 4.5, f"•  {b}", new_x="LMARGIN", new_y="NEXT")
    head(heads[1])
    for e in p["edu"]:
        d.f(10, "B")
        d.cell(150, 5, e["degree"])
        d.f(10)
        d.cell(0, 5, str(e["year"]), align="R", new_x="LMARGIN", new_y="NEXT")
        d.cell(0, 5, f"{e['school']}, {e['_city']}", new_x="LMARGIN", new_y="NEXT")
    head(heads[2])
    d.f(10)
    d.multi_cell(0, 5, " · ".join(t["skills"]), new_x="LMARGIN", new_y="NEXT")
    head(heads[3])
    d.multi_cell(0, 5, ", ".join(lang_lines(p)), new_x="LMARGIN", new_y="NEXT")
    d.output(str(out))


def pdf_sidebar(p: dict, rng: random.Random, out: Path, lang: str) -> None:
    """Grey left sidebar with contact, skills and languages; main column with jobs, schools
    spread over lines (degree / school / city / year)."""
    t, heads = p["truth"], HEADS[lang]
    d = Doc("Times")
    d.add_font("DV", "", str(FONT_DIR / "DejaVuSans.ttf"))
    d.add_font("DV", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    d.fam = "DV"
    d.set_fill_color(235, 235, 235)
    d.rect(0, 0, 68, 297, style="F")
    x0, w0, x1, w1 = 8, 55, 75, 125
    d.set_xy(x0, 15)

    def side(lines: list[str], size: float = 9, style: str = "") -> None:
        d.f(size, style)
        for s in lines:
            d.set_x(x0)
            d.multi_cell(w0, 4.8, s, new_x="LMARGIN", new_y="NEXT")

    side(["CONTACT"], 11, "B")
    side([t["location"], phone_display(p, rng), t["email"], t["links"][0]])
    d.ln(4)
    side([heads[2].upper()], 11, "B")
    side(t["skills"])
    d.ln(4)
    side([heads[3].upper()], 11, "B")
    side(lang_lines(p))
    d.set_xy(x1, 15)
    d.f(22, "B")
    d.cell(w1, 11, t["name"], new_x="LMARGIN", new_y="NEXT")

    def main(s: str, size: float = 10, style: str = "", h: float = 5) -> None:
        d.f(size, style)
        d.set_x(x1)
        d.multi_cell(w1, h, s, new_x="LMARGIN", new_y="NEXT")

    d.ln(3)
    main(heads[0].upper(), 12, "B", 7)
    for j in p["jobs"]:
        main(date_range(j, p), 9)
        main(f"{j['title']} | {j['company']}", 10, "B")
        for b in BULLETS if j["_lab"] else PLAIN:
            main(f"- {b}", 9, "", 4.5)
        d.ln(1)
    d.ln(2)
    main(heads[1].upper(), 12, "B", 7)
    for e in p["edu"]:
        main(e["degree"], 10, "B")
        main(e["school"])
        main(e["_city"], 9)
        main(str(e["year"]), 9)
        d.ln(1)
    d.output(str(out))


def pdf_europass(p: dict, rng: random.Random, out: Path, lang: str) -> None:
    """Label column on the left (dates), content on the right; headings in a colour bar."""
    t, heads = p["truth"], HEADS[lang]
    d = Doc("Courier")
    d.add_font("DVSans", "", str(FONT_DIR / "DejaVuSans.ttf"))
    d.add_font("DVSans", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    d.fam = "DVSans"
    d.f(18, "B")
    d.cell(0, 9, t["name"], new_x="LMARGIN", new_y="NEXT")
    d.f(9)
    for s in (t["location"], phone_display(p, rng), t["email"], t["links"][0]):
        d.cell(0, 4.6, s, new_x="LMARGIN", new_y="NEXT")

    def head(s: str) -> None:
        d.ln(4)
        d.set_fill_color(30, 60, 120)
        d.set_text_color(255, 255, 255)
        d.f(11, "B")
        d.cell(0, 6.5, "  " + s, fill=True, new_x="LMARGIN", new_y="NEXT")
        d.set_text_color(0, 0, 0)
        d.ln(1.5)

    def row(left: str, right: list[tuple[str, str]]) -> None:
        y = d.get_y()
        d.f(9)
        d.set_xy(10, y)
        d.multi_cell(45, 5, left)
        d.set_xy(60, y)
        for text, style in right:
            d.f(10, style)
            d.set_x(60)
            d.multi_cell(140, 5, text, new_x="LMARGIN", new_y="NEXT")
        d.ln(1.5)

    head(heads[0])
    for j in p["jobs"]:
        bl = BULLETS if j["_lab"] else PLAIN
        row(
            date_range(j, p),
            [(j["title"], "B"), (f"{j['company']} – {j['city']}", "")]
            + [(f"• {b}", "") for b in bl],
        )
    head(heads[1])
    for e in p["edu"]:
        row(str(e["year"]), [(e["degree"], "B"), (f"{e['school']} ({e['_city']})", "")])
    head(heads[2])
    row("", [("; ".join(t["skills"]), "")])
    head(heads[3])
    row("", [(s, "") for s in lang_lines(p)])
    d.output(str(out))


def docx_two_column(p: dict, rng: random.Random, out: Path) -> None:
    """A borderless two-column table: sidebar cell (contact, skills, languages), main cell."""
    t, heads = p["truth"], HEADS["en2"]
    d = docx.Document()
    d.styles["Normal"].font.name = "Georgia"
    d.styles["Normal"].font.size = Pt(10)
    tbl = d.add_table(rows=1, cols=2)
    left, right = tbl.rows[0].cells
    left.text = ""
    lp = left.paragraphs[0]
    lp.add_run("Contact").bold = True
    for s in (t["location"], phone_display(p, rng), t["email"], t["links"][0]):
        left.add_paragraph(s)
    left.add_paragraph().add_run(heads[2]).bold = True
    for s in t["skills"]:
        left.add_paragraph(s)
    left.add_paragraph().add_run(heads[3]).bold = True
    for s in lang_lines(p):
        left.add_paragraph(s)
    r = right.paragraphs[0].add_run(t["name"])
    r.bold, r.font.size = True, Pt(20)
    right.add_paragraph().add_run(heads[0]).bold = True
    for j in p["jobs"]:
        right.add_paragraph().add_run(f"{j['title']} — {j['company']}").bold = True
        right.add_paragraph(date_range(j, p))
        for b in BULLETS if j["_lab"] else PLAIN:
            right.add_paragraph(f"• {b}")
    right.add_paragraph().add_run(heads[1]).bold = True
    for e in p["edu"]:
        right.add_paragraph(e["degree"])
        right.add_paragraph(f"{e['school']}, {e['year']}")
    d.save(str(out))


def docx_header(p: dict, rng: random.Random, out: Path) -> None:
    """Contact in the page header; jobs in a dates | details table; German headings."""
    t, heads = p["truth"], HEADS["de"]
    d = docx.Document()
    d.styles["Normal"].font.name = "Arial"
    hdr = d.sections[0].header.paragraphs[0]
    hdr.text = f"{t['name']} · {t['location']} · {phone_display(p, rng)} · {t['email']}"
    d.add_paragraph(t["links"][0])
    d.add_heading(heads[0], level=2)
    tbl = d.add_table(rows=0, cols=2)
    for j in p["jobs"]:
        c = tbl.add_row().cells
        c[0].text = date_range(j, p)
        c[1].text = f"{j['title']}\n{j['company']}, {j['city']}"
    d.add_heading(heads[1], level=2)
    for e in p["edu"]:
        d.add_paragraph(f"{e['year']}  {e['degree']}, {e['school']}")
    d.add_heading(heads[2], level=2)
    d.add_paragraph(", ".join(t["skills"]))
    d.add_heading(heads[3], level=2)
    d.add_paragraph(", ".join(lang_lines(p)))
    d.save(str(out))


FAMILIES = [  # (family, date style, language)
    ("right_dates", "year", "en"),
    ("sidebar", "dot", "en"),
    ("europass", "slash", "en"),
    ("docx_two_column", "dot", "en2"),
    ("sidebar", "slash", "de"),
    ("europass", "year", "fr"),
    ("docx_header", "slash", "de"),
    ("right_dates", "short", "en"),
]


def must_fail(out: Path) -> None:
    d = Doc("Times")
    d.f(12)
    d.multi_cell(
        0,
        6,
        "INVOICE 2025-118\nBilled to: Harbour Café\n3 x espresso machine "
        "service at EUR 120.00\nTotal due: EUR 360.00 within 30 days.",
    )
    d.output(str(out / "fail_invoice.pdf"))
    data = (out / "fail_invoice.pdf").read_bytes()
    (out / "fail_truncated.pdf").write_bytes(data[: len(data) // 3])
    for stem in ("fail_invoice", "fail_truncated"):
        (out / f"{stem}.expected.json").write_text(json.dumps({"error": True}) + "\n")


def main() -> None:
    rng = random.Random(SEED)
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.iterdir():
        old.unlink()
    for i, (family, style, lang) in enumerate(FAMILIES * 2):
        p = make_person(rng, i, style, lang)
        stem = f"h{i + 1:02d}_{family}_{lang}"
        ext = "docx" if family.startswith("docx") else "pdf"
        path = OUT / f"{stem}.{ext}"
        if family == "right_dates":
            pdf_right_dates(p, rng, path)
        elif family == "sidebar":
            pdf_sidebar(p, rng, path, lang)
        elif family == "europass":
            pdf_europass(p, rng, path, lang)
        elif family == "docx_two_column":
            docx_two_column(p, rng, path)
        else:
            docx_header(p, rng, path)
        text = json.dumps(p["truth"], ensure_ascii=False, indent=2) + "\n"
        (OUT / f"{stem}.expected.json").write_text(text, encoding="utf-8")
    must_fail(OUT)
    print(f"wrote {len(list(OUT.glob('*.expected.json')))} resumes to {OUT}")


if __name__ == "__main__":
    main()
