"""Random resume content for the family corpus (``gen_families.py``): people, jobs, schools.

Everything a layout family needs to draw a resume, plus the ground truth of the DESIGN.md JSON
contract. Names come from many cultures, dates are written in every common format, degrees
carry parentheses, skills are multi-word, phones are numbers of many countries written in
several ways. Ground truth conventions are those of ``gen_tuning.py``.
"""

from __future__ import annotations

import random
import re
import unicodedata

import phonenumbers

TODAY = (2026, 1)

PEOPLE = [  # name, region, location
    ("Ji-woo Park", "KR", "Busan, South Korea"),
    ("Chidinma Okafor", "NG", "Abuja, Nigeria"),
    ("María José Fernández", "ES", "Sevilla, Spain"),
    ("Nguyễn Thị Lan", "VN", "Hanoi, Vietnam"),
    ("Priyanka Raghunathan", "IN", "Chennai, India"),
    ("Haruto Sato", "JP", "Kyoto, Japan"),
    ("Mehmet Demir", "TR", "Ankara, Turkey"),
    ("Friederike Hoffmann", "DE", "Leipzig, Germany"),
    ("Joaquín Morales", "AR", "Córdoba, Argentina"),
    ("Astrid Johansson", "SE", "Malmö, Sweden"),
    ("Kofi Asante", "GH", "Kumasi, Ghana"),
    ("Zofia Wiśniewska", "PL", "Gdańsk, Poland"),
    ("Callum MacLeod", "GB", "Glasgow, United Kingdom"),
    ("Tyrone Jackson", "US", "Atlanta, GA"),
    ("Léa Dubois", "FR", "Lyon, France"),
    ("Giorgos Papadopoulos", "GR", "Thessaloniki, Greece"),
    ("Fatemeh Rahimi", "CA", "Toronto, ON"),
    ("Wei Zhang", "SG", "Singapore"),
    ("Amani Njoroge", "KE", "Nairobi, Kenya"),
    ("João Pedro Silva", "BR", "Recife, Brazil"),
    ("Aroha Ngata", "NZ", "Wellington, New Zealand"),
    ("Siddharth Menon", "AE", "Dubai, United Arab Emirates"),
    ("Olena Kovalenko", "UA", "Lviv, Ukraine"),
    ("Ruairí Ó Dónaill", "IE", "Galway, Ireland"),
    ("Camille Lefèvre", "BE", "Brussels, Belgium"),
    ("Santiago Herrera", "MX", "Guadalajara, Mexico"),
    ("Hana Novák", "CZ", "Brno, Czech Republic"),
    ("Emily-Rose Carter", "AU", "Brisbane, Australia"),
    ("Tomás Ruiz", "CO", "Medellín, Colombia"),
    ("Ingrid Solberg", "NO", "Bergen, Norway"),
    ("Youssef El Amrani", "MA", "Rabat, Morocco"),
    ("Daniela Costa", "PT", "Porto, Portugal"),
]

PROFESSIONS = {
    "software engineering": (
        ["Software Engineer", "Platform Engineer", "Senior Backend Developer", "Tech Lead"],
        ["TypeScript", "Event-Driven Architecture", "Amazon Web Services", "Rust",
         "Test-Driven Development", "Docker", "GraphQL", "Site Reliability Engineering"],
        ["B.Sc. in Software Engineering", "M.Sc. in Computer Science (Distributed Systems)",
         "B.Tech. (Computer Engineering)"],
    ),
    "medicine": (
        ["Registered Nurse", "Hospital Pharmacist", "General Practitioner", "Nurse Practitioner"],
        ["Patient Assessment", "Wound Care", "Clinical Documentation", "Medication Management",
         "Emergency Triage", "Evidence-Based Practice"],
        ["Bachelor of Nursing (Honours)", "Pharm.D. (Clinical Pharmacy)", "MD"],
    ),
    "finance": (
        ["Investment Analyst", "Financial Controller", "Senior Auditor", "Treasury Analyst"],
        ["Power BI", "Variance Analysis", "US GAAP", "Oracle Financials",
         "Discounted Cash Flow Valuation", "Risk Assessment"],
        ["B.B.A. (Finance)", "M.Sc. in Accounting and Finance", "CFA Level II"],
    ),
    "law": (
        ["Senior Associate", "In-house Counsel", "Legal Advisor", "Trainee Solicitor"],
        ["Mergers and Acquisitions", "Regulatory Compliance", "Contract Negotiation",
         "Intellectual Property", "Employment Law"],
        ["LL.B. (Hons)", "LL.M. in International Commercial Law", "Juris Doctor"],
    ),
    "education": (
        ["Primary School Teacher", "Physics Teacher", "Curriculum Coordinator", "Tutor"],
        ["Lesson Planning", "Special Educational Needs", "Microsoft Teams",
         "Formative Assessment", "Blended Learning"],
        ["B.A. in Primary Education", "M.Ed. (Educational Leadership)"],
    ),
    "engineering": (
        ["Civil Engineer", "Process Engineer", "Electrical Design Engineer", "Site Engineer"],
        ["Structural Analysis", "Revit", "Lean Manufacturing", "Power Systems",
         "Project Scheduling", "Quality Assurance"],
        ["B.Eng. (Civil Engineering)", "M.Sc. in Chemical Engineering"],
    ),
    "linguistics": (
        ["Conference Interpreter", "Technical Translator", "Localisation Manager"],
        ["Computer-Assisted Translation", "memoQ", "Transcreation", "Style Guides",
         "Quality Evaluation"],
        ["M.A. in Conference Interpreting", "B.A. (Hons) Modern Languages"],
    ),
    "data science": (
        ["Data Engineer", "Research Scientist", "Analytics Lead", "Data Scientist"],
        ["Apache Spark", "Bayesian Statistics", "Deep Learning", "Time Series Forecasting",
         "Data Visualisation", "R"],
        ["Ph.D. in Statistics", "M.Sc. in Data Science (Machine Learning)"],
    ),
    "psychology": (
        ["Clinical Psychologist", "UX Researcher", "School Counsellor"],
        ["Cognitive Behavioural Therapy", "Psychometric Testing", "Qualitative Interviews",
         "Usability Testing", "SPSS"],
        ["D.Clin.Psy.", "B.Sc. (Hons) Psychology"],
    ),
    "marketing": (
        ["Content Strategist", "Brand Manager", "SEO Specialist"],
        ["Search Engine Optimisation", "Google Analytics", "Copywriting", "HubSpot",
         "Social Media Strategy"],
        ["B.A. in Communication Studies", "MBA (Marketing)"],
    ),
}  # fmt: skip

COMPANIES = [
    ("Riverbend Clinic", "Denver"), ("Atlas Capital Partners", "London"),
    ("Sunrise Primary School", "Leeds"), ("Quantum Forge Ltd", "Cambridge"),
    ("Schneider & Vogel AG", "Stuttgart"), ("Constructora del Pacífico S.A.", "Lima"),
    ("Mitsuba Trading Co.", "Osaka"), ("Harrow & Finch LLP", "Manchester"),
    ("Cobalt Data Labs", "Berlin"), ("Nordlys Energi AS", "Oslo"),
    ("St. Luke's Hospital", "Dublin"), ("Pixelcraft Studios", "Montreal"),
    ("Banco Meridional", "Madrid"), ("Greenfield Engineering", "Nairobi"),
    ("Lumière Conseil", "Paris"), ("Kangaroo Logistics Pty Ltd", "Sydney"),
]  # fmt: skip
SCHOOLS = [
    "University of Edinburgh", "Universidad Complutense de Madrid", "Ludwig Maximilian University",
    "Kyoto University", "University of Nairobi", "McGill University", "Sorbonne University",
    "University of São Paulo", "National University of Singapore", "University of Warsaw",
    "Anna University", "University of Cape Town", "Trinity College Dublin", "ETH Zurich",
]  # fmt: skip
PLATFORMS = ["Outlier", "Scale AI", "Appen", "TELUS International", "Remotasks", "DataAnnotation"]
LABEL_TITLES = ["AI Trainer", "Data Annotator", "Search Quality Rater", "AI Response Evaluator"]
LANGS = ["English", "Spanish", "German", "French", "Korean", "Japanese", "Portuguese", "Arabic"]
LEVEL_WORDS = {
    "native": ["Native", "Mother tongue"],
    "fluent": ["Fluent", "C2"],
    "professional": ["C1", "Professional working proficiency"],
    "conversational": ["B2", "Intermediate"],
    "basic": ["A2", "Basic"],
}
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
FULL = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
        "October", "November", "December"]  # fmt: skip
MONTHS_L = {
    "es": ["ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic"],
    "de": ["Jan", "Feb", "Mär", "Apr", "Mai", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dez"],
    "fr": ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.",
           "nov.", "déc."],
}  # fmt: skip
PRESENT = {
    "en": ["Present", "present", "Current", "Now"],
    "es": ["actualidad", "presente"],
    "de": ["heute", "aktuell"],
    "fr": ["aujourd'hui", "en cours"],
}
DATE_STYLES = ["mon", "full", "slash", "slash1", "dot", "iso", "year"]
DASHES = [" – ", " - ", " — ", " to ", "–"]
HEADS = {
    "en": {"exp": ["Experience", "Professional Experience", "Work History", "Employment"],
           "edu": ["Education", "Academic Background", "Qualifications"],
           "skills": ["Skills", "Core Competencies", "Technical Skills", "Key Skills"],
           "lang": ["Languages"], "contact": ["Contact", "Details"],
           "summary": ["Profile", "Summary"], "pubs": ["Publications"]},
    "es": {"exp": ["Experiencia", "Experiencia profesional"], "edu": ["Formación", "Educación"],
           "skills": ["Habilidades", "Competencias"], "lang": ["Idiomas"],
           "contact": ["Contacto"], "summary": ["Perfil"], "pubs": ["Publicaciones"]},
    "de": {"exp": ["Berufserfahrung"], "edu": ["Ausbildung", "Bildung"],
           "skills": ["Kenntnisse", "Fähigkeiten"], "lang": ["Sprachen"],
           "contact": ["Kontakt"], "summary": ["Profil"], "pubs": ["Publikationen"]},
    "fr": {"exp": ["Expérience professionnelle", "Expérience"], "edu": ["Formation"],
           "skills": ["Compétences"], "lang": ["Langues"], "contact": ["Contact"],
           "summary": ["Profil"], "pubs": ["Publications"]},
}  # fmt: skip
BULLETS = [
    "Led a team of five across two sites", "Reduced processing time by 30 %",
    "Introduced a weekly review of open cases", "Mentored three junior colleagues",
    "Presented results to the leadership team", "Rebuilt the reporting pipeline",
]  # fmt: skip
LABEL_BULLETS = [
    "Ranked and rated 12,000+ LLM responses (RLHF) against written guidelines",
    "Wrote rationales for pairwise preference judgements",
]
SUMMARY = "Reliable professional with a record of careful, well-documented work."


def ym(y: int, m: int) -> str:
    return f"{y:04d}-{m:02d}"


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


def point(p: tuple[int, int] | None, style: str, lang: str, present: str) -> str:
    if p is None:
        return present
    y, m = p
    if style == "mon" and lang in MONTHS_L:
        return f"{MONTHS_L[lang][m - 1]} {y}"
    return {
        "mon": f"{MONTHS[m - 1]} {y}",
        "full": f"{FULL[m - 1]} {y}",
        "slash": f"{m:02d}/{y}",
        "slash1": f"{m}/{y}",
        "dot": f"{m:02d}.{y}",
        "iso": f"{y}-{m:02d}",
        "year": f"{y}",
    }[style]


def phone_text(p: dict, rng: random.Random) -> str:
    intl = phonenumbers.format_number(p["phone_obj"], phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    style = rng.choice(["intl", "intl", "e164", "dots", "dashes"])
    if style == "e164":
        return p["phone"]
    if style == "dots":
        return intl.replace(" ", ".").replace("-", ".").replace("+", "+", 1)
    if style == "dashes":
        return intl.replace(" ", "-").replace("+-", "+")
    return intl


def person(rng: random.Random, lang: str = "en") -> dict:
    """One random resume: its content, how it writes dates, and its ground truth."""
    name, region, location = rng.choice(PEOPLE)
    domain = rng.choice(list(PROFESSIONS))
    titles, skills, degrees = PROFESSIONS[domain]
    num = phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.MOBILE)
    parts = name.split()
    first, last = slug(parts[0]), slug(parts[-1])
    email = rng.choice([f"{first}.{last}", f"{first}{last}", f"{first[0]}{last}"]) + rng.choice(
        ["@example.com", "@mail.example.org", "@example.net"]
    )
    n = rng.randint(0, 999)
    links = [f"https://linkedin.com/in/{first}-{last}-{n}"]
    if rng.random() < 0.3:
        links.append(f"https://github.com/{first}{last}")
    style = rng.choice(DATE_STYLES)
    jobs: list[dict] = []
    n_jobs = rng.randint(2, 4)
    label_at = rng.randrange(n_jobs) if rng.random() < 0.4 else -1
    prev_start = 0
    cur = 2025 * 12 + rng.randint(0, 11) - rng.randint(0, 14)
    for j in range(n_jobs):
        s = divmod(cur, 12)
        if style == "year":
            s = (s[0], 0)
        e = None if j == 0 else divmod(prev_start - 1 - rng.randint(0, 2), 12)
        if e is not None and style == "year":
            e = (e[0], 11)
        start, end = (s[0], s[1] + 1), (None if e is None else (e[0], e[1] + 1))
        if end is not None and start[0] * 12 + start[1] > end[0] * 12 + end[1]:
            start = (end[0] - 1, 1)
        company, city = rng.choice(COMPANIES)
        lab = j == label_at
        jobs.append(
            {
                "title": rng.choice(LABEL_TITLES) if lab else titles[j % len(titles)],
                "company": rng.choice(PLATFORMS) if lab else company,
                "city": "Remote" if lab else city,
                "start": ym(*start),
                "end": None if end is None else ym(*end),
                "_s": start,
                "_e": end,
                "_label": lab,
                "bullets": LABEL_BULLETS if lab else rng.sample(BULLETS, rng.randint(1, 3)),
            }
        )
        prev_start = start[0] * 12 + start[1] - 1
        cur = prev_start - rng.randint(6, 30)
    labelling: dict = {"months": 0, "platforms": []}
    for job in jobs:
        if job["_label"]:
            e = job["_e"] or TODAY
            labelling = {
                "months": (e[0] - job["_s"][0]) * 12 + e[1] - job["_s"][1] + 1,
                "platforms": [job["company"]],
            }
    oldest = int(jobs[-1]["start"][:4])
    schools = rng.sample(SCHOOLS, 2)
    edu = [{"degree": degrees[0], "school": schools[0], "year": oldest - rng.randint(0, 2)}]
    if rng.random() < 0.5:
        edu.insert(0, {"degree": degrees[1], "school": schools[1], "year": oldest + 2})
    langs = [("English", "native" if region in ("GB", "US", "IE", "AU", "NZ") else "fluent")]
    for other in rng.sample([x for x in LANGS if x != "English"], rng.randint(1, 2)):
        langs.append((other, rng.choice(list(LEVEL_WORDS))))
    p = {
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
        "style": style,
        "dash": rng.choice(DASHES),
        "present": rng.choice(PRESENT[lang]),
        "lang": lang,
        "heads": {k: rng.choice(v) for k, v in HEADS[lang].items()},
    }
    p["phone_text"] = phone_text(p, rng)
    return p


def date_range(j: dict, p: dict) -> str:
    a = point(j["_s"], p["style"], p["lang"], p["present"])
    b = point(j["_e"], p["style"], p["lang"], p["present"])
    return f"{a}{p['dash']}{b}"


def lang_line(rng: random.Random, language: str, level: str) -> str:
    word = rng.choice(LEVEL_WORDS[level])
    return rng.choice([f"{language} ({word})", f"{language} – {word}", f"{language}: {word}"])


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
        "languages": [{"language": a, "level": b} for a, b in p["languages"]],
        "domains": [p["domain"]],
        "labelling": p["labelling"],
    }
