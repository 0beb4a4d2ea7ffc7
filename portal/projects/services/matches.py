"""Matching views: best candidates for a project, projects for a person, the global proposal."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
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
    CANDIDATE_STAGES,
    VISIBLE_STAGES,
    ProjectError,
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
    people = applicants_at(CANDIDATE_STAGES)
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
            select(Assignment.applicant_id, Assignment.project_id).where(holds_seat(clock.now()))
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
