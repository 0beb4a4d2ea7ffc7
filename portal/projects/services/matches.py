"""Matching views: best candidates for a project, projects for a person (the global proposal is
a background job: ``proposal_runs``)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from portal import clock
from portal.extensions import db
from portal.models import (
    Applicant,
    Assignment,
    Project,
)
from portal.projects import matching
from portal.projects.ratecard import RateQuote
from portal.projects.services.features import (
    applicants_at,
    features_for,
    requirements,
    seat_holders,
    seats_filled,
)
from portal.projects.services.ratecards import current_rate_card, quote_for
from portal.projects.services.rules import (
    VISIBLE_STAGES,
    holds_seat,
)


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
    held = seat_holders(project.id)
    people = [a for a in applicants_at(VISIBLE_STAGES) if a.id not in held]
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
    return ProjectMatches(eligible, ineligible[:200], held, req.open_seats, len(people))


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
                Assignment.applicant_id == applicant.id, holds_seat(clock.now())
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
