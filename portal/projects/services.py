"""Projects, matching, offers and guideline acknowledgements: the logic behind the views.

The matching core (`matching.py`, `ratecard.py`) is pure; this module feeds it from the database
(in a few bulk queries, never one per applicant) and turns its answers into offers.
Capacity rule: the weekly hours of a person's offered + accepted + active assignments never
exceed their stated weekly availability; it is checked when an offer is made and when accepted.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import current_app
from sqlalchemy import func, select

from portal import audit, pipeline
from portal.extensions import db
from portal.guidelines import add_version, latest_guideline
from portal.mail import external_url, send_email
from portal.models import (
    Applicant,
    Assignment,
    Attempt,
    Client,
    Guideline,
    GuidelineAck,
    Project,
    RateCardConfig,
    User,
)
from portal.models.base import utcnow
from portal.money import format_cents
from portal.projects import matching
from portal.projects.ratecard import RateCard, RateQuote, Step, quote_rate

# Applicants the pipeline has passed: they may be matched and offered work.
CANDIDATE_STAGES = ("assessed_passed", "shortlisted", "offered", "onboarding", "active")
# Shown as ineligible (with reasons) but never offered.
VISIBLE_STAGES = (*CANDIDATE_STAGES, "profile_complete", "assessed_failed")
HOLDING = ("offered", "accepted", "active")  # take a seat and count against weekly hours
ENGAGED = ("accepted", "active")  # working (or about to) on the project
PROJECT_STATUSES = {"draft": "Draft", "open": "Open", "staffed": "Staffed", "closed": "Closed"}
AGREEMENT_VERSION = "2026-11"
DEFAULT_OFFER_DAYS = 7


class ProjectError(ValueError):
    """A request the rules refuse; the message says why, for a person to read."""


# --- rate card -------------------------------------------------------------------------------


def card_to_dict(card: RateCard) -> dict[str, Any]:
    """The rate card as JSON-ready data (what RateCardConfig stores)."""

    def steps(items: Iterable[Step]) -> list[list[Any]]:
        return [[s.threshold, s.bonus_cents, s.label] for s in items]

    tiers: dict[str, list[str]] = defaultdict(list)
    for country, tier in sorted(card.country_tiers.items()):
        tiers[tier].append(country)
    return {
        "base_cents": card.base_cents,
        "currency": card.currency,
        "experience_steps": steps(card.experience_steps),
        "labelling_steps": steps(card.labelling_steps),
        "score_steps": steps(card.score_steps),
        "country_tiers": dict(tiers),
        "tier_adjust_cents": dict(card.tier_adjust_cents),
        "default_tier": card.default_tier,
    }


def card_from_dict(data: dict[str, Any]) -> RateCard:
    """Rebuild a RateCard from `card_to_dict` data."""

    def steps(rows: list[list[Any]]) -> tuple[Step, ...]:
        return tuple(Step(float(t), int(b), str(label)) for t, b, label in rows)

    tiers = {
        country: tier
        for tier, countries in data.get("country_tiers", {}).items()
        for country in countries
    }
    return RateCard(
        base_cents=int(data["base_cents"]),
        currency=data.get("currency", "USD"),
        experience_steps=steps(data.get("experience_steps", [])),
        labelling_steps=steps(data.get("labelling_steps", [])),
        score_steps=steps(data.get("score_steps", [])),
        country_tiers=tiers,
        tier_adjust_cents={k: int(v) for k, v in data.get("tier_adjust_cents", {}).items()},
        default_tier=data.get("default_tier", "C"),
    )


def current_rate_card() -> RateCard:
    """The newest saved rate card, or the built-in default."""
    row = db.session.scalar(
        select(RateCardConfig).order_by(RateCardConfig.created_at.desc(), RateCardConfig.id.desc())
    )
    return card_from_dict(row.data) if row is not None else RateCard()


def save_rate_card(card: RateCard, *, actor: User | None) -> RateCardConfig:
    """Store a new version of the rate card (older versions stay for the record) and commit."""
    row = RateCardConfig(data=card_to_dict(card), created_by_id=actor.id if actor else None)
    db.session.add(row)
    db.session.flush()
    audit.record(
        "ratecard.saved", actor=actor, subject_type="rate_card", subject_id=row.id, **row.data
    )
    db.session.commit()
    return row


EXAMPLE_PERSON = matching.CandidateFeatures(
    id=0,
    country="FR",
    utc_offset_hours=1,
    domains=frozenset(),
    skills=frozenset(),
    languages=frozenset(),
    overall_score=88,
    domain_scores={},
    passed=True,
    years_experience=7,
    labelling_months=8,
    weekly_hours=20,
    booked_hours=0,
    desired_rate_cents=3000,
)


# --- features for the matching core ----------------------------------------------------------


def utc_offset_hours(tz_name: str | None, when: datetime | None = None) -> float:
    """The current UTC offset of an IANA timezone in hours (0 when unknown)."""
    if not tz_name:
        return 0.0
    try:
        tz = ZoneInfo(tz_name)
    except (ZoneInfoNotFoundError, ValueError):
        return 0.0  # unknown: not UTC's offset by accident of a fallback
    offset = (when or utcnow()).astimezone(tz).utcoffset()
    return offset.total_seconds() / 3600 if offset is not None else 0.0


def _month_index(text: Any) -> int | None:
    try:
        year, month = str(text)[:7].split("-")
        return int(year) * 12 + int(month) - 1
    except (TypeError, ValueError):
        return None


def labelling_months(entries: Sequence[dict[str, Any]], today: date | None = None) -> int:
    """Months of prior labelling work from the profile (`months`, or `start`/`end` YYYY-MM)."""
    today = today or utcnow().date()
    total = 0
    for entry in entries or ():
        if not isinstance(entry, dict):
            continue
        if entry.get("months") is not None:
            with suppress(TypeError, ValueError):
                total += max(int(entry["months"]), 0)
            continue
        start = _month_index(entry.get("start"))
        end = _month_index(entry.get("end")) if entry.get("end") else today.year * 12 + today.month
        if start is not None and end is not None and end >= start:
            total += end - start + 1
    return total


def _latest_attempts(applicant_ids: Iterable[int] | None) -> dict[int, Attempt]:
    """Each applicant's most recent scored attempt."""
    latest = (
        select(func.max(Attempt.id))
        .where(Attempt.score.is_not(None), Attempt.status != "in_progress")
        .group_by(Attempt.applicant_id)
    )
    if applicant_ids is not None:
        latest = latest.where(Attempt.applicant_id.in_(list(applicant_ids)))
    rows = db.session.scalars(select(Attempt).where(Attempt.id.in_(latest)))
    return {a.applicant_id: a for a in rows}


def booked_hours(applicant_ids: Iterable[int] | None = None) -> dict[int, int]:
    """Weekly hours already promised by each applicant (offered, accepted or active)."""
    query = (
        select(Assignment.applicant_id, func.coalesce(func.sum(Assignment.weekly_hours), 0))
        .where(Assignment.status.in_(HOLDING))
        .group_by(Assignment.applicant_id)
    )
    if applicant_ids is not None:
        query = query.where(Assignment.applicant_id.in_(list(applicant_ids)))
    return {aid: int(hours) for aid, hours in db.session.execute(query)}


def domain_scores(attempt: Attempt | None) -> dict[str, float]:
    """Per-domain agreement from an attempt's breakdown, on the 0-100 scale of the score."""
    if attempt is None or not attempt.result:
        return {}
    scores = {}
    for domain, stats in (attempt.result.get("per_domain") or {}).items():
        if isinstance(stats, dict) and stats.get("agreement") is not None:
            scores[domain] = round(float(stats["agreement"]) * 100, 2)
    return scores


def features_for(applicants: Sequence[Applicant]) -> dict[int, matching.CandidateFeatures]:
    """CandidateFeatures for each applicant, in three queries whatever their number."""
    ids = [a.id for a in applicants]
    if not ids:
        return {}
    attempts = _latest_attempts(ids if len(ids) < 500 else None)
    booked = booked_hours(ids if len(ids) < 500 else None)
    now = utcnow()
    offsets: dict[str | None, float] = {}
    result = {}
    for a in applicants:
        if a.timezone not in offsets:
            offsets[a.timezone] = utc_offset_hours(a.timezone, now)
        attempt = attempts.get(a.id)
        result[a.id] = matching.CandidateFeatures(
            id=a.id,
            country=a.country or "",
            utc_offset_hours=offsets[a.timezone],
            domains=frozenset(a.domains or ()),
            skills=frozenset(a.skills or ()),
            languages=frozenset(
                (entry.get("language") or "") if isinstance(entry, dict) else str(entry)
                for entry in (a.languages or ())
            ),
            overall_score=float(attempt.score) if attempt and attempt.score is not None else 0.0,
            domain_scores=domain_scores(attempt),
            # The pipeline holds the verdict (a recruiter may override a failed attempt).
            passed=a.stage in CANDIDATE_STAGES,
            years_experience=float(a.years_experience or 0),
            labelling_months=labelling_months(a.labelling_experience),
            weekly_hours=float(a.weekly_hours or 0),
            booked_hours=float(booked.get(a.id, 0)),
            desired_rate_cents=int(a.desired_rate_cents or 0),
        )
    return result


def seats_filled(project_ids: Iterable[int] | None = None) -> dict[int, int]:
    """Seats taken per project (offered, accepted or active assignments)."""
    query = (
        select(Assignment.project_id, func.count())
        .where(Assignment.status.in_(HOLDING))
        .group_by(Assignment.project_id)
    )
    if project_ids is not None:
        query = query.where(Assignment.project_id.in_(list(project_ids)))
    return dict(db.session.execute(query).all())


def requirements(project: Project, filled: int | None = None) -> matching.ProjectRequirements:
    """The matching core's view of a project."""
    if filled is None:
        filled = seats_filled([project.id]).get(project.id, 0)
    window = project.timezone_window or {}
    tz = None
    if window.get("from") is not None and window.get("to") is not None:
        tz = (float(window["from"]), float(window["to"]))
    return matching.ProjectRequirements(
        id=project.id,
        domains=frozenset(project.domains or ()),
        skills=frozenset(project.skills or ()),
        languages=frozenset(project.languages or ()),
        min_score=float(project.min_score or 0),
        domain_min_scores=dict(project.domain_min_scores or {}),
        hours_band=(float(project.hours_min), float(project.hours_max)),
        rate_band_cents=(project.rate_min_cents, project.rate_max_cents),
        allowed_countries=frozenset(project.allowed_countries or ()),
        timezone_window=tz,
        headcount=project.headcount,
        seats_filled=filled,
    )


def _applicants(stages: Sequence[str]) -> list[Applicant]:
    return list(
        db.session.scalars(
            select(Applicant)
            .where(Applicant.stage.in_(stages), Applicant.deleted_at.is_(None))
            .order_by(Applicant.id)
        )
    )


def _holders(project_id: int) -> set[int]:
    return set(
        db.session.scalars(
            select(Assignment.applicant_id).where(
                Assignment.project_id == project_id, Assignment.status.in_(HOLDING)
            )
        )
    )


def quote_for(
    project: Project, features: matching.CandidateFeatures, card: RateCard | None = None
) -> RateQuote:
    """The rate card's hourly rate for a person on a project, clamped to its band."""
    return quote_rate(
        card or current_rate_card(),
        features,
        project_band=(project.rate_min_cents, project.rate_max_cents),
    )


# --- matching views ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CandidateMatch:
    applicant: Applicant
    explanation: matching.MatchExplanation
    quote: RateQuote | None = None


@dataclass(frozen=True)
class ProjectMatches:
    eligible: list[CandidateMatch]
    ineligible: list[CandidateMatch]
    holders: set[int]
    open_seats: int
    pool_size: int


def project_matches(
    project: Project, *, limit: int = 50, include_ineligible: bool = False
) -> ProjectMatches:
    """Best candidates for a project, explained; people already on it are left out."""
    holders = _holders(project.id)
    people = [a for a in _applicants(VISIBLE_STAGES) if a.id not in holders]
    by_id = {a.id: a for a in people}
    features = features_for(people)
    req = requirements(project)
    ranked = matching.rank_candidates(req, list(features.values()), limit=limit)
    card = current_rate_card()
    eligible = [
        CandidateMatch(
            by_id[cid],
            matching.explain(features[cid], req),
            quote_for(project, features[cid], card),
        )
        for cid, _ in ranked
    ]
    ineligible = []
    if include_ineligible:
        shown = {cid for cid, _ in ranked}
        for aid, feats in features.items():
            if aid in shown:
                continue
            explanation = matching.explain(feats, req)
            if not explanation.eligible:
                ineligible.append(CandidateMatch(by_id[aid], explanation))
        ineligible.sort(key=lambda m: (len(m.explanation.failed_constraints), m.applicant.id))
    return ProjectMatches(eligible, ineligible[:200], holders, req.open_seats, len(people))


@dataclass(frozen=True)
class ProjectFit:
    project: Project
    explanation: matching.MatchExplanation
    quote: RateQuote
    held: bool
    open_seats: int


def candidate_matches(applicant: Applicant) -> list[ProjectFit]:
    """Every open project for one person: eligible ones best first, then the others."""
    features = features_for([applicant])[applicant.id]
    projects = list(
        db.session.scalars(select(Project).where(Project.status == "open").order_by(Project.id))
    )
    filled = seats_filled([p.id for p in projects])
    held = set(
        db.session.scalars(
            select(Assignment.project_id).where(
                Assignment.applicant_id == applicant.id, Assignment.status.in_(HOLDING)
            )
        )
    )
    card = current_rate_card()
    fits = []
    for project in projects:
        req = requirements(project, filled.get(project.id, 0))
        fits.append(
            ProjectFit(
                project,
                matching.explain(features, req),
                quote_for(project, features, card),
                project.id in held,
                req.open_seats,
            )
        )
    fits.sort(key=lambda f: (not f.explanation.eligible, -f.explanation.score, f.project.id))
    return fits


@dataclass(frozen=True)
class ProposedOffer:
    applicant: Applicant
    project: Project
    hours: int
    score: float
    quote: RateQuote

    @property
    def key(self) -> str:
        return f"{self.applicant.id}:{self.project.id}:{self.hours}"


@dataclass(frozen=True)
class GlobalProposal:
    offers: list[ProposedOffer]
    total_score: float
    unfilled: list[tuple[Project, int]]
    projects: int
    candidates: int
    optimal: bool


def global_proposal() -> GlobalProposal:
    """An optimal assignment of candidates to every open project (headcounts, weekly hours)."""
    projects = list(
        db.session.scalars(select(Project).where(Project.status == "open").order_by(Project.id))
    )
    people = _applicants(CANDIDATE_STAGES)
    features = features_for(people)
    filled = seats_filled([p.id for p in projects])
    reqs = [requirements(p, filled.get(p.id, 0)) for p in projects]
    time_limit = float(current_app.config.get("PROJECTS_PROPOSAL_TIME_LIMIT", 60))
    try:
        proposal = matching.propose_assignment(list(features.values()), reqs, time_limit=time_limit)
    except RuntimeError as exc:  # the solver found nothing within its time limit
        raise ProjectError(f"The assignment solver gave up: {exc}. Try again later.") from exc
    holding = {
        (applicant_id, project_id)
        for applicant_id, project_id in db.session.execute(
            select(Assignment.applicant_id, Assignment.project_id).where(
                Assignment.status.in_(HOLDING)
            )
        )
    }
    by_person = {a.id: a for a in people}
    by_project = {p.id: p for p in projects}
    card = current_rate_card()
    offers = [
        ProposedOffer(
            by_person[a.candidate_id],
            by_project[a.project_id],
            int(round(a.hours)),
            a.score,
            quote_for(by_project[a.project_id], features[a.candidate_id], card),
        )
        for a in proposal.assignments
        # The core does not know who already holds a seat on a project; never offer it twice.
        if (a.candidate_id, a.project_id) not in holding
    ]
    unfilled = [(by_project[pid], seats) for pid, seats in sorted(proposal.unfilled.items())]
    return GlobalProposal(
        offers,
        sum(o.score for o in offers),
        unfilled,
        len(projects),
        len(people),
        proposal.optimal,
    )


# --- offers ------------------------------------------------------------------------------------


def _lock_applicant(applicant_id: int) -> Applicant:
    """Re-read the applicant FOR UPDATE so two offers cannot both squeeze into the same hours."""
    applicant = db.session.scalar(
        select(Applicant).where(Applicant.id == applicant_id).with_for_update()
    )
    if applicant is None:
        raise ProjectError("That applicant no longer exists.")
    return applicant


def check_capacity(applicant: Applicant, hours: int, *, ignore: int | None = None) -> None:
    """Refuse when `hours` more a week would exceed the person's stated availability."""
    query = select(func.coalesce(func.sum(Assignment.weekly_hours), 0)).where(
        Assignment.applicant_id == applicant.id, Assignment.status.in_(HOLDING)
    )
    if ignore is not None:
        query = query.where(Assignment.id != ignore)
    booked = int(db.session.scalar(query) or 0)
    available = applicant.weekly_hours or 0
    if booked + hours > available:
        free = max(available - booked, 0)
        raise ProjectError(
            f"{applicant.display_name} has {available} h/week available and {booked} h already "
            f"offered or booked; {hours} h more would exceed it (at most {free} h free)."
        )


def default_expiry(now: datetime | None = None) -> datetime:
    return (now or utcnow()) + timedelta(days=DEFAULT_OFFER_DAYS)


def _offer(
    project: Project,
    applicant_id: int,
    *,
    actor: User | None,
    hours: int | None = None,
    rate_cents: int | None = None,
    starts_on: date | None = None,
    expires_at: datetime | None = None,
    match_score: float | None = None,
    card: RateCard | None = None,
) -> Assignment:
    """Validate and add one offer (no commit)."""
    # Lock the project row too: two admins must not both fill its last seat.
    db.session.scalar(select(Project.id).where(Project.id == project.id).with_for_update())
    applicant = _lock_applicant(applicant_id)
    if project.status != "open":
        raise ProjectError(
            f"“{project.title}” is {project.status}; only open projects take offers."
        )
    if applicant.stage not in CANDIDATE_STAGES:
        raise ProjectError(
            f"{applicant.display_name} is at “{pipeline.STAGES[applicant.stage]}”; "
            "only people who passed the assessment can be offered work."
        )
    if applicant.id in _holders(project.id):
        raise ProjectError(
            f"{applicant.display_name} already has an offer or a seat on this project."
        )
    filled = seats_filled([project.id]).get(project.id, 0)
    if filled >= project.headcount:
        raise ProjectError(
            f"“{project.title}” has no open seats ({filled} of {project.headcount})."
        )
    hours = project.hours_min if hours is None else int(hours)
    if not project.hours_min <= hours <= project.hours_max:
        raise ProjectError(
            f"Weekly hours must be within the project's band "
            f"({project.hours_min}–{project.hours_max})."
        )
    check_capacity(applicant, hours)
    features = features_for([applicant])[applicant.id]
    explanation = matching.explain(features, requirements(project, filled))
    if not explanation.eligible:
        raise ProjectError(
            f"{applicant.display_name} does not meet the project's requirements: "
            + "; ".join(explanation.failed_constraints)
            + "."
        )
    if match_score is None:
        match_score = explanation.score
    quote = quote_for(project, features, card)
    reasons = list(quote.reasons)
    if rate_cents is None:
        rate_cents = quote.cents
    elif not project.rate_min_cents <= rate_cents <= project.rate_max_cents:
        raise ProjectError("The hourly rate must be within the project's rate band.")
    elif rate_cents != quote.cents:
        reasons.append(
            f"Set by the admin to {format_cents(rate_cents, project.currency)} "
            f"(card: {format_cents(quote.cents, project.currency)})"
        )
    now = utcnow()
    assignment = Assignment(
        project=project,
        applicant_id=applicant.id,
        status="offered",
        hourly_rate_cents=rate_cents,
        currency=project.currency,
        weekly_hours=hours,
        starts_on=starts_on or project.starts_on,
        rate_reasons=reasons,
        match_score=match_score,
        offered_at=now,
        expires_at=expires_at or default_expiry(now),
        offered_by_id=actor.id if actor else None,
    )
    db.session.add(assignment)
    db.session.flush()
    if applicant.stage in {"assessed_passed", "shortlisted"}:
        pipeline.move(applicant, "offered", actor=actor, reason=f"Offer for {project.title}")
    audit.record(
        "offer.made",
        actor=actor,
        subject_type="assignment",
        subject_id=assignment.id,
        applicant_id=applicant.id,
        project_id=project.id,
        rate_cents=rate_cents,
        weekly_hours=hours,
        expires_at=assignment.expires_at.isoformat(),
    )
    link = external_url("offers.show", assignment_id=assignment.id)
    send_email(
        applicant.user.email,
        f"Offer: {project.title} ({project.client.name})",
        (
            f"Hello {applicant.display_name},\n\n"
            f"We would like you to join “{project.title}” for {project.client.name}.\n\n"
            f"Rate: {format_cents(rate_cents, project.currency)}/hour "
            f"({project.currency.upper()})\n"
            f"Hours: {hours} per week\n"
            f"Starts: {assignment.starts_on or 'on acceptance'}\n"
            f"Respond by: {assignment.expires_at.strftime('%d %b %Y %H:%M UTC')}\n\n"
            f"Read the project guidelines and accept or decline here:\n{link}\n"
        ),
        template="offer",
        applicant_id=applicant.id,
    )
    return assignment


def make_offer(
    project: Project,
    applicant_id: int,
    *,
    actor: User | None,
    hours: int | None = None,
    rate_cents: int | None = None,
    starts_on: date | None = None,
    expires_at: datetime | None = None,
    match_score: float | None = None,
) -> Assignment:
    """Offer a person a seat on a project (rate from the card unless set), email them, commit."""
    try:
        assignment = _offer(
            project,
            applicant_id,
            actor=actor,
            hours=hours,
            rate_cents=rate_cents,
            starts_on=starts_on,
            expires_at=expires_at,
            match_score=match_score,
        )
    except ProjectError:
        db.session.rollback()
        raise
    db.session.commit()
    return assignment


def accept_proposal(
    selected: Sequence[str], *, actor: User | None, expires_at: datetime | None = None
) -> tuple[list[Assignment], list[str]]:
    """Create offers for the chosen `applicant:project:hours` keys; returns (made, refused)."""
    made: list[Assignment] = []
    refused: list[str] = []
    card = current_rate_card()
    for key in dict.fromkeys(selected):  # de-duplicated, order kept
        try:
            applicant_id, project_id, hours = (int(part) for part in key.split(":"))
        except ValueError:
            refused.append(f"Ignored a malformed row ({key!r}).")
            continue
        project = db.session.get(Project, project_id)
        if project is None:
            refused.append(f"Project {project_id} no longer exists.")
            continue
        savepoint = db.session.begin_nested()
        try:
            made.append(
                _offer(
                    project,
                    applicant_id,
                    actor=actor,
                    hours=hours,
                    expires_at=expires_at,
                    card=card,
                )
            )
        except ProjectError as exc:
            savepoint.rollback()
            refused.append(str(exc))
        else:
            savepoint.commit()
    db.session.commit()
    return made, refused


def _return_to_shortlist(applicant: Applicant, actor: User | None, reason: str) -> None:
    """Back to shortlisted once a person's last open offer is gone."""
    if applicant.stage != "offered":
        return
    still_open = db.session.scalar(
        select(func.count()).where(
            Assignment.applicant_id == applicant.id, Assignment.status == "offered"
        )
    )
    if not still_open:
        pipeline.move(applicant, "shortlisted", actor=actor, reason=reason)


def lapse_expired(now: datetime | None = None, *, applicant_id: int | None = None) -> int:
    """Lapse every open offer past its expiry (audited); commits; returns how many."""
    now = now or utcnow()
    query = select(Assignment).where(
        Assignment.status == "offered",
        Assignment.expires_at.is_not(None),
        Assignment.expires_at <= now,
    )
    if applicant_id is not None:
        query = query.where(Assignment.applicant_id == applicant_id)
    expired = list(db.session.scalars(query.order_by(Assignment.id)))
    for assignment in expired:
        assignment.status = "lapsed"
        assignment.responded_at = now
        audit.record(
            "offer.lapsed",
            actor=None,
            subject_type="assignment",
            subject_id=assignment.id,
            applicant_id=assignment.applicant_id,
            project_id=assignment.project_id,
        )
        db.session.flush()
        applicant = db.session.get(Applicant, assignment.applicant_id)
        if applicant is not None:
            _return_to_shortlist(applicant, None, "Offer lapsed")
    if expired:
        db.session.commit()
    return len(expired)


def _open_offer(assignment: Assignment, applicant: Applicant) -> None:
    if assignment.applicant_id != applicant.id:
        raise ProjectError("That offer is not yours.")
    if (
        assignment.status == "offered"
        and assignment.expires_at
        and assignment.expires_at <= utcnow()
    ):
        lapse_expired(applicant_id=applicant.id)
    if assignment.status != "offered":
        raise ProjectError(f"This offer is {assignment.status}; it can no longer be answered.")


def accept_offer(
    assignment: Assignment,
    applicant: Applicant,
    *,
    guideline_version: int | None,
    agreement_version: str | None,
) -> Assignment:
    """Accept an offer: guidelines and agreement acknowledged (versions recorded), commit."""
    _open_offer(assignment, applicant)
    guideline = current_guideline(assignment.project_id)
    if guideline is not None and guideline_version != guideline.version:
        raise ProjectError(
            "Read and acknowledge the project's current guidelines "
            f"(version {guideline.version}) to accept."
        )
    if agreement_version != AGREEMENT_VERSION:
        raise ProjectError("Accept the contractor agreement to continue.")
    applicant = _lock_applicant(applicant.id)
    check_capacity(applicant, assignment.weekly_hours, ignore=assignment.id)
    now = utcnow()
    if guideline is not None:
        acknowledge_guideline(applicant, guideline, commit=False)
        assignment.accepted_guideline_version = guideline.version
    assignment.agreement_version = AGREEMENT_VERSION
    assignment.status = "accepted"
    assignment.responded_at = now
    if applicant.stage == "offered":
        pipeline.move(applicant, "onboarding", actor=applicant.user, reason="Offer accepted")
    audit.record(
        "offer.accepted",
        actor=applicant.user,
        subject_type="assignment",
        subject_id=assignment.id,
        applicant_id=applicant.id,
        project_id=assignment.project_id,
        guideline_version=assignment.accepted_guideline_version,
        agreement_version=AGREEMENT_VERSION,
    )
    project = assignment.project
    engaged = db.session.scalar(
        select(func.count()).where(
            Assignment.project_id == project.id, Assignment.status.in_(ENGAGED)
        )
    )
    if project.status == "open" and engaged >= project.headcount:
        project.status = "staffed"
        audit.record("project.staffed", actor=None, subject_type="project", subject_id=project.id)
    db.session.commit()
    return assignment


def decline_offer(assignment: Assignment, applicant: Applicant, *, reason: str = "") -> Assignment:
    """Decline an open offer; back to the shortlist when it was the last one; commit."""
    _open_offer(assignment, applicant)
    assignment.status = "declined"
    assignment.responded_at = utcnow()
    audit.record(
        "offer.declined",
        actor=applicant.user,
        subject_type="assignment",
        subject_id=assignment.id,
        applicant_id=applicant.id,
        reason=reason.strip() or None,
        project_id=assignment.project_id,
    )
    db.session.flush()
    _return_to_shortlist(applicant, applicant.user, "Offer declined")
    db.session.commit()
    return assignment


def withdraw_offer(assignment: Assignment, *, actor: User | None) -> Assignment:
    """The admin takes back an open offer; commit."""
    if assignment.status != "offered":
        raise ProjectError(f"This offer is {assignment.status}; only open offers can be withdrawn.")
    assignment.status = "withdrawn"
    assignment.responded_at = utcnow()
    audit.record(
        "offer.withdrawn",
        actor=actor,
        subject_type="assignment",
        subject_id=assignment.id,
        applicant_id=assignment.applicant_id,
        project_id=assignment.project_id,
    )
    db.session.flush()
    applicant = db.session.get(Applicant, assignment.applicant_id)
    if applicant is not None:
        _return_to_shortlist(applicant, actor, "Offer withdrawn")
    db.session.commit()
    return assignment


def open_offers_for(applicant: Applicant) -> list[Assignment]:
    """A person's offers still waiting for an answer (not yet expired)."""
    return list(
        db.session.scalars(
            select(Assignment)
            .where(
                Assignment.applicant_id == applicant.id,
                Assignment.status == "offered",
                (Assignment.expires_at.is_(None)) | (Assignment.expires_at > utcnow()),
            )
            .order_by(Assignment.expires_at)
        )
    )


def offers_for(applicant: Applicant) -> list[Assignment]:
    """A person's offers and assignments, newest first (expired offers lapse first)."""
    lapse_expired(applicant_id=applicant.id)
    return list(
        db.session.scalars(
            select(Assignment)
            .where(Assignment.applicant_id == applicant.id)
            .order_by(Assignment.offered_at.desc(), Assignment.id.desc())
        )
    )


# --- guidelines --------------------------------------------------------------------------------


def current_guideline(project_id: int) -> Guideline | None:
    """The project's newest guideline version."""
    return latest_guideline(project_id)


def publish_guideline(
    project: Project, *, title: str, body_md: str, changelog: str | None, actor: User | None
) -> Guideline:
    """Publish the next guideline version; working contractors are asked to acknowledge it."""
    latest = current_guideline(project.id)
    guideline = add_version(
        project.id, title=title, body_md=body_md, changelog=changelog, actor=actor
    )
    if latest is not None:
        link = external_url("offers.guideline", project_id=project.id)
        engaged = db.session.scalars(
            select(Assignment).where(
                Assignment.project_id == project.id, Assignment.status.in_(ENGAGED)
            )
        )
        for assignment in engaged:
            applicant = db.session.get(Applicant, assignment.applicant_id)
            if applicant is None:
                continue
            send_email(
                applicant.user.email,
                f"New guidelines for {project.title} (version {guideline.version})",
                (
                    f"Hello {applicant.display_name},\n\n"
                    f"The guidelines for “{project.title}” changed"
                    + (f": {guideline.changelog}" if guideline.changelog else ".")
                    + f"\n\nPlease read and acknowledge version {guideline.version} before "
                    f"logging more work:\n{link}\n"
                ),
                template="guideline_update",
                applicant_id=applicant.id,
            )
    db.session.commit()
    return guideline


def has_acknowledged(applicant_id: int, guideline_id: int) -> bool:
    return (
        db.session.scalar(
            select(GuidelineAck.id).where(
                GuidelineAck.applicant_id == applicant_id,
                GuidelineAck.guideline_id == guideline_id,
            )
        )
        is not None
    )


def needs_guideline_ack(applicant_id: int, project_id: int) -> Guideline | None:
    """The project's current guideline if this person has not acknowledged it yet, else None.

    Payments calls this before letting a contractor log more work on the project.
    """
    guideline = current_guideline(project_id)
    if guideline is None or has_acknowledged(applicant_id, guideline.id):
        return None
    return guideline


def acknowledge_guideline(
    applicant: Applicant, guideline: Guideline, *, commit: bool = True
) -> GuidelineAck:
    """Record that a person read a guideline version (idempotent)."""
    ack = db.session.scalar(
        select(GuidelineAck).where(
            GuidelineAck.applicant_id == applicant.id, GuidelineAck.guideline_id == guideline.id
        )
    )
    if ack is None:
        ack = GuidelineAck(applicant_id=applicant.id, guideline_id=guideline.id)
        db.session.add(ack)
        audit.record(
            "guideline.acknowledged",
            actor=applicant.user,
            subject_type="guideline",
            subject_id=guideline.id,
            applicant_id=applicant.id,
            project_id=guideline.project_id,
            version=guideline.version,
        )
    if commit:
        db.session.commit()
    return ack


def pending_acknowledgements(applicant: Applicant) -> list[tuple[Project, Guideline]]:
    """Projects this person works on whose current guidelines they have not acknowledged."""
    working_on = select(Assignment.project_id).where(
        Assignment.applicant_id == applicant.id, Assignment.status.in_(ENGAGED)
    )
    projects = db.session.scalars(
        select(Project).where(Project.id.in_(working_on)).order_by(Project.id)
    )
    pending = []
    for project in projects:
        guideline = needs_guideline_ack(applicant.id, project.id)
        if guideline is not None:
            pending.append((project, guideline))
    return pending


@dataclass(frozen=True)
class AckRow:
    assignment: Assignment
    applicant: Applicant
    version: int | None  # newest version acknowledged
    acknowledged_at: datetime | None
    current: bool


def acknowledgement_status(project: Project) -> list[AckRow]:
    """Who on the project has acknowledged which guideline version."""
    guideline = current_guideline(project.id)
    assignments = list(
        db.session.scalars(
            select(Assignment)
            .where(Assignment.project_id == project.id, Assignment.status.in_(ENGAGED))
            .order_by(Assignment.id)
        )
    )
    acks: dict[int, tuple[int, datetime]] = {}
    rows = db.session.execute(
        select(GuidelineAck.applicant_id, Guideline.version, GuidelineAck.acknowledged_at)
        .join(Guideline, Guideline.id == GuidelineAck.guideline_id)
        .where(Guideline.project_id == project.id)
    )
    for applicant_id, version, at in rows:
        if applicant_id not in acks or version > acks[applicant_id][0]:
            acks[applicant_id] = (version, at)
    result = []
    for assignment in assignments:
        applicant = db.session.get(Applicant, assignment.applicant_id)
        version, at = acks.get(assignment.applicant_id, (None, None))
        current = guideline is None or version == guideline.version
        result.append(AckRow(assignment, applicant, version, at, current))
    return result


# --- clients and projects ----------------------------------------------------------------------


def save_client(
    client: Client | None, *, name: str, contact_email: str | None, actor: User
) -> Client:
    """Create or rename a client; names are unique (case-insensitive); commit."""
    name = name.strip()
    clash = db.session.scalar(select(Client).where(func.lower(Client.name) == name.lower()))
    if clash is not None and clash is not client:
        raise ProjectError(f"A client called “{clash.name}” already exists.")
    created = client is None
    if client is None:
        client = Client(name=name)
        db.session.add(client)
    client.name = name
    client.contact_email = (contact_email or "").strip() or None
    db.session.flush()
    audit.record(
        "client.created" if created else "client.updated",
        actor=actor,
        subject_type="client",
        subject_id=client.id,
        name=name,
    )
    db.session.commit()
    return client


PROJECT_FIELDS = (
    "client_id",
    "title",
    "description",
    "domains",
    "skills",
    "languages",
    "min_score",
    "domain_min_scores",
    "hours_min",
    "hours_max",
    "rate_min_cents",
    "rate_max_cents",
    "allowed_countries",
    "timezone_window",
    "headcount",
    "starts_on",
    "ends_on",
    "status",
)


def save_project(
    project: Project | None,
    values: dict[str, Any],
    *,
    actor: User,
    guideline_md: str | None = None,
) -> Project:
    """Create or update a project from validated form values (and its first guidelines); commit."""
    created = project is None
    if project is None:
        project = Project()
        db.session.add(project)
    before = {f: getattr(project, f) for f in PROJECT_FIELDS} if not created else {}
    for name in PROJECT_FIELDS:
        if name in values:
            setattr(project, name, values[name])
    if not created and project.headcount < before["headcount"]:
        filled = seats_filled([project.id]).get(project.id, 0)
        if project.headcount < filled:
            db.session.rollback()
            raise ProjectError(
                f"{filled} people already hold seats; the headcount cannot go below that."
            )
    db.session.flush()
    changed = sorted(f for f in PROJECT_FIELDS if not created and before[f] != values.get(f))
    audit.record(
        "project.created" if created else "project.updated",
        actor=actor,
        subject_type="project",
        subject_id=project.id,
        fields=changed if not created else list(PROJECT_FIELDS),
    )
    if guideline_md and guideline_md.strip() and current_guideline(project.id) is None:
        publish_guideline(
            project,
            title=f"{project.title} guidelines",
            body_md=guideline_md,
            changelog="First version",
            actor=actor,
        )
    db.session.commit()
    return project
