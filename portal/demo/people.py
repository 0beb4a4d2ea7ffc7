"""The demo's people: staff and applicants at every stage (the first seeder; others build on it)."""

from collections.abc import Iterator
from datetime import timedelta

from sqlalchemy import select

from portal import clock
from portal.extensions import db
from portal.models import Applicant, Role, User

DEMO_PASSWORD = "demo-pass-2026"

STAFF = [
    ("admin@demo.example", "Ada Okafor", Role.ADMIN),
    ("recruiter@demo.example", "Rafael Mendes", Role.RECRUITER),
    ("recruiter2@demo.example", "Mei Tanaka", Role.RECRUITER),
]

# name, email, stage, country, city, timezone, domains, skills, hours, rate $/h, years, days ago
APPLICANTS = [
    (
        "Amara Nwosu",
        "amara@demo.example",
        "applied",
        "NG",
        "Lagos",
        "Africa/Lagos",
        ["software engineering"],
        ["Python", "Django"],
        15,
        25,
        3.0,
        1,
    ),
    (
        "Lukas Becker",
        "lukas@demo.example",
        "profile_complete",
        "DE",
        "Berlin",
        "Europe/Berlin",
        ["mathematics", "education"],
        ["LaTeX", "Proof writing", "Tutoring"],
        20,
        30,
        6.5,
        4,
    ),
    (
        "Priya Raman",
        "priya@demo.example",
        "profile_complete",
        "IN",
        "Bengaluru",
        "Asia/Kolkata",
        ["software engineering"],
        ["Java", "Kubernetes", "Code review"],
        12,
        25,
        8.0,
        7,
    ),
    (
        "Sofía Hernández",
        "sofia@demo.example",
        "assessed_passed",
        "MX",
        "Mexico City",
        "America/Mexico_City",
        ["law"],
        ["Contract law", "Legal research", "Spanish"],
        15,
        30,
        5.0,
        3,
    ),
    (
        "Daniel Cohen",
        "daniel@demo.example",
        "assessed_failed",
        "IL",
        "Tel Aviv",
        "Asia/Jerusalem",
        ["finance"],
        ["Excel", "Financial modelling"],
        10,
        32,
        4.0,
        6,
    ),
    (
        "Grace Mwangi",
        "grace@demo.example",
        "shortlisted",
        "KE",
        "Nairobi",
        "Africa/Nairobi",
        ["medicine", "science research"],
        ["Clinical trials", "Biostatistics", "R"],
        18,
        28,
        9.0,
        2,
    ),
    (
        "Tom Fischer",
        "tom@demo.example",
        "offered",
        "US",
        "Austin",
        "America/Chicago",
        ["creative writing", "education"],
        ["Copy editing", "Fiction", "Curriculum design"],
        20,
        35,
        12.0,
        5,
    ),
    (
        "Yuki Sato",
        "yuki@demo.example",
        "onboarding",
        "JP",
        "Osaka",
        "Asia/Tokyo",
        ["software engineering", "mathematics"],
        ["Rust", "C++", "Algorithms"],
        16,
        33,
        7.0,
        8,
    ),
    (
        "Chloé Martin",
        "chloe@demo.example",
        "active",
        "FR",
        "Lyon",
        "Europe/Paris",
        ["medicine"],
        ["Pharmacology", "Medical writing", "French"],
        20,
        34,
        10.0,
        30,
    ),
    (
        "Omar Haddad",
        "omar@demo.example",
        "active",
        "CA",
        "Toronto",
        "America/Toronto",
        ["software engineering", "finance"],
        ["Python", "SQL", "Data analysis"],
        15,
        35,
        11.0,
        40,
    ),
    (
        "Elena Petrova",
        "elena@demo.example",
        "rejected",
        "BG",
        "Sofia",
        "Europe/Sofia",
        ["creative writing"],
        ["Translation", "Editing"],
        10,
        25,
        2.0,
        12,
    ),
    (
        "Kwame Mensah",
        "kwame@demo.example",
        "withdrawn",
        "GH",
        "Accra",
        "Africa/Accra",
        ["education"],
        ["Teaching", "Assessment design"],
        10,
        25,
        5.0,
        20,
    ),
]

PROFILE_DONE = {
    "profile_complete",
    "assessed_passed",
    "assessed_failed",
    "shortlisted",
    "offered",
    "onboarding",
    "active",
    "rejected",
}


def _user(email: str, name: str, role: Role) -> tuple[User, bool]:
    user = db.session.scalar(select(User).where(User.email == email))
    if user is not None:
        return user, False
    user = User(email=email, name=name, role=role, email_verified_at=clock.now())
    user.set_password(DEMO_PASSWORD)
    db.session.add(user)
    return user, True


def seed_people() -> Iterator[str]:
    created = 0
    for email, name, role in STAFF:
        _, new = _user(email, name, role)
        created += new
    now = clock.now()
    for row in APPLICANTS:
        (name, email, stage, country, city, tz, domains, skills, hours, rate, years, days) = row
        user, new = _user(email, name, Role.APPLICANT)
        if not new:
            continue
        created += 1
        done = stage in PROFILE_DONE
        user.applicant = Applicant(
            full_name=name,
            country=country,
            city=city,
            timezone=tz,
            domains=domains,
            skills=skills,
            weekly_hours=hours if done else None,
            desired_rate_cents=rate * 100 if done else None,
            years_experience=years,
            languages=[{"language": "English", "level": "fluent"}],
            stage=stage,
            stage_changed_at=now - timedelta(days=days),
            created_at=now - timedelta(days=days + 3),
            profile_completed_at=now - timedelta(days=days) if done else None,
            consented_at=now - timedelta(days=days) if done else None,
        )
    db.session.commit()
    yield f"people: {created} created ({len(STAFF)} staff, {len(APPLICANTS)} applicants in all)"
