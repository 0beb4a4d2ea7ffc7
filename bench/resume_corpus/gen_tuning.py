"""Generate the TUNING part of the resume evaluation corpus (PDF by headless Chromium, DOCX by
python-docx) with a ground-truth JSON beside each file.

Run from the project root: ``.venv/bin/python bench/resume_corpus/gen_tuning.py``.

The parser may be tuned on what this writes. The HELD-OUT part is written by
``gen_heldout.py``: another PDF producer (fpdf2), other fonts, templates, section names, date
styles and content pools, so that a score on it says how the parser does on resumes it has not
seen. Ground truth conventions: phones in E.164; links as ``https://host/path``; an education
year is the graduation year; skills are the items of the skills section (spoken languages are
``languages``, never skills); ``domains`` are keys of the portal's domain vocabulary;
``labelling.months`` is the months of data-labelling / AI-training jobs.
"""

from __future__ import annotations

import html
import json
import random
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path

import docx
import phonenumbers
from docx.shared import Pt

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "tests" / "fixtures" / "resumes" / "eval" / "tuning"
TODAY = (2026, 1)
SEED = 1401

NAMES = [
    ("Ji-woo Park", "KR", "Seoul, South Korea"),
    ("Aisha Bello", "NG", "Lagos, Nigeria"),
    ("Mateo García", "ES", "Valencia, Spain"),
    ("Siobhán O'Brien", "IE", "Cork, Ireland"),
    ("Rahul Verma", "IN", "Pune, India"),
    ("Yuki Tanaka", "JP", "Osaka, Japan"),
    ("Elif Yıldız", "TR", "Izmir, Turkey"),
    ("Lukas Schmidt", "DE", "Hamburg, Germany"),
    ("Camila Rojas", "CL", "Santiago, Chile"),
    ("Björn Lindqvist", "SE", "Uppsala, Sweden"),
    ("Kwame Mensah", "GH", "Accra, Ghana"),
    ("Anna Kowalska", "PL", "Kraków, Poland"),
    ("Oliver Bennett", "GB", "Leeds, United Kingdom"),
    ("Grace Thompson", "US", "Denver, CO"),
    ("Thanh Nguyen", "VN", "Da Nang, Vietnam"),
    ("Sofia Rossi", "IT", "Bologna, Italy"),
]

PROFESSIONS = {
    "software engineering": (
        ["Backend Engineer", "Software Developer", "Senior Software Engineer"],
        [
            "Python",
            "Distributed Systems",
            "PostgreSQL",
            "Google Cloud Platform",
            "Continuous Integration",
            "Go",
            "REST API Design",
            "Kubernetes",
        ],
        ["B.Sc. in Computer Science", "M.Sc. in Artificial Intelligence (part-time)"],
    ),
    "medicine": (
        ["Clinical Pharmacist", "Staff Nurse", "Resident Physician"],
        [
            "Clinical Guidelines",
            "Patient Counselling",
            "Medication Review",
            "Electronic Health Records",
            "Pharmacovigilance",
            "Infection Control",
        ],
        ["Pharm.D.", "B.Sc. (Hons) Nursing", "MBBS"],
    ),
    "finance": (
        ["Financial Analyst", "Financial Controller", "Accountant"],
        [
            "Bloomberg Terminal",
            "Financial Modelling",
            "IFRS Reporting",
            "Microsoft Excel",
            "Cash Flow Forecasting",
            "SAP FICO",
        ],
        ["B.Com. in Accounting", "MBA (Finance)"],
    ),
    "law": (
        ["Associate Lawyer", "Legal Counsel", "Paralegal"],
        [
            "Contract Drafting",
            "Legal Research",
            "GDPR Compliance",
            "Due Diligence",
            "Commercial Litigation",
        ],
        ["LL.B.", "LL.M. in European Law"],
    ),
    "education": (
        ["Secondary School Teacher", "Mathematics Teacher", "Lecturer"],
        [
            "Curriculum Design",
            "Google Workspace",
            "Classroom Management",
            "Differentiated Instruction",
            "Moodle",
        ],
        ["B.Ed. in Mathematics Education", "PGCE (Secondary)"],
    ),
    "engineering": (
        ["RF Engineer", "Mechanical Engineer", "Design Engineer"],
        [
            "Wireless Communications",
            "Signal Processing",
            "MATLAB",
            "AutoCAD",
            "Finite Element Analysis",
            "SolidWorks",
        ],
        ["B.Eng. in Electrical Engineering", "M.Eng. (Mechanical)"],
    ),
    "linguistics": (
        ["Translator", "Localization Specialist", "Interpreter"],
        [
            "Machine Translation Post-editing",
            "SDL Trados",
            "Terminology Management",
            "Subtitling",
            "Proofreading",
        ],
        ["B.A. in Translation Studies", "M.A. in Applied Linguistics"],
    ),
    "data science": (
        ["Data Scientist", "Machine Learning Engineer", "Data Analyst"],
        [
            "Python",
            "Statistical Modelling",
            "scikit-learn",
            "A/B Testing",
            "SQL",
            "Natural Language Processing",
        ],
        ["M.Sc. in Statistics", "B.Sc. in Mathematics"],
    ),
}

COMPANIES = [
    "Northwind Health",
    "Helios Bank",
    "Brightpath Academy",
    "Kestrel Systems Ltd",
    "Müller & Partner GmbH",
    "Grupo Andino S.A.",
    "Tanaka Shoji",
    "Blue Harbor Legal LLP",
    "Vantage Analytics",
    "Lumen Telecom",
    "Saint Mary's Hospital",
    "Orbit Software",
]
SCHOOLS = [
    "University of Lagos",
    "Seoul National University",
    "Technical University of Munich",
    "Universidad de Chile",
    "University of Toronto",
    "Jagiellonian University",
    "Indian Institute of Technology Bombay",
    "University College Cork",
    "University of Leeds",
]
PLATFORMS = ["Outlier", "Scale AI", "Appen", "TELUS International", "Remotasks", "DataAnnotation"]
LABEL_TITLES = ["AI Trainer", "Data Annotator", "Search Quality Rater", "AI Response Evaluator"]
LANGS = ["English", "Spanish", "German", "French", "Korean", "Japanese", "Portuguese", "Italian"]
LEVEL_WORDS = {  # how a resume says it -> the portal's level
    "native": ["Native", "Mother tongue"],
    "fluent": ["Fluent", "C2"],
    "professional": ["C1", "Professional working proficiency"],
    "conversational": ["B2", "Intermediate", "B1"],
    "basic": ["A2", "Basic", "Beginner"],
}
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
FULL = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def ym(y: int, m: int) -> str:
    return f"{y:04d}-{m:02d}"


def fmt_point(p: tuple[int, int] | None, style: str) -> str:
    if p is None:
        return {
            "mon": "Present",
            "slash": "present",
            "dot": "present",
            "iso": "Present",
            "full": "Present",
            "year": "present",
        }[style]
    y, m = p
    return {
        "mon": f"{MONTHS[m - 1]} {y}",
        "slash": f"{m:02d}/{y}",
        "dot": f"{m:02d}.{y}",
        "iso": f"{y}-{m:02d}",
        "full": f"{FULL[m - 1]} {y}",
        "year": f"{y}",
    }[style]


def slug(s: str) -> str:
    s = unicodedata.normalize("NFKD", s.replace("ı", "i")).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z]", "", s.lower())


def years(exp: list[dict]) -> float:
    months: set[int] = set()
    now = TODAY[0] * 12 + TODAY[1] - 1
    for e in exp:
        a = int(e["start"][:4]) * 12 + int(e["start"][5:7]) - 1
        b = now if e["end"] is None else int(e["end"][:4]) * 12 + int(e["end"][5:7]) - 1
        months.update(range(a, min(b, now) + 1))
    return round(len(months) / 12, 1)


def person(rng: random.Random, idx: int, date_style: str) -> dict:
    name, region, location = NAMES[idx % len(NAMES)]
    domain = list(PROFESSIONS)[idx % len(PROFESSIONS)]
    titles, skills, degrees = PROFESSIONS[domain]
    num = phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.MOBILE)
    first, last = slug(name.split()[0]), slug(name.split()[-1])
    email = f"{first}.{last}@example.com"
    links = [f"https://linkedin.com/in/{first}-{last}-{idx}"]  # parsed links drop "www."
    jobs: list[dict] = []
    labelling: dict = {"months": 0, "platforms": []}
    n_jobs = rng.randint(2, 4)
    label_at = rng.randrange(n_jobs) if idx % 2 == 0 else -1
    prev_start = 0
    cur = 2025 * 12 + rng.randint(0, 11)  # month index of the newest job's start
    for j in range(n_jobs):
        s = divmod(cur, 12)
        if date_style == "year":
            s = (s[0], 0)
        e = None if j == 0 else divmod(prev_start - 1 - rng.randint(0, 2), 12)
        if e is not None and date_style == "year":
            e = (e[0], 11)
        start, end = (s[0], s[1] + 1), (None if e is None else (e[0], e[1] + 1))
        if end is not None and start[0] * 12 + start[1] > end[0] * 12 + end[1]:
            start = (end[0] - 1, 1)
        jobs.append(
            {
                "title": rng.choice(LABEL_TITLES) if j == label_at else titles[j % len(titles)],
                "company": rng.choice(PLATFORMS) if j == label_at else rng.choice(COMPANIES),
                "start": ym(*start),
                "end": None if end is None else ym(*end),
                "_s": start,
                "_e": end,
                "_label": j == label_at,
            }
        )
        prev_start = start[0] * 12 + start[1] - 1
        cur = prev_start - rng.randint(10, 40)
    for job in jobs:
        if job["_label"]:
            e = job["_e"] or TODAY
            labelling = {
                "months": (e[0] - job["_s"][0]) * 12 + e[1] - job["_s"][1] + 1,
                "platforms": [job["company"]],
            }
    oldest = int(jobs[-1]["start"][:4])
    edu = [{"degree": degrees[0], "school": rng.choice(SCHOOLS), "year": oldest - 1}]
    if rng.random() < 0.5 and len(degrees) > 1:
        edu.insert(0, {"degree": degrees[1], "school": rng.choice(SCHOOLS), "year": oldest + 2})
    langs = [("English", "native" if region in ("GB", "US", "IE") else "professional")]
    for lang in rng.sample([x for x in LANGS if x != "English"], rng.randint(1, 2)):
        langs.append((lang, rng.choice(list(LEVEL_WORDS))))
    return {
        "name": name,
        "email": email,
        "region": region,
        "location": location,
        "phone_obj": num,
        "phone": phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.E164),
        "links": links,
        "skills": rng.sample(skills, rng.randint(4, min(6, len(skills)))),
        "jobs": jobs,
        "education": edu,
        "languages": langs,
        "domain": domain,
        "labelling": labelling,
        "date_style": date_style,
    }


def truth(p: dict) -> dict:
    exp = [{k: j[k] for k in ("title", "company", "start", "end")} for j in p["jobs"]]
    return {
        "name": p["name"],
        "email": p["email"],
        "phone": p["phone"],
        "location": p["location"],
        "links": p["links"],
        "skills": p["skills"],
        "experience": exp,
        "education": p["education"],
        "years_experience": years(exp),
        "languages": [{"language": lang, "level": lvl} for lang, lvl in p["languages"]],
        "domains": [p["domain"]],
        "labelling": p["labelling"],
    }


def phone_text(p: dict) -> str:
    return phonenumbers.format_number(p["phone_obj"], phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def lang_text(rng: random.Random, lang: str, level: str) -> str:
    word = rng.choice(LEVEL_WORDS[level])
    return rng.choice([f"{lang} ({word})", f"{lang} – {word}", f"{lang}: {word}"])


def dates(j: dict, p: dict) -> str:
    st = p["date_style"]
    return f"{fmt_point(j['_s'], st)} – {fmt_point(j['_e'], st)}"


def bullets(j: dict) -> list[str]:
    if j["_label"]:
        return [
            "Ranked and rated 12,000+ LLM responses (RLHF) against written guidelines",
            "Wrote rationales for pairwise preference judgements",
        ]
    return ["Led a team of four on a cross-site rollout", "Cut turnaround time by 20 %"]


# --- HTML templates (Chromium) ---------------------------------------------------------------

BASE_CSS = """
body { font-family: 'DejaVu Sans', sans-serif; font-size: 10.5pt; margin: 0; }
h1 { font-size: 22pt; margin: 0 0 4pt 0; } h2 { font-size: 12.5pt; margin: 12pt 0 4pt 0;
text-transform: uppercase; border-bottom: 1px solid #999; } p { margin: 2pt 0; }
ul { margin: 2pt 0 6pt 16pt; padding: 0; } .muted { color: #555; }
"""


def h_jobs(p: dict, style: str) -> str:
    out = []
    for j in p["jobs"]:
        t, c, d = html.escape(j["title"]), html.escape(j["company"]), html.escape(dates(j, p))
        b = "".join(f"<li>{html.escape(x)}</li>" for x in bullets(j))
        if style == "right":
            out.append(
                f"<table style='width:100%'><tr><td><b>{t}</b></td><td style='text-align:"
                f"right'>{d}</td></tr><tr><td colspan=2><i>{c}</i></td></tr></table><ul>{b}</ul>"
            )
        elif style == "timeline":
            out.append(
                f"<table style='width:100%'><tr><td style='width:28%;vertical-align:top'>"
                f"{d}</td><td><b>{t}</b><br>{c}<ul>{b}</ul></td></tr></table>"
            )
        elif style == "compact":
            out.append(f"<p><b>{t}</b>, {c} | {d}</p>")
        else:
            out.append(f"<p><b>{t}</b> | {c}</p><p class=muted>{d}</p><ul>{b}</ul>")
    return "".join(out)


def h_edu(p: dict, style: str) -> str:
    out = []
    for e in p["education"]:
        d, s = html.escape(e["degree"]), html.escape(e["school"])
        if style == "lines":
            out.append(f"<p><b>{d}</b></p><p>{s}</p><p class=muted>{e['year']}</p>")
        else:
            out.append(f"<p><b>{d}</b>, {s}, {e['year']}</p>")
    return "".join(out)


def h_contact(p: dict, sep: str) -> str:
    items = [p["location"], phone_text(p), p["email"], p["links"][0].removeprefix("https://")]
    return sep.join(html.escape(x) for x in items)


def h_langs(rng: random.Random, p: dict) -> str:
    return "<br>".join(html.escape(lang_text(rng, a, b)) for a, b in p["languages"])


def h_skills(p: dict, inline: bool) -> str:
    if inline:
        return "<p>" + html.escape(", ".join(p["skills"])) + "</p>"
    return "<ul>" + "".join(f"<li>{html.escape(s)}</li>" for s in p["skills"]) + "</ul>"


def tpl_classic(rng: random.Random, p: dict, heads: dict) -> str:
    return (
        f"<h1>{html.escape(p['name'])}</h1><p>{h_contact(p, ' | ')}</p>"
        f"<h2>{heads['exp']}</h2>{h_jobs(p, 'plain')}<h2>{heads['edu']}</h2>{h_edu(p, 'one')}"
        f"<h2>{heads['skills']}</h2>{h_skills(p, True)}<h2>{heads['lang']}</h2>"
        f"<p>{h_langs(rng, p)}</p>"
    )


def tpl_sidebar(rng: random.Random, p: dict, heads: dict, side: str) -> str:
    bar = (
        f"<h2>Contact</h2><p>{h_contact(p, '<br>')}</p><h2>{heads['skills']}</h2>"
        f"{h_skills(p, False)}<h2>{heads['lang']}</h2><p>{h_langs(rng, p)}</p>"
    )
    main = (
        f"<h1>{html.escape(p['name'])}</h1><h2>{heads['exp']}</h2>{h_jobs(p, 'right')}"
        f"<h2>{heads['edu']}</h2>{h_edu(p, 'lines')}"
    )
    a, b = (bar, main) if side == "left" else (main, bar)
    wa, wb = ("30%", "70%") if side == "left" else ("68%", "32%")
    return (
        f"<table style='width:100%;border-collapse:collapse'><tr><td style='width:{wa};"
        f"vertical-align:top;padding-right:12pt'>{a}</td><td style='width:{wb};"
        f"vertical-align:top;padding-left:12pt'>{b}</td></tr></table>"
    )


def tpl_timeline(rng: random.Random, p: dict, heads: dict) -> str:
    return (
        f"<h1>{html.escape(p['name'])}</h1><p>{h_contact(p, ' · ')}</p>"
        f"<h2>{heads['exp']}</h2>{h_jobs(p, 'timeline')}<h2>{heads['edu']}</h2>"
        f"{h_edu(p, 'lines')}<h2>{heads['skills']}</h2>{h_skills(p, True)}"
        f"<h2>{heads['lang']}</h2><p>{h_langs(rng, p)}</p>"
    )


def tpl_compact(rng: random.Random, p: dict, heads: dict) -> str:
    return (
        f"<h1>{html.escape(p['name'])}</h1><p>{h_contact(p, ' | ')}</p>"
        f"<h2>{heads['skills']}</h2>{h_skills(p, True)}<h2>{heads['exp']}</h2>"
        f"{h_jobs(p, 'compact')}<h2>{heads['edu']}</h2>{h_edu(p, 'one')}"
        f"<h2>{heads['lang']}</h2><p>{h_langs(rng, p)}</p>"
    )


HEADS = {
    "en": {"exp": "Experience", "edu": "Education", "skills": "Skills", "lang": "Languages"},
    "en2": {
        "exp": "Work History",
        "edu": "Academic Background",
        "skills": "Core Skills",
        "lang": "Languages",
    },
    "es": {
        "exp": "Experiencia laboral",
        "edu": "Formación",
        "skills": "Habilidades",
        "lang": "Idiomas",
    },
}


def print_pdf(body: str, out: Path) -> None:
    page = f"<!doctype html><meta charset=utf-8><style>{BASE_CSS}</style><body>{body}</body>"
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "page.html"
        src.write_text(page, encoding="utf-8")
        subprocess.run(
            [
                "chromium",
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                f"--user-data-dir={tmp}/profile",
                f"--print-to-pdf={out}",
                "--no-pdf-header-footer",
                src.as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )


# --- DOCX templates (python-docx) ------------------------------------------------------------


def docx_classic(rng: random.Random, p: dict, heads: dict, out: Path, table: bool) -> None:
    d = docx.Document()
    d.styles["Normal"].font.name = "Calibri"
    d.styles["Normal"].font.size = Pt(10.5)
    d.add_heading(p["name"], level=0)
    d.add_paragraph(" | ".join([p["location"], phone_text(p), p["email"], p["links"][0]]))
    d.add_heading(heads["exp"], level=1)
    if table:
        t = d.add_table(rows=0, cols=2)
        for j in p["jobs"]:
            row = t.add_row().cells
            row[0].text = dates(j, p)
            row[1].text = f"{j['title']}\n{j['company']}\n" + "\n".join(bullets(j))
    else:
        for j in p["jobs"]:
            d.add_paragraph().add_run(f"{j['title']}, {j['company']}").bold = True
            d.add_paragraph(dates(j, p))
            for b in bullets(j):
                d.add_paragraph(b, style="List Bullet")
    d.add_heading(heads["edu"], level=1)
    for e in p["education"]:
        d.add_paragraph(f"{e['degree']} — {e['school']} ({e['year']})")
    d.add_heading(heads["skills"], level=1)
    d.add_paragraph(", ".join(p["skills"]))
    d.add_heading(heads["lang"], level=1)
    for a, b in p["languages"]:
        d.add_paragraph(lang_text(rng, a, b), style="List Bullet")
    d.save(str(out))


TEMPLATES = {"classic": tpl_classic, "timeline": tpl_timeline, "compact": tpl_compact}
FAMILIES = [  # (family, producer, date style, headings)
    ("classic", "pdf", "mon", "en"),
    ("sidebar_left", "pdf", "slash", "en2"),
    ("sidebar_right", "pdf", "dot", "en"),
    ("timeline", "pdf", "year", "en"),
    ("compact", "pdf", "iso", "en2"),
    ("classic", "pdf", "full", "es"),
    ("docx_classic", "docx", "mon", "en"),
    ("docx_table", "docx", "slash", "en2"),
    ("sidebar_left", "pdf", "year", "es"),
    ("timeline", "pdf", "dot", "en2"),
    ("docx_classic", "docx", "dot", "es"),
    ("compact", "pdf", "slash", "en"),
]


# --- batch B: label columns, right-hand years, header contact, other languages --------------

PRESENT_WORD = {"de": "aktuell", "fr": "en cours", "en": "now"}
LANG_LOCAL = {
    "de": {
        "English": "Englisch",
        "Spanish": "Spanisch",
        "German": "Deutsch",
        "French": "Französisch",
        "Korean": "Koreanisch",
        "Japanese": "Japanisch",
        "Portuguese": "Portugiesisch",
        "Italian": "Italienisch",
    },
    "fr": {
        "English": "Anglais",
        "Spanish": "Espagnol",
        "German": "Allemand",
        "French": "Français",
        "Korean": "Coréen",
        "Japanese": "Japonais",
        "Portuguese": "Portugais",
        "Italian": "Italien",
    },
}
LEVEL_LOCAL = {
    "de": {
        "native": "Muttersprache",
        "fluent": "fließend",
        "professional": "sehr gut (C1)",
        "conversational": "gut (B2)",
        "basic": "Grundkenntnisse",
    },
    "fr": {
        "native": "langue maternelle",
        "fluent": "courant",
        "professional": "avancé (C1)",
        "conversational": "intermédiaire",
        "basic": "débutant",
    },
}
HEADS_B = {
    "de": {
        "exp": "Werdegang",
        "edu": "Bildung",
        "skills": "Fähigkeiten",
        "lang": "Sprachkenntnisse",
    },
    "fr": {
        "exp": "Expériences",
        "edu": "Études",
        "skills": "Compétences techniques",
        "lang": "Langues étrangères",
    },
    "en": {
        "exp": "Professional Experience",
        "edu": "Education",
        "skills": "Skills & Tools",
        "lang": "Language Skills",
    },
}
CITY = {"Grupo Andino S.A.": "Lima", "Müller & Partner GmbH": "Köln", "Tanaka Shoji": "Kobe"}


def b_point(p: tuple[int, int] | None, style: str, lang: str) -> str:
    if p is None:
        return PRESENT_WORD[lang]
    return {"mslash": f"{p[1]}/{p[0]}", "year": str(p[0]), "dot": f"{p[1]:02d}.{p[0]}"}[style]


def b_dates(j: dict, p: dict, lang: str) -> str:
    return f"{b_point(j['_s'], p['date_style'], lang)} – {b_point(j['_e'], p['date_style'], lang)}"


def b_langs(p: dict, lang: str) -> list[str]:
    if lang == "en":
        return [f"{a} — {LEVEL_WORDS[b][0]}" for a, b in p["languages"]]
    return [f"{LANG_LOCAL[lang][a]}: {LEVEL_LOCAL[lang][b]}" for a, b in p["languages"]]


def city_of(company: str) -> str:
    return CITY.get(company, "Remote")


def tpl_label_column(p: dict, lang: str) -> str:
    """Europass-like: dates in a narrow left column, the entry to the right."""
    h = HEADS_B[lang]
    rows = []
    for j in p["jobs"]:
        b = "".join(f"<li>{html.escape(x)}</li>" for x in bullets(j))
        rows.append(
            f"<tr><td class=l>{html.escape(b_dates(j, p, lang))}</td><td><b>"
            f"{html.escape(j['title'])}</b><br>{html.escape(j['company'])}, "
            f"{city_of(j['company'])}<ul>{b}</ul></td></tr>"
        )
    edu = "".join(
        f"<tr><td class=l>{e['year']}</td><td><b>{html.escape(e['degree'])}</b><br>"
        f"{html.escape(e['school'])}</td></tr>"
        for e in p["education"]
    )
    langs = "<br>".join(html.escape(x) for x in b_langs(p, lang))
    return (
        "<style>td{vertical-align:top;padding:2pt 6pt} td.l{width:30%;color:#444}"
        "h2{font-size:13pt}</style>"
        f"<h1>{html.escape(p['name'])}</h1><p>{h_contact(p, ' · ')}</p>"
        f"<h2>{h['exp']}</h2><table style='width:100%'>{''.join(rows)}</table>"
        f"<h2>{h['edu']}</h2><table style='width:100%'>{edu}</table>"
        f"<h2>{h['skills']}</h2><p>{html.escape(' · '.join(p['skills']))}</p>"
        f"<h2>{h['lang']}</h2><p>{langs}</p>"
    )


def tpl_right_year(p: dict, lang: str) -> str:
    """Title left and the years right on one row; employer and city below; schools over lines."""
    h = HEADS_B[lang]
    jobs = "".join(
        f"<div style='display:flex;justify-content:space-between'><b>{html.escape(j['title'])}"
        f"</b><span>{html.escape(b_dates(j, p, lang))}</span></div><div><i>"
        f"{html.escape(j['company'])} — {city_of(j['company'])}</i></div><ul>"
        + "".join(f"<li>{html.escape(x)}</li>" for x in bullets(j))
        + "</ul>"
        for j in p["jobs"]
    )
    edu = "".join(
        f"<p><b>{html.escape(e['degree'])}</b></p><p>{html.escape(e['school'])}</p>"
        f"<p>{city_of(e['school'])}</p><p>{e['year']}</p>"
        for e in p["education"]
    )
    return (
        f"<h1 style='font-family:serif'>{html.escape(p['name'])}</h1>"
        f"<p>{h_contact(p, ' | ')}</p><h2>{h['exp']}</h2>{jobs}<h2>{h['edu']}</h2>{edu}"
        f"<h2>{h['skills']}</h2>{h_skills(p, False)}<h2>{h['lang']}</h2>"
        f"<p>{'<br>'.join(html.escape(x) for x in b_langs(p, lang))}</p>"
    )


def docx_header_contact(p: dict, lang: str, out: Path) -> None:
    """Name and contact in the page header, email in the footer; years-only job dates."""
    h = HEADS_B[lang]
    d = docx.Document()
    d.styles["Normal"].font.name = "Cambria"
    sec = d.sections[0]
    sec.header.paragraphs[0].text = f"{p['name']}\n{p['location']} – {phone_text(p)}"
    sec.footer.paragraphs[0].text = f"{p['email']} – {p['links'][0]}"
    d.add_heading(h["exp"], level=1)
    for j in p["jobs"]:
        d.add_paragraph().add_run(j["title"]).bold = True
        d.add_paragraph(f"{j['company']}, {city_of(j['company'])} | {b_dates(j, p, lang)}")
        for b in bullets(j):
            d.add_paragraph(b, style="List Bullet")
    d.add_heading(h["edu"], level=1)
    for e in p["education"]:
        d.add_paragraph(f"{e['year']}\t{e['degree']}, {e['school']}")
    d.add_heading(h["skills"], level=1)
    for sk in p["skills"]:
        d.add_paragraph(sk, style="List Bullet")
    d.add_heading(h["lang"], level=1)
    d.add_paragraph("; ".join(b_langs(p, lang)))
    d.save(str(out))


FAMILIES_B = [  # (family, date style, language)
    ("label_column", "mslash", "de"),
    ("right_year", "year", "fr"),
    ("docx_header", "year", "en"),
    ("label_column", "dot", "fr"),
    ("right_year", "mslash", "en"),
    ("docx_header", "dot", "de"),
]


# --- batch C: where education and job headers sit differently --------------------------------

SCHOOL_CITY = {
    "University of Lagos": "Lagos",
    "Seoul National University": "Seoul",
    "Technical University of Munich": "Munich",
    "Universidad de Chile": "Santiago",
    "University of Toronto": "Toronto",
    "Jagiellonian University": "Kraków",
    "Indian Institute of Technology Bombay": "Mumbai",
    "University College Cork": "Cork",
    "University of Leeds": "Leeds",
}


def tpl_edu_right(p: dict, lang: str) -> str:
    """Dates over "Title | Company"; a degree with its year at the right, "School, City" under."""
    h = HEADS_B[lang]
    jobs = "".join(
        f"<p class=muted>{html.escape(b_dates(j, p, lang))}</p><p><b>"
        f"{html.escape(j['title'])} | {html.escape(j['company'])}</b></p><ul>"
        + "".join(f"<li>{html.escape(x)}</li>" for x in bullets(j))
        + "</ul>"
        for j in p["jobs"]
    )
    edu = "".join(
        f"<div style='display:flex;justify-content:space-between'><b>{html.escape(e['degree'])}"
        f"</b><span>{e['year']}</span></div><p>{html.escape(e['school'])}, "
        f"{SCHOOL_CITY[e['school']]}</p>"
        for e in p["education"]
    )
    return (
        f"<h1>{html.escape(p['name'])}</h1><p>{h_contact(p, ' / ')}</p>"
        f"<h2>{h['exp']}</h2>{jobs}<h2>{h['edu']}</h2>{edu}<h2>{h['skills']}</h2>"
        f"{h_skills(p, True)}<h2>{h['lang']}</h2>"
        f"<p>{', '.join(html.escape(x) for x in b_langs(p, lang))}</p>"
    )


def tpl_edu_paren(p: dict, lang: str) -> str:
    """A sidebar with contact, skills, languages; schools as "School (City)", year on its own."""
    h = HEADS_B[lang]
    bar = (
        f"<h2>Kontakt</h2><p>{h_contact(p, '<br>')}</p><h2>{h['skills']}</h2>"
        f"{h_skills(p, False)}<h2>{h['lang']}</h2><p>"
        + "<br>".join(html.escape(x) for x in b_langs(p, lang))
        + "</p>"
    )
    jobs = "".join(
        f"<p><b>{html.escape(j['title'])}</b> — {html.escape(j['company'])}</p>"
        f"<p class=muted>{html.escape(b_dates(j, p, lang))}</p><ul>"
        + "".join(f"<li>{html.escape(x)}</li>" for x in bullets(j))
        + "</ul>"
        for j in p["jobs"]
    )
    edu = "".join(
        f"<p><b>{html.escape(e['degree'])}</b></p><p>{html.escape(e['school'])} "
        f"({SCHOOL_CITY[e['school']]})</p><p class=muted>{e['year']}</p>"
        for e in p["education"]
    )
    main = f"<h1>{html.escape(p['name'])}</h1><h2>{h['exp']}</h2>{jobs}<h2>{h['edu']}</h2>{edu}"
    return (
        f"<table style='width:100%'><tr><td style='width:31%;vertical-align:top;"
        f"background:#eee;padding:8pt'>{bar}</td><td style='vertical-align:top;"
        f"padding-left:14pt'>{main}</td></tr></table>"
    )


def docx_two_cells(p: dict, lang: str, out: Path) -> None:
    """A two-cell table: the sidebar left, the name, jobs and schools right."""
    h = HEADS_B[lang]
    d = docx.Document()
    left, right = d.add_table(rows=1, cols=2).rows[0].cells
    left.paragraphs[0].add_run("Contact").bold = True
    for x in (p["location"], phone_text(p), p["email"], p["links"][0]):
        left.add_paragraph(x)
    left.add_paragraph().add_run(h["skills"]).bold = True
    for x in p["skills"]:
        left.add_paragraph(x)
    left.add_paragraph().add_run(h["lang"]).bold = True
    for x in b_langs(p, lang):
        left.add_paragraph(x)
    run = right.paragraphs[0].add_run(p["name"])
    run.bold, run.font.size = True, Pt(18)
    right.add_paragraph().add_run(h["exp"]).bold = True
    for j in p["jobs"]:
        right.add_paragraph().add_run(f"{j['title']} – {j['company']}").bold = True
        right.add_paragraph(b_dates(j, p, lang))
        for b in bullets(j):
            right.add_paragraph(f"– {b}")
    right.add_paragraph().add_run(h["edu"]).bold = True
    for e in p["education"]:
        right.add_paragraph(e["degree"])
        right.add_paragraph(f"{e['school']}, {SCHOOL_CITY[e['school']]}, {e['year']}")
    d.save(str(out))


FAMILIES_C = [  # (family, date style, language)
    ("edu_right", "dot", "en"),
    ("edu_paren", "mslash", "de"),
    ("docx_two_cells", "year", "en"),
    ("edu_right", "year", "fr"),
    ("edu_paren", "dot", "en"),
    ("docx_two_cells", "mslash", "fr"),
]


# --- batch D: degrees written out in full, with the abbreviation or a track in parentheses -----

FULL_DEGREES = [
    "Bachelor of Science (BSc) in Nursing",
    "Master of Business Administration (MBA)",
    "Bachelor of Arts (Hons) in History",
    "Master of Engineering (MEng) Civil",
    "Doctor of Philosophy (PhD) in Chemistry",
    "Bachelor of Commerce (Accounting)",
    "Master of Science in Data Analytics (online)",
    "Bachelor of Laws (Hons)",
    "Master of Education (MEd)",
    "Diploma in Translation (DipTrans)",
]


def tpl_full_degrees(p: dict, lang: str) -> str:
    """Label column for years; the school line carries its city: "University of Leeds, Leeds"."""
    h = HEADS_B[lang]
    jobs = "".join(
        f"<tr><td class=l>{html.escape(b_dates(j, p, lang))}</td><td><b>"
        f"{html.escape(j['title'])}</b>, {html.escape(j['company'])}</td></tr>"
        for j in p["jobs"]
    )
    edu = "".join(
        f"<tr><td class=l>{e['year']}</td><td><b>{html.escape(e['degree'])}</b><br>"
        f"{html.escape(e['school'])} ({SCHOOL_CITY[e['school']]})</td></tr>"
        for e in p["education"]
    )
    return (
        "<style>td{vertical-align:top;padding:2pt 6pt} td.l{width:24%}</style>"
        f"<h1>{html.escape(p['name'])}</h1><p>{h_contact(p, '  ·  ')}</p>"
        f"<h2>{h['exp']}</h2><table>{jobs}</table><h2>{h['edu']}</h2><table>{edu}</table>"
        f"<h2>{h['skills']}</h2>{h_skills(p, True)}<h2>{h['lang']}</h2>"
        f"<p>{'; '.join(html.escape(x) for x in b_langs(p, lang))}</p>"
    )


def docx_year_first(p: dict, lang: str, out: Path) -> None:
    """Education as "2016  Degree, School"; jobs as "Title, Company" over "dates"."""
    h = HEADS_B[lang]
    d = docx.Document()
    d.add_heading(p["name"], level=0)
    d.add_paragraph(f"{p['email']}  |  {phone_text(p)}  |  {p['location']}")
    d.add_heading(h["exp"], level=2)
    for j in p["jobs"]:
        d.add_paragraph().add_run(f"{j['title']}, {j['company']}").bold = True
        d.add_paragraph(b_dates(j, p, lang))
    d.add_heading(h["edu"], level=2)
    for e in p["education"]:
        d.add_paragraph(f"{e['year']}  {e['degree']}, {e['school']}")
    d.add_heading(h["skills"], level=2)
    d.add_paragraph(", ".join(p["skills"]))
    d.add_heading(h["lang"], level=2)
    d.add_paragraph(", ".join(b_langs(p, lang)))
    d.save(str(out))


FAMILIES_D = [
    ("full_degrees", "mslash", "en"),
    ("docx_year_first", "dot", "fr"),
    ("full_degrees", "year", "de"),
    ("docx_year_first", "mslash", "en"),
]


def make_must_fail(out: Path) -> None:
    # Not a resume: a recipe. A scanned resume: a PDF whose only content is an image.
    print_pdf(
        "<h1>Lemon drizzle cake</h1><p>Beat 225 g butter with 225 g sugar. Fold in four "
        "eggs and the zest of one lemon. Bake at 180 °C for 45 minutes.</p>",
        out / "fail_recipe.pdf",
    )
    img = (
        "data:image/svg+xml;utf8,<svg xmlns='http://www.w3.org/2000/svg' width='600' "
        "height='200'><rect width='600' height='200' fill='black'/></svg>"
    )
    print_pdf(f"<img src=\"{img}\" style='width:100%'>", out / "fail_scanned.pdf")
    for stem in ("fail_recipe", "fail_scanned"):
        (out / f"{stem}.expected.json").write_text(json.dumps({"error": True}) + "\n")


def main() -> None:
    if shutil.which("chromium") is None:
        sys.exit("needs Debian's chromium for the PDFs")
    rng = random.Random(SEED)
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.iterdir():
        old.unlink()
    for n, (family, producer, style, head) in enumerate(FAMILIES * 2):
        p = person(rng, n, style)
        stem = f"t{n + 1:02d}_{family}"
        heads = HEADS[head]
        if producer == "docx":
            docx_classic(rng, p, heads, OUT / f"{stem}.docx", table=family == "docx_table")
        else:
            if family.startswith("sidebar"):
                body = tpl_sidebar(rng, p, heads, family.removeprefix("sidebar_"))
            else:
                body = TEMPLATES[family](rng, p, heads)
            print_pdf(body, OUT / f"{stem}.pdf")
        text = json.dumps(truth(p), ensure_ascii=False, indent=2) + "\n"
        (OUT / f"{stem}.expected.json").write_text(text, encoding="utf-8")
    base = len(FAMILIES) * 2
    for n, (family, style, lang) in enumerate(FAMILIES_B * 2):
        p = person(rng, base + n, "year" if style == "year" else "slash")
        p["date_style"] = style
        stem = f"t{base + n + 1:02d}_{family}_{lang}"
        if family == "docx_header":
            docx_header_contact(p, lang, OUT / f"{stem}.docx")
        else:
            body = (tpl_label_column if family == "label_column" else tpl_right_year)(p, lang)
            print_pdf(body, OUT / f"{stem}.pdf")
        text = json.dumps(truth(p), ensure_ascii=False, indent=2) + "\n"
        (OUT / f"{stem}.expected.json").write_text(text, encoding="utf-8")
    base = len(FAMILIES) * 2 + len(FAMILIES_B) * 2
    for n, (family, style, lang) in enumerate(FAMILIES_C * 2):
        p = person(rng, base + n, "year" if style == "year" else "slash")
        p["date_style"] = style
        stem = f"t{base + n + 1:02d}_{family}_{lang}"
        if family == "docx_two_cells":
            docx_two_cells(p, lang, OUT / f"{stem}.docx")
        else:
            body = (tpl_edu_right if family == "edu_right" else tpl_edu_paren)(p, lang)
            print_pdf(body, OUT / f"{stem}.pdf")
        text = json.dumps(truth(p), ensure_ascii=False, indent=2) + "\n"
        (OUT / f"{stem}.expected.json").write_text(text, encoding="utf-8")
    base += len(FAMILIES_C) * 2
    for n, (family, style, lang) in enumerate(FAMILIES_D * 2):
        p = person(rng, base + n, "year" if style == "year" else "slash")
        p["date_style"] = style
        if family == "docx_year_first":
            p["links"] = []  # this template prints no link
        for k, e in enumerate(p["education"]):
            e["degree"] = FULL_DEGREES[(n + k * 3) % len(FULL_DEGREES)]
        stem = f"t{base + n + 1:02d}_{family}_{lang}"
        if family == "docx_year_first":
            docx_year_first(p, lang, OUT / f"{stem}.docx")
        else:
            print_pdf(tpl_full_degrees(p, lang), OUT / f"{stem}.pdf")
        text = json.dumps(truth(p), ensure_ascii=False, indent=2) + "\n"
        (OUT / f"{stem}.expected.json").write_text(text, encoding="utf-8")
    make_must_fail(OUT)
    print(f"wrote {len(list(OUT.glob('*.expected.json')))} resumes to {OUT}")


if __name__ == "__main__":
    main()
