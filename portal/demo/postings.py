"""The demo's three open postings: the AI-preference rater (the default posting the migration
creates), a medical-domain reviewer and a Spanish-language rater."""

from collections.abc import Iterator
from typing import Any

from sqlalchemy import select

from portal.extensions import db
from portal.models import Posting, Project, User
from portal.postings.services import create_posting, move_posting, update_posting

RATER = "ai-response-rater"  # the slug migration 0018 gives the default posting

POSTINGS: list[dict[str, Any]] = [
    {
        "slug": RATER,
        "title": "AI Response Rater (remote, freelance)",
        "summary": "Compare and rank AI model responses and explain why; 10–20 h/week, "
        "$25–35/h, paid weekly.",
        "overview": "Help train AI models by comparing and ranking their responses and writing "
        "short rationales. Leading AI labs use your judgement to teach their models what a good "
        "answer looks like.",
        "responsibilities": "- Compare two responses or rank three or four\n"
        "- Write a brief rationale for each judgement\n"
        "- Flag broken or unsafe tasks\n"
        "- Follow the labelling guidelines as they evolve",
        "qualifications": "- Careful reading and clear writing in English\n"
        "- Expertise in a field (law, engineering, research, medicine, creative writing, "
        "coding, …)\n- Prior annotation or review work is a plus",
        "commitment": "10–20 hours a week, remote and asynchronous: work when it suits you.",
        "compensation": "$25–35 an hour by experience and location, paid weekly via Stripe "
        "Connect, as an independent contractor.",
        "process": "1. Upload your resume and fill a short form\n"
        "2. Take a brief timed assessment (about 45 minutes)\n"
        "3. We answer within 3–5 business days",
        "pay_min_cents": 2500,
        "pay_max_cents": 3500,
        "hours_min": 10,
        "hours_max": 20,
        "domains": ["general", "writing", "coding"],
        "track": "general",
        "answer_days": 5,
    },
    {
        "slug": "medical-reviewer",
        "title": "Medical Reviewer for AI Health Answers",
        "summary": "Clinicians rank AI answers to patient and clinician questions; 10–20 h/week, "
        "$40–60/h.",
        "overview": "A medical assistant's reward model learns from your rankings. You read "
        "model answers to patient and clinician questions and decide which is safer, more "
        "accurate and more useful.",
        "responsibilities": "- Rank answers on correctness, safety and helpfulness\n"
        "- Catch dosage errors and missed red-flag symptoms\n"
        "- Explain each *much better* judgement in a sentence",
        "qualifications": "- Licensed physician, nurse practitioner, pharmacist or PA\n"
        "- At least 3 years of clinical practice\n- Excellent written English",
        "commitment": "10–20 hours a week, remote and asynchronous.",
        "compensation": "$40–60 an hour by credentials and experience, paid weekly via Stripe "
        "Connect, as an independent contractor.",
        "process": "Resume, a short form and the **medicine** track of our assessment; we answer "
        "within 3 business days.",
        "pay_min_cents": 4000,
        "pay_max_cents": 6000,
        "hours_min": 10,
        "hours_max": 20,
        "domains": ["medicine"],
        "languages": ["en"],
        "locations": ["US", "CA", "GB", "IE", "AU"],
        "track": "medicine",
        "answer_days": 3,
        "project": "Medical QA preference ranking",
    },
    {
        "slug": "spanish-language-rater",
        "title": "Spanish-Language AI Rater",
        "summary": "Native Spanish speakers rank AI answers written in Spanish; 5–15 h/week, "
        "$22–30/h.",
        "overview": "Judge AI responses written in Spanish for accuracy, fluency and tone, "
        "across Spain's and Latin America's varieties.",
        "responsibilities": "- Rank Spanish responses and explain why\n"
        "- Flag unnatural phrasing, wrong register and mistranslations\n"
        "- Note regional usage (es-ES, es-MX, es-AR …) where it matters",
        "qualifications": "- Native or near-native Spanish; good English\n"
        "- Translation, editing or teaching experience is a plus",
        "commitment": "5–15 hours a week, remote and asynchronous.",
        "compensation": "$22–30 an hour by experience and location, paid weekly via Stripe "
        "Connect, as an independent contractor.",
        "process": "Resume, a short form and the **languages** track of our assessment; we "
        "answer within 5 business days.",
        "pay_min_cents": 2200,
        "pay_max_cents": 3000,
        "hours_min": 5,
        "hours_max": 15,
        "domains": ["languages", "writing"],
        "languages": ["es"],
        "locations": ["ES", "MX", "AR", "CO", "CL", "PE", "US"],
        "track": "languages",
        "answer_days": 5,
    },
]


def seed_postings() -> Iterator[str]:
    """The three demo postings, open; the default one keeps its text unless it has none."""
    admin = db.session.scalar(select(User).where(User.email == "admin@demo.example"))
    created = 0
    for spec in POSTINGS:
        values = {k: v for k, v in spec.items() if k not in ("slug", "project")}
        values.setdefault("currency", "usd")
        posting = db.session.scalar(select(Posting).where(Posting.slug == spec["slug"]))
        if posting is None:
            project_id = db.session.scalar(
                select(Project.id).where(Project.title == spec.get("project", ""))
            )
            posting = create_posting(
                values,
                actor=admin,
                slug=spec["slug"],
                project_ids=[project_id] if project_id else [],
            )
            created += 1
        elif not posting.overview.strip():
            # The bare default posting (made for the first applicant): give it its full text.
            update_posting(posting, values, actor=admin)
        if posting.status in ("draft", "paused"):
            move_posting(posting, "open", actor=admin)
    yield f"Postings: {created} created; open at /jobs: " + ", ".join(
        f"/jobs/{spec['slug']}" for spec in POSTINGS
    )
