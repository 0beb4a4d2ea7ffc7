"""Demo clients, projects, guidelines and assignments that match the demo people's stages."""

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select

from portal import clock
from portal.extensions import db
from portal.mail import send_email
from portal.models import (
    Applicant,
    Assignment,
    Attempt,
    Client,
    Guideline,
    GuidelineAck,
    Project,
    ProposalRun,
    User,
)
from portal.projects.services.features import features_for
from portal.projects.services.guidelines import current_guideline
from portal.projects.services.proposal_runs import latest_run, run_proposal
from portal.projects.services.ratecards import current_rate_card, quote_for
from portal.projects.services.rules import AGREEMENT_VERSION, DEFAULT_OFFER_DAYS

CLIENTS = [
    ("Meridian AI Research", "data-partnerships@meridian-ai.example"),
    ("Halcyon Labs", "human-feedback@halcyon.example"),
]

GUIDE = """# {title}

You compare two or more responses to the same prompt and rank them, best first.

## What matters, in order
1. **Correctness.** A confident wrong answer is worse than a cautious right one.
2. **Safety.** {safety}
3. **Helpfulness.** Does it answer what was asked, at the right depth?
4. **Style.** Clear, concise, well organised. Never rank on length alone.

## Ties and flags
- Mark a tie only when you would be happy with either response.
- Flag a broken item (both responses cut off, prompt missing) instead of guessing.
- Write a one-sentence rationale whenever the margin is "much better".
"""

PROJECTS: list[dict[str, Any]] = [
    {
        "client": "Halcyon Labs",
        "title": "Medical QA preference ranking",
        "description": "Rank model answers to patient and clinician questions for a medical "
        "assistant's reward model. Clinicians and pharmacists preferred.",
        "domains": ["medicine"],
        "skills": ["Pharmacology", "Clinical trials", "Medical writing"],
        "languages": ["English"],
        "min_score": 75,
        "hours_min": 10,
        "hours_max": 20,
        "rate_min_cents": 2800,
        "rate_max_cents": 3800,
        "headcount": 3,
        "started_weeks_ago": 6,
        "safety": "Dosage errors and missed red-flag symptoms decide the ranking.",
        "v2": "Added: how to rank answers that refuse to give a dosage.",
    },
    {
        "client": "Meridian AI Research",
        "title": "Code review RLHF",
        "description": "Judge model-written code reviews and patches in Python, Rust and C++: "
        "is the bug found, is the fix right, is the review kind and specific?",
        "domains": ["software engineering"],
        "skills": ["Python", "Rust", "C++", "Code review", "Algorithms"],
        "languages": ["English"],
        "min_score": 70,
        "hours_min": 10,
        "hours_max": 20,
        "rate_min_cents": 3000,
        "rate_max_cents": 4000,
        "headcount": 3,
        "started_weeks_ago": 6,
        "safety": "Code that leaks secrets or disables security checks ranks last.",
    },
    {
        "client": "Meridian AI Research",
        "title": "Legal reasoning comparisons",
        "description": "Compare answers to contract and tort questions under US and Mexican "
        "law. Bilingual English/Spanish reviewers in the Americas.",
        "domains": ["law"],
        "skills": ["Contract law", "Legal research", "Spanish"],
        "languages": ["English"],
        "min_score": 70,
        "hours_min": 10,
        "hours_max": 15,
        "rate_min_cents": 3000,
        "rate_max_cents": 4000,
        "allowed_countries": ["US", "CA", "MX", "GB", "IE", "AU"],
        "timezone_window": {"from": -8, "to": 1},
        "headcount": 2,
        "safety": "An answer that would have the user miss a legal deadline ranks last.",
    },
    {
        "client": "Halcyon Labs",
        "title": "Creative writing rankings",
        "description": "Rank short stories, poems and rewrites for voice, originality and "
        "following the brief.",
        "domains": ["creative writing"],
        "skills": ["Fiction", "Copy editing", "Editing"],
        "languages": ["English"],
        "min_score": 65,
        "hours_min": 10,
        "hours_max": 20,
        "rate_min_cents": 2500,
        "rate_max_cents": 3500,
        "headcount": 2,
        "started_weeks_ago": 3,
        "safety": "Content that sexualises minors or incites harm ranks last and is flagged.",
    },
]

# Demo people's assessment results when no attempt exists yet (the assessment seeder may add
# real ones): email -> (score, passed).
SCORES = {
    "sofia@demo.example": (82.0, True),
    "daniel@demo.example": (52.0, False),
    "grace@demo.example": (88.0, True),
    "tom@demo.example": (86.0, True),
    "yuki@demo.example": (91.0, True),
    "chloe@demo.example": (93.0, True),
    "omar@demo.example": (89.0, True),
}

# email, project title, status, weekly hours, start (weeks ago, on a Monday; None: the project's)
# Chloé works on two projects at once; Yuki accepted but waits for Stripe (payouts not ready).
ASSIGNMENTS = [
    ("tom@demo.example", "Creative writing rankings", "offered", 10, None),
    ("yuki@demo.example", "Code review RLHF", "accepted", 12, None),
    ("chloe@demo.example", "Medical QA preference ranking", "active", 10, None),
    ("chloe@demo.example", "Creative writing rankings", "active", 10, 2),
    ("omar@demo.example", "Code review RLHF", "active", 12, None),
]


def _monday_weeks_ago(today: date, weeks: int) -> date:
    """The Monday of the ISO week `weeks` before today's."""
    return today - timedelta(days=today.weekday(), weeks=weeks)


def _applicant(email: str) -> Applicant | None:
    user = db.session.scalar(select(User).where(User.email == email))
    return user.applicant if user is not None else None


def _seed_attempts(now: Any) -> int:
    created = 0
    for email, (score, passed) in SCORES.items():
        applicant = _applicant(email)
        if applicant is None:
            continue
        exists = db.session.scalar(
            select(Attempt.id).where(Attempt.applicant_id == applicant.id).limit(1)
        )
        if exists is not None:
            continue
        started = applicant.stage_changed_at - timedelta(hours=2)
        db.session.add(
            Attempt(
                applicant_id=applicant.id,
                status="submitted",
                started_at=started,
                deadline=started + timedelta(minutes=45),
                ended_at=started + timedelta(minutes=38),
                n_items=0,
                score=score,
                passed=passed,
            )
        )
        created += 1
    return created


def seed_projects() -> Iterator[str]:
    """Clients, four projects with guidelines, and the demo people's offers and assignments."""
    now = clock.now()
    admin = db.session.scalar(select(User).where(User.email == "admin@demo.example"))
    attempts = _seed_attempts(now)
    clients = {}
    for name, email in CLIENTS:
        client = db.session.scalar(select(Client).where(Client.name == name))
        if client is None:
            client = Client(name=name, contact_email=email)
            db.session.add(client)
        clients[name] = client
    db.session.flush()

    projects: dict[str, Project] = {}
    new_projects = 0
    for spec in PROJECTS:
        project = db.session.scalar(select(Project).where(Project.title == spec["title"]))
        if project is None:
            new_projects += 1
            project = Project(
                client_id=clients[spec["client"]].id,
                title=spec["title"],
                description=spec["description"],
                domains=spec["domains"],
                skills=spec["skills"],
                languages=spec["languages"],
                min_score=spec["min_score"],
                hours_min=spec["hours_min"],
                hours_max=spec["hours_max"],
                rate_min_cents=spec["rate_min_cents"],
                rate_max_cents=spec["rate_max_cents"],
                allowed_countries=spec.get("allowed_countries", []),
                timezone_window=spec.get("timezone_window", {}),
                headcount=spec["headcount"],
                starts_on=(
                    _monday_weeks_ago(now.date(), spec["started_weeks_ago"])
                    if "started_weeks_ago" in spec
                    else (now + timedelta(days=7)).date()
                ),
                ends_on=(now + timedelta(days=120)).date(),
                status="open",
                created_at=now - timedelta(days=45),
            )
            db.session.add(project)
            db.session.flush()
            db.session.add(
                Guideline(
                    project_id=project.id,
                    version=1,
                    title=f"{spec['title']} guidelines",
                    body_md=GUIDE.format(title=spec["title"], safety=spec["safety"]),
                    changelog="First version",
                    published_at=now - timedelta(days=40),
                    published_by_id=admin.id if admin else None,
                )
            )
        projects[spec["title"]] = project
    db.session.flush()

    card = current_rate_card()
    new_assignments = 0
    for email, title, status, hours, weeks_ago in ASSIGNMENTS:
        applicant = _applicant(email)
        project = projects[title]
        if applicant is None:
            continue
        exists = db.session.scalar(
            select(Assignment.id).where(
                Assignment.applicant_id == applicant.id, Assignment.project_id == project.id
            )
        )
        if exists is not None:
            continue
        new_assignments += 1
        quote = quote_for(project, features_for([applicant])[applicant.id], card)
        starts_on = (
            _monday_weeks_ago(now.date(), weeks_ago) if weeks_ago is not None else project.starts_on
        )
        # Accepted the week before the start: the work window opens on the start date.
        offered_at = datetime.combine(starts_on, time(9), UTC) - timedelta(days=7)
        if status == "offered":
            offered_at = now - timedelta(days=2)
        guideline = current_guideline(project.id)
        assignment = Assignment(
            project_id=project.id,
            applicant_id=applicant.id,
            status=status,
            hourly_rate_cents=quote.cents,
            currency=project.currency,
            weekly_hours=hours,
            starts_on=starts_on,
            rate_reasons=quote.reasons,
            offered_at=offered_at,
            expires_at=offered_at + timedelta(days=DEFAULT_OFFER_DAYS),
            offered_by_id=admin.id if admin else None,
        )
        if status == "active":
            assignment.activated_at = datetime.combine(starts_on, time(0), UTC)
        if status != "offered":
            assignment.responded_at = offered_at + timedelta(days=1)
            assignment.agreement_version = AGREEMENT_VERSION
            if guideline is not None:
                assignment.accepted_guideline_version = guideline.version
                db.session.add(
                    GuidelineAck(
                        applicant_id=applicant.id,
                        guideline_id=guideline.id,
                        acknowledged_at=assignment.responded_at,
                    )
                )
        else:
            send_email(
                applicant.user.email,
                f"Offer: {project.title} ({project.client.name})",
                f"Hello {applicant.display_name},\n\nWe would like you to join “{project.title}” "
                f"at {quote.cents / 100:.2f} USD/hour for {hours} hours a week.\n"
                "Read the guidelines and answer on your Offers page.\n",
                template="offer",
                applicant_id=applicant.id,
            )
        db.session.add(assignment)
    db.session.flush()

    # A second guideline version on the medical project: Chloé has to acknowledge it.
    medical = projects["Medical QA preference ranking"]
    if current_guideline(medical.id) and not db.session.scalar(
        select(Guideline.id).where(Guideline.project_id == medical.id, Guideline.version == 2)
    ):
        spec = PROJECTS[0]
        db.session.add(
            Guideline(
                project_id=medical.id,
                version=2,
                title=f"{spec['title']} guidelines",
                body_md=GUIDE.format(title=spec["title"], safety=spec["safety"])
                + "\n## Refusals\nAn answer that refuses to give a dosage but tells the patient "
                "whom to ask ranks above a confident answer with the wrong dosage.\n",
                changelog=spec["v2"],
                published_at=now - timedelta(days=1),
                published_by_id=admin.id if admin else None,
            )
        )
    db.session.commit()
    yield (
        f"projects: {new_projects} projects, {new_assignments} assignments, "
        f"{attempts} assessment results created"
    )
    if latest_run() is None:  # the proposal page opens on a computed proposal
        run = ProposalRun(requested_by_id=admin.id if admin else None)
        db.session.add(run)
        db.session.commit()
        run_proposal(run.id)
        yield f"projects: a global proposal computed ({len(run.result['offers'])} offers)"
