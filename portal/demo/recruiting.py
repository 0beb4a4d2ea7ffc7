"""Demo data for the recruiter workspace: templates, a spread of applicants, notes, scorecards.

Idempotent: every row is looked up by a natural key before it is added.
"""

import random
from collections.abc import Iterator
from datetime import timedelta

from sqlalchemy import select

from portal import audit, clock
from portal.demo.people import DEMO_PASSWORD
from portal.extensions import db
from portal.models import (
    Applicant,
    ApplicantTag,
    Attempt,
    EmailTemplate,
    Note,
    Resume,
    Role,
    Scorecard,
    StageSpan,
    Tag,
    User,
)
from portal.recruiters.index import reindex_all
from portal.storage import get_storage

TEMPLATES = [
    (
        "next_steps",
        "Assessment passed: next steps",
        "assessed_passed",
        "{{ first_name }}, you passed the assessment",
        "Hi {{ first_name }},\n\nCongratulations: you passed our ranking assessment. A recruiter "
        "will review your profile within five business days.\n\nThe Talent Portal team\n"
        "{{ portal_url }}",
    ),
    (
        "shortlisted",
        "Shortlisted",
        "shortlisted",
        "You are on our shortlist, {{ first_name }}",
        "Hi {{ first_name }},\n\nGood news: you are on the shortlist for upcoming projects. We "
        "will be in touch with an offer when a project fits your domains and hours.\n\n"
        "The Talent Portal team",
    ),
    (
        "rejection",
        "Rejection (polite)",
        "rejected",
        "Your application to Talent Portal",
        "Dear {{ full_name }},\n\nThank you for the time you put into your application. We will "
        "not take it further at the moment. You are welcome to apply again in six months.\n\n"
        "The Talent Portal team",
    ),
    (
        "onboarding",
        "Welcome aboard",
        "onboarding",
        "Welcome, {{ first_name }}: connect your payout account",
        "Hi {{ first_name }},\n\nWelcome to the project. Please connect your payout account and "
        "read the labelling guidelines at {{ portal_url }} before your first shift.\n",
    ),
]

FIRST = [
    "Aisha", "Bruno", "Carmen", "Dmitri", "Efua", "Farid", "Greta", "Hiro", "Ines", "Jonas",
    "Kavya", "Leila", "Mateo", "Nadia", "Olu", "Paulo", "Quinn", "Rania", "Sven", "Tariq",
]  # fmt: skip
LAST = [
    "Adeyemi", "Bauer", "Costa", "Dubois", "Eriksen", "Fernandes", "Garcia", "Haddad",
    "Ivanova", "Jensen", "Kim", "Lopez", "Mbeki", "Novak", "Okoro", "Patel",
]  # fmt: skip
PLACES = [
    ("NG", "Lagos", "Africa/Lagos"), ("DE", "Munich", "Europe/Berlin"),
    ("IN", "Pune", "Asia/Kolkata"), ("BR", "Recife", "America/Recife"),
    ("US", "Denver", "America/Denver"), ("PH", "Cebu", "Asia/Manila"),
    ("PL", "Krakow", "Europe/Warsaw"), ("KE", "Mombasa", "Africa/Nairobi"),
    ("CA", "Montreal", "America/Toronto"), ("EG", "Cairo", "Africa/Cairo"),
]  # fmt: skip
DOMAINS = {
    "software engineering": ["Python", "TypeScript", "Go", "Code review", "SQL"],
    "medicine": ["Clinical trials", "Pharmacology", "Medical writing", "Cardiology"],
    "law": ["Contract law", "Legal research", "Compliance", "GDPR"],
    "mathematics": ["Proof writing", "Statistics", "LaTeX", "Linear algebra"],
    "finance": ["Financial modelling", "Accounting", "Excel", "Risk"],
    "creative writing": ["Fiction", "Copy editing", "Poetry", "Screenwriting"],
}
PATH = ["applied", "profile_complete", "assessed_passed", "shortlisted", "offered",
        "onboarding", "active"]  # fmt: skip
# Stage of each generated applicant: weighted so the queues that wait on us are full.
STAGE_MIX = (
    ["applied"] * 6 + ["profile_complete"] * 9 + ["assessed_passed"] * 8
    + ["assessed_failed"] * 5 + ["shortlisted"] * 4 + ["talent_pool"] + ["offered"] * 2
    + ["onboarding"] * 1
    + ["active"] * 2 + ["rejected"] * 2
)  # fmt: skip
GENERATED = 40
RESUME_LINES = [
    "{years} years of {domain} practice; reviewed {skill} work for a team of twelve.",
    "Wrote and edited guidance documents; strong written English and attention to detail.",
    "Previously rated model outputs for a search-quality programme (pairwise comparisons).",
    "Mentored junior colleagues in {skill}; published two articles on {domain}.",
]


def _path_to(stage: str) -> list[str]:
    if stage == "assessed_failed":
        return ["applied", "profile_complete", "assessed_failed"]
    if stage == "rejected":
        return ["applied", "profile_complete", "assessed_failed", "rejected"]
    if stage == "talent_pool":
        return PATH[: PATH.index("shortlisted") + 1] + ["talent_pool"]
    return PATH[: PATH.index(stage) + 1]


def seed_templates() -> int:
    created = 0
    for key, name, stage, subject, body in TEMPLATES:
        if db.session.scalar(select(EmailTemplate.id).where(EmailTemplate.key == key)):
            continue
        db.session.add(EmailTemplate(key=key, name=name, stage=stage, subject=subject, body=body))
        created += 1
    return created


def seed_generated(password_hash: str) -> int:
    rng = random.Random(2026)
    now = clock.now()
    created = 0
    for n in range(GENERATED):
        first, last = FIRST[n % len(FIRST)], LAST[(n * 7) % len(LAST)]
        email = f"{first.lower()}.{last.lower()}.{n}@demo.example"
        stage = STAGE_MIX[n % len(STAGE_MIX)]
        country, city, tz = PLACES[rng.randrange(len(PLACES))]
        domains = rng.sample(sorted(DOMAINS), k=rng.choice([1, 1, 2]))
        skills = sorted({s for d in domains for s in rng.sample(DOMAINS[d], k=2)})
        days_in_stage = rng.choice([0, 1, 2, 3, 4, 5, 6, 8, 11, 15])
        applied_days = days_in_stage + rng.randrange(2, 70)
        if db.session.scalar(select(User.id).where(User.email == email)):
            continue
        user = User(
            email=email,
            name=f"{first} {last}",
            role=Role.APPLICANT,
            email_verified_at=now,
            password_hash=password_hash,
        )
        db.session.add(user)
        done = stage != "applied"
        years = round(rng.uniform(1, 15), 1)
        user.applicant = Applicant(
            full_name=f"{first} {last}",
            country=country,
            city=city,
            timezone=tz,
            domains=domains,
            skills=skills,
            languages=[{"language": "English", "level": rng.choice(["fluent", "native"])}],
            years_experience=years,
            weekly_hours=rng.choice([10, 15, 20, 25, 30]) if done else None,
            desired_rate_cents=rng.choice([2000, 2500, 3000, 3500, 4500]) if done else None,
            labelling_experience=(
                [{"platform": rng.choice(["Scale AI", "Surge", "Appen"]), "months": 6}]
                if rng.random() < 0.4
                else []
            ),
            stage=stage,
            stage_changed_at=now - timedelta(days=days_in_stage, hours=rng.randrange(0, 8)),
            created_at=now - timedelta(days=applied_days),
            profile_completed_at=now - timedelta(days=applied_days - 1) if done else None,
            consented_at=now - timedelta(days=applied_days) if done else None,
        )
        db.session.flush()
        applicant = user.applicant
        # A plausible audited history along the path, ending when the current stage began.
        path = _path_to(stage)
        start = applicant.created_at
        end = applicant.stage_changed_at
        steps = len(path) - 1
        entered = start
        for i in range(1, len(path)):
            at = start + (end - start) * i / steps
            application_id = applicant.applications[0].id
            span = StageSpan.between(applicant.id, path[i - 1], entered, at, application_id)
            db.session.add(span)
            entered = at
            event = audit.record(
                "stage.moved",
                actor=None,
                subject_type="applicant",
                subject_id=applicant.id,
                applicant_id=applicant.id,
                reason="Score below the bar" if path[i] == "rejected" else None,
                from_stage=path[i - 1],
                to_stage=path[i],
            )
            event.created_at = at
        if done:
            domain, skill = domains[0], skills[0]
            text = "\n".join(
                line.format(years=int(years), domain=domain, skill=skill) for line in RESUME_LINES
            )
            text = f"{first} {last}\n{city}, {country}\n{text}"
            db.session.add(
                Resume(
                    applicant_id=applicant.id,
                    sha256=get_storage().save(text.encode()),  # so the download link works
                    size=len(text),
                    kind="txt",
                    filename=f"{first.lower()}-{last.lower()}-cv.txt",
                    status="parsed",
                    text=text,
                    parsed={"name": f"{first} {last}", "skills": skills},
                    parser_version="demo",
                    parsed_at=applicant.created_at,
                )
            )
        if stage not in {"applied", "profile_complete"}:
            failed = stage in {"assessed_failed", "rejected"}
            score = round(rng.uniform(30, 64) if failed else rng.uniform(66, 96), 1)
            db.session.add(
                Attempt(
                    applicant_id=applicant.id,
                    status="submitted",
                    started_at=applicant.created_at + timedelta(days=1),
                    deadline=applicant.created_at + timedelta(days=1, hours=1),
                    ended_at=applicant.created_at + timedelta(days=1, minutes=50),
                    n_items=20,
                    score=score,
                    passed=not failed,
                    result={"score": score, "passed": not failed, "reasons": []},
                )
            )
        created += 1
    return created


NOTES = [
    ("sofia@demo.example", "recruiter@demo.example",
     "Strong contract-law background; asked about Spanish-language projects."),
    ("grace@demo.example", "recruiter2@demo.example",
     "Clinical trial experience is exactly what the medical RLHF client needs."),
    ("priya@demo.example", "recruiter@demo.example",
     "Resume mentions large-scale code review at a fintech; check availability."),
    ("daniel@demo.example", "recruiter2@demo.example",
     "Failed on attention checks only; consider a retake."),
]  # fmt: skip
SCORECARDS = [
    ("grace@demo.example", "recruiter@demo.example", (4, 3, 4, 3), "strong_yes"),
    ("grace@demo.example", "recruiter2@demo.example", (4, 3, 3, 4), "yes"),
    ("sofia@demo.example", "recruiter@demo.example", (3, 4, 3, 3), "yes"),
    ("daniel@demo.example", "recruiter@demo.example", (2, 2, 3, 2), "no"),
]
TAGS = [("grace@demo.example", "medical client"), ("sofia@demo.example", "spanish"),
        ("tom@demo.example", "writing"), ("priya@demo.example", "code review")]  # fmt: skip


def _by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email))


def seed_reviews() -> int:
    added = 0
    for applicant_email, author_email, body in NOTES:
        person, author = _by_email(applicant_email), _by_email(author_email)
        if person is None or person.applicant is None or author is None:
            continue
        exists = db.session.scalar(
            select(Note.id).where(Note.applicant_id == person.applicant.id, Note.body == body)
        )
        if not exists:
            db.session.add(Note(applicant_id=person.applicant.id, author_id=author.id, body=body))
            added += 1
    for applicant_email, author_email, ratings, recommendation in SCORECARDS:
        person, author = _by_email(applicant_email), _by_email(author_email)
        if person is None or person.applicant is None or author is None:
            continue
        exists = db.session.scalar(
            select(Scorecard.id).where(
                Scorecard.applicant_id == person.applicant.id, Scorecard.recruiter_id == author.id
            )
        )
        if not exists:
            d, w, j, r = ratings
            db.session.add(
                Scorecard(
                    applicant_id=person.applicant.id,
                    recruiter_id=author.id,
                    domain_expertise=d,
                    writing_quality=w,
                    judgement=j,
                    reliability=r,
                    recommendation=recommendation,
                )
            )
            added += 1
    for applicant_email, name in TAGS:
        person = _by_email(applicant_email)
        if person is None or person.applicant is None:
            continue
        tag = db.session.scalar(select(Tag).where(Tag.name == name))
        if tag is None:
            tag = Tag(name=name)
            db.session.add(tag)
            db.session.flush()
        if db.session.get(ApplicantTag, (person.applicant.id, tag.id)) is None:
            db.session.add(ApplicantTag(applicant_id=person.applicant.id, tag_id=tag.id))
            added += 1
    return added


def seed_recruiting() -> Iterator[str]:

    templates = seed_templates()
    probe = User(email="probe@invalid")
    probe.set_password(DEMO_PASSWORD)  # one hash for every generated applicant (fast seeding)
    generated = seed_generated(probe.password_hash)
    reviews = seed_reviews()
    db.session.commit()
    indexed = reindex_all()
    yield (
        f"recruiting: {templates} email templates, {generated} generated applicants, "
        f"{reviews} notes/scorecards/tags added; {indexed} applicants indexed for search"
    )
