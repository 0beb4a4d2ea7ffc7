"""The experience profile: saved values, pre-fill from the parsed resume, save and submit."""

from datetime import date, datetime
from typing import Any

from flask import current_app

from portal import audit, clock, events, pipeline
from portal.applicants.countries import COUNTRIES
from portal.applicants.services import EXPECTED_HOURS, LOW_CONFIDENCE, ensure_editable
from portal.clock import zone
from portal.extensions import db
from portal.models import Applicant, Resume, User
from portal.resumes.vocab import COUNTRY_ALIASES, US_STATES
from portal.transactions import use_case
from portal.workdays import ANSWER_WITHIN, add_business_days


def country_from_location(location: str | None) -> tuple[str | None, str | None]:
    """("Dublin, Ireland") -> ("IE", "Dublin"); ("Austin, TX") -> ("US", "Austin")."""
    if not location:
        return None, None
    parts = [p.strip() for p in location.split(",") if p.strip()]
    if not parts:
        return None, None
    last = parts[-1]
    by_name = {name.lower(): code for code, name in COUNTRIES.items()} | COUNTRY_ALIASES
    code = by_name.get(last.lower())
    if code is None and len(last) == 2 and last.isupper():
        # US state abbreviations are far more common on resumes than country codes.
        code = "US" if last in US_STATES else (last if last in COUNTRIES else None)
    city = parts[0] if parts[0].lower() not in {"remote", "anywhere", "worldwide"} else None
    if code is None:
        return None, city
    return code, city if len(parts) > 1 else None


def saved_values(applicant: Applicant) -> dict[str, Any]:
    """The profile as the form's data, from what the applicant has saved."""
    rate = applicant.desired_rate_cents
    return {
        "full_name": applicant.full_name or "",
        "phone": applicant.phone or "",
        "country": applicant.country or "",
        "city": applicant.city or "",
        "timezone": applicant.timezone or "",
        "links": "\n".join(applicant.links or []),
        "skills": ", ".join(applicant.skills or []),
        "years_experience": applicant.years_experience,
        "experience": [
            {
                "title": row.get("title") or "",
                "company": row.get("company") or "",
                "start": row.get("start") or "",
                "end": row.get("end") or ("present" if row.get("start") else ""),
            }
            for row in applicant.experience or []
        ],
        "education": [
            {
                "degree": row.get("degree") or "",
                "school": row.get("school") or "",
                "year": row.get("year"),
            }
            for row in applicant.education or []
        ],
        "domains": list(applicant.domains or []),
        "labelling": [
            {
                "kind": row.get("kind") or "",
                "platforms": row.get("platforms") or "",
                "months": row.get("months"),
            }
            for row in applicant.labelling_experience or []
        ],
        "languages": [
            {"language": row.get("language") or "", "level": row.get("level") or ""}
            for row in applicant.languages or []
        ],
        "weekly_hours": applicant.weekly_hours,
        "earliest_start": applicant.earliest_start,
        "desired_rate": None if rate is None else rate / 100,
        "consent_terms": applicant.consented_at is not None,
        "consent_data": applicant.consented_at is not None,
    }


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def prefill(applicant: Applicant, resume: Resume | None) -> tuple[dict[str, Any], set[str]]:
    """Saved values, with empty ones filled from the parse; and the fields to double-check.

    Nothing the applicant saved is ever replaced. A pre-filled field whose parse confidence is
    low is returned in the second set, so the form can ask them to check it.
    """
    data = saved_values(applicant)
    check: set[str] = set()
    if resume is None or resume.status != "parsed" or not resume.parsed:
        return data, check
    parsed = resume.parsed
    confidence = resume.confidence or {}
    country, city = country_from_location(parsed.get("location"))
    candidates: dict[str, tuple[str, Any]] = {
        # form field: (parse field, value)
        "full_name": ("name", parsed.get("name")),
        "phone": ("phone", parsed.get("phone")),
        "country": ("location", country),
        "city": ("location", city),
        "links": ("links", "\n".join(parsed.get("links") or [])),
        "skills": ("skills", ", ".join(parsed.get("skills") or [])),
        "years_experience": ("years_experience", parsed.get("years_experience")),
        "experience": (
            "experience",
            [
                {
                    "title": row.get("title") or "",
                    "company": row.get("company") or "",
                    "start": row.get("start") or "",
                    "end": row.get("end") or ("present" if row.get("start") else ""),
                }
                for row in parsed.get("experience") or []
            ],
        ),
        "education": (
            "education",
            [
                {
                    "degree": row.get("degree") or "",
                    "school": row.get("school") or "",
                    "year": row.get("year"),
                }
                for row in parsed.get("education") or []
            ],
        ),
        **_matching_candidates(parsed),
    }
    for name, (source, value) in candidates.items():
        if _empty(value) or not _empty(data.get(name)):
            continue
        data[name] = value
        if float(confidence.get(source, 1.0)) < LOW_CONFIDENCE:
            check.add(name)
        if name == "labelling" and value[0]["kind"] == "other":
            check.add(name)  # the kind of work is a guess the applicant should confirm
    if not data["timezone"] and data["country"]:
        data["timezone"] = guess_timezone(data["country"])
    return data, check


# Job-title words -> the form's kind of labelling work, most specific first.
_LABELLING_KIND_WORDS = (
    ("annotation", ("annotat", "labell", "labeler", "labeling")),
    ("content evaluation", ("search quality", "ads quality", "content evaluat")),
    ("moderation", ("moderat",)),
    ("transcription", ("transcri",)),
    ("preference ranking", ("rater", "evaluator", "trainer", "tutor", "rlhf", "rank")),
)


def _matching_candidates(parsed: dict[str, Any]) -> dict[str, tuple[str, Any]]:
    """What matching needs, from the parse: domains, languages, labelling experience."""
    from portal.applicants.forms import DOMAINS, LEVELS

    labelling = parsed.get("labelling") or {}
    rows: list[dict[str, Any]] = []
    if labelling.get("months"):
        titles = " ".join(str(j.get("title") or "") for j in parsed.get("experience") or [])
        kind = next(
            (k for k, words in _LABELLING_KIND_WORDS if any(w in titles.casefold() for w in words)),
            "other",
        )
        platforms = ", ".join(labelling.get("platforms") or [])
        rows = [{"kind": kind, "platforms": platforms, "months": int(labelling["months"])}]
    return {
        "domains": ("domains", [d for d in parsed.get("domains") or [] if d in DOMAINS]),
        "languages": (
            "languages",
            [
                {
                    "language": row.get("language") or "",
                    "level": row.get("level") if row.get("level") in LEVELS else "",
                }
                for row in parsed.get("languages") or []
            ],
        ),
        "labelling": ("labelling", rows),
    }


def prefill_inputs(applicant: Applicant, resume: Resume | None) -> dict[str, Any]:
    """What the parse adds to the form, by input name, for a page opened before it finished.

    intake.js fills only inputs that are still empty, so nothing typed in the meantime is lost.
    """
    saved = saved_values(applicant)
    data, check = prefill(applicant, resume)
    values: dict[str, str | list[str]] = {}
    for name, value in data.items():
        if value == saved.get(name) or _empty(value):
            continue
        if isinstance(value, list) and not all(isinstance(row, dict) for row in value):
            values[name] = [str(v) for v in value]  # checkboxes: the values to tick
        elif isinstance(value, list):
            for i, row in enumerate(value):
                for key, cell in row.items():
                    values[f"{name}-{i}-{key}"] = "" if cell is None else str(cell)
        else:
            values[name] = str(value)
    return {"values": values, "check": sorted(check)}


def guess_timezone(country: str) -> str:
    """A country's zone when it has exactly one (most do); otherwise leave it to the applicant."""
    from portal.applicants.timezones import zones_for_country

    zones = zones_for_country(country)
    return zones[0] if len(zones) == 1 else ""


@use_case
def save_profile(applicant: Applicant, values: dict[str, Any], *, actor: User) -> None:
    """Save the form's cleaned values as a draft; commits."""
    _store_profile(applicant, values, actor=actor)


def _store_profile(applicant: Applicant, values: dict[str, Any], *, actor: User) -> None:
    """Store the form's cleaned values on the applicant (a draft or the final submission)."""
    ensure_editable(applicant)
    applicant.full_name = values["full_name"] or applicant.full_name
    applicant.phone = values["phone"] or None
    applicant.country = values["country"] or None
    applicant.city = values["city"] or None
    applicant.timezone = values["timezone"] or None
    applicant.links = values["links"]
    applicant.skills = values["skills"]
    applicant.years_experience = values["years_experience"]
    applicant.experience = values["experience"]
    applicant.education = values["education"]
    applicant.domains = values["domains"]
    applicant.labelling_experience = values["labelling"]
    applicant.languages = values["languages"]
    applicant.weekly_hours = values["weekly_hours"]
    applicant.earliest_start = values["earliest_start"]
    rate = values["desired_rate"]
    applicant.desired_rate_cents = None if rate is None else int(round(rate * 100))
    if values["consent_terms"] and values["consent_data"]:
        applicant.consented_at = applicant.consented_at or clock.now()
    else:
        applicant.consented_at = None
    audit.record(
        "profile.saved",
        actor=actor,
        subject_type="applicant",
        subject_id=applicant.id,
        applicant_id=applicant.id,
    )
    events.profile_saved.send(current_app._get_current_object(), applicant_id=applicant.id)


def submit_profile(applicant: Applicant, values: dict[str, Any], *, actor: User) -> date:
    """Save a complete profile, move the applicant on, and return the date we answer by."""
    _store_profile(applicant, values, actor=actor)
    now = clock.now()
    first_time = applicant.profile_completed_at is None
    applicant.profile_completed_at = applicant.profile_completed_at or now
    if applicant.stage == "applied":
        pipeline.move(applicant, "profile_complete", actor=actor, reason="Profile submitted")
    if first_time:
        audit.record(
            "profile.completed",
            actor=actor,
            subject_type="applicant",
            subject_id=applicant.id,
            applicant_id=applicant.id,
        )
    db.session.commit()
    return answer_window(applicant, now)[1]


def answer_window(applicant: Applicant, since: datetime | None = None) -> tuple[date, date]:
    """The dates, in the applicant's timezone, between which we promise an answer."""
    since = since or applicant.profile_completed_at or clock.now()
    local = since.astimezone(zone(applicant.timezone)).date()
    return add_business_days(local, ANSWER_WITHIN[0]), add_business_days(local, ANSWER_WITHIN[1])


def hours_warning(hours: int | None) -> str | None:
    low, high = EXPECTED_HOURS
    if hours is None or low <= hours <= high:
        return None
    return (
        f"Most projects expect {low}–{high} hours a week; with {hours} we may have fewer "
        "projects to offer you."
    )
