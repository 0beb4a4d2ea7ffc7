"""Field extraction from resume text: every field of the schema, with a confidence each."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from .contact import find_email, find_links, find_location, find_name, find_phone
from .dates import years_of_experience
from .education import parse_education
from .errors import ResumeError
from .experience import parse_experience_blocks
from .places import region_for_location
from .profile import (
    find_domains,
    find_labelling,
    is_labelling_job,
    languages_in_skills,
    parse_languages,
)
from .sections import split_sections
from .skills import parse_skills

MSG_NOT_RESUME = (
    "This file doesn't look like a resume: we found no contact details, work history or "
    "education in it. Upload your resume as a PDF, DOCX or plain text file."
)


@dataclass
class FieldResult:
    fields: dict[str, object]
    confidence: dict[str, float]


def extract_fields(
    text: str,
    *,
    today: date | None = None,
    default_region: str | None = None,
    display: Sequence[str] = (),
) -> FieldResult:
    """All fields of the resume schema from normalised text, with a confidence for each.

    ``display`` holds the lines the layout set in display type (see ``extract.Extracted``).
    """
    doc = split_sections(text)
    lines = doc.lines
    contact_lines = [lines[i] for i in doc.header[:20] + doc.sections.get("contact", [])]

    name, c_name = find_name(doc, display)
    email = find_email("\n".join(contact_lines)) or find_email(text)
    location, c_loc = find_location(doc, name)
    regions: list[str | None] = [default_region, region_for_location(location)]
    phone_texts = ["\n".join(contact_lines), text] if contact_lines else [text]
    phone, c_phone = find_phone(
        phone_texts, regions=[r for r in regions if r], fallback_region=None
    )
    if phone is None and not any(regions):
        phone, c_phone = find_phone(phone_texts[:1], regions=[], fallback_region="US")

    skill_idx = set(doc.sections.get("skills", []))
    links = find_links([ln for i, ln in enumerate(lines) if i not in skill_idx])
    skills = parse_skills(doc.section_lines("skills"))
    if name:
        skills = [s for s in skills if s.casefold() != name.casefold()]
    languages = parse_languages(doc.section_lines("languages"))
    # A spoken language listed among the skills stays a skill (the applicant put it there)
    # and is also a language.
    spoken, _ = languages_in_skills(skills)
    known = {lang["language"] for lang in languages}
    languages += [lang for lang in spoken if lang["language"] not in known]
    blocks = parse_experience_blocks(doc.section_lines("experience"))
    experience = [job for job, _ in blocks]
    education = parse_education(doc.section_lines("education"))
    domains, c_domains = find_domains(
        [str(j["title"] or "") for j in experience if not is_labelling_job(j)],
        [str(e["degree"] or "") for e in education],
        skills,
    )
    labelling, c_labelling = find_labelling(blocks, today=today)
    years = years_of_experience(((str(j["start"]), j["end"]) for j in experience), today=today)

    signals = sum(
        [
            email is not None,
            phone is not None,
            bool(experience),
            bool(education),
            "experience" in doc.headings_found,
            "education" in doc.headings_found,
            "skills" in doc.headings_found,
        ]
    )
    if signals < 2:
        raise ResumeError(MSG_NOT_RESUME, code="not_resume")

    def share(entries: list[dict[str, Any]], keys: tuple[str, ...]) -> float:
        if not entries:
            return 0.0
        full = sum(1 for e in entries if all(e.get(k) for k in keys))
        return round(0.4 + 0.55 * full / len(entries), 2)

    fields: dict[str, object] = {
        "name": name,
        "email": email,
        "phone": phone,
        "location": location,
        "links": links,
        "skills": skills,
        "experience": experience,
        "education": education,
        "years_experience": years,
        "languages": languages,
        "domains": domains,
        "labelling": labelling,
    }
    confidence = {
        "name": c_name,
        "email": 0.99 if email else 0.0,
        "phone": c_phone,
        "location": c_loc,
        "links": 0.9 if links else 0.3,
        "skills": 0.9 if skills else (0.2 if "skills" in doc.headings_found else 0.0),
        "experience": share(experience, ("title", "company", "start")),
        "education": share(education, ("degree", "school", "year")),
        "years_experience": share(experience, ("start",)),
        "languages": _languages_confidence(languages, "languages" in doc.headings_found),
        "domains": c_domains,
        "labelling": c_labelling,
    }
    return FieldResult(fields=fields, confidence=confidence)


def _languages_confidence(languages: list[dict[str, str]], section: bool) -> float:
    if not languages:
        return 0.3 if section else 0.5
    levelled = sum(1 for lang in languages if lang["level"]) / len(languages)
    return round((0.6 if section else 0.45) + 0.35 * levelled, 2)
