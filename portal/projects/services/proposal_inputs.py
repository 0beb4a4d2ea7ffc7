"""The global proposal's inputs, read in bulk, and the proposal computed from them.

Reading is a fixed number of statements whatever the pool size (``proposal_inputs``): only the
columns matching needs (no resume text, experience or education), the latest attempt's score
and per-domain agreement, and every held seat once. ``compute_proposal`` runs the solver on them
and returns a JSON-ready result the job stores.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import current_app
from sqlalchemy import func, select

from portal import clock
from portal.extensions import db
from portal.models import Applicant, Assignment, Attempt, Project
from portal.projects import matching
from portal.projects.ratecard import RateCard
from portal.projects.services.features import labelling_months, requirements, utc_offset_hours
from portal.projects.services.ratecards import current_rate_card, quote_for
from portal.projects.services.rules import CANDIDATE_STAGES, ProjectError, holds_seat

Progress = Callable[[int, str], None]


def _quiet(percent: int, step: str) -> None:
    return None


@dataclass(frozen=True)
class ProposalInputs:
    projects: list[Project]  # open, by id
    requirements: list[matching.ProjectRequirements]
    features: dict[int, matching.CandidateFeatures]  # applicant id -> features
    holding: set[tuple[int, int]]  # (applicant id, project id) already holding a seat
    card: RateCard


def _domain_scores(per_domain: Any) -> dict[str, float]:
    """Per-domain agreement from an attempt's breakdown, on the 0-100 scale of the score."""
    scores = {}
    for domain, stats in (per_domain if isinstance(per_domain, dict) else {}).items():
        if isinstance(stats, dict) and stats.get("agreement") is not None:
            scores[domain] = round(float(stats["agreement"]) * 100, 2)
    return scores


def proposal_inputs() -> ProposalInputs:
    """Open projects, candidates and held seats in six statements, whatever their number."""
    now = clock.now()
    projects = list(
        db.session.scalars(select(Project).where(Project.status == "open").order_by(Project.id))
    )
    held = db.session.execute(
        select(Assignment.applicant_id, Assignment.project_id, Assignment.weekly_hours).where(
            holds_seat(now)
        )
    ).all()
    filled: dict[int, int] = {}
    booked: dict[int, int] = {}
    for applicant_id, project_id, hours in held:
        filled[project_id] = filled.get(project_id, 0) + 1
        booked[applicant_id] = booked.get(applicant_id, 0) + (hours or 0)
    candidates = (
        select(Applicant.id)
        .where(Applicant.stage.in_(CANDIDATE_STAGES), Applicant.deleted_at.is_(None))
        .scalar_subquery()
    )
    latest = (
        select(func.max(Attempt.id))
        .where(
            Attempt.score.is_not(None),
            Attempt.status != "in_progress",
            Attempt.applicant_id.in_(candidates),
        )
        .group_by(Attempt.applicant_id)
    )
    attempts = {
        applicant_id: (score, per_domain)
        for applicant_id, score, per_domain in db.session.execute(
            select(Attempt.applicant_id, Attempt.score, Attempt.result["per_domain"]).where(
                Attempt.id.in_(latest)
            )
        )
    }
    rows = db.session.execute(
        select(
            Applicant.id,
            Applicant.country,
            Applicant.timezone,
            Applicant.domains,
            Applicant.skills,
            Applicant.languages,
            Applicant.years_experience,
            Applicant.labelling_experience,
            Applicant.weekly_hours,
            Applicant.desired_rate_cents,
        )
        .where(Applicant.stage.in_(CANDIDATE_STAGES), Applicant.deleted_at.is_(None))
        .order_by(Applicant.id)
    ).all()
    offsets: dict[str | None, float] = {}
    today = now.date()
    features = {}
    for row in rows:
        if row.timezone not in offsets:
            offsets[row.timezone] = utc_offset_hours(row.timezone, now)
        score, per_domain = attempts.get(row.id, (None, None))
        features[row.id] = matching.CandidateFeatures(
            id=row.id,
            country=row.country or "",
            utc_offset_hours=offsets[row.timezone],
            domains=frozenset(row.domains or ()),
            skills=frozenset(row.skills or ()),
            languages=frozenset(
                (entry.get("language") or "") if isinstance(entry, dict) else str(entry)
                for entry in (row.languages or ())
            ),
            overall_score=float(score) if score is not None else 0.0,
            domain_scores=_domain_scores(per_domain),
            passed=True,  # everyone read is at a candidate stage (the pipeline's verdict)
            years_experience=float(row.years_experience or 0),
            labelling_months=labelling_months(row.labelling_experience, today),
            weekly_hours=float(row.weekly_hours or 0),
            booked_hours=float(booked.get(row.id, 0)),
            desired_rate_cents=int(row.desired_rate_cents or 0),
        )
    return ProposalInputs(
        projects=projects,
        requirements=[requirements(p, filled.get(p.id, 0)) for p in projects],
        features=features,
        holding={(a, p) for a, p, _ in held},
        card=current_rate_card(),
    )


def compute_proposal(progress: Progress = _quiet) -> dict[str, Any]:
    """The optimal proposal over every open project, as JSON-ready data (see ``ProposalRun``)."""
    started = time.perf_counter()
    progress(5, "Reading candidates and open projects")
    inputs = proposal_inputs()
    progress(25, f"Scoring {len(inputs.features):,} candidates for {len(inputs.projects)} projects")
    time_limit = float(current_app.config.get("PROJECTS_PROPOSAL_TIME_LIMIT", 60))
    steps = {
        "priced": (45, "Finding a first assignment"),
        "incumbent": (60, "Proving it optimal (pricing seats, whole hours)"),
        "bounded": (75, "Solving over the pairs that could still do better"),
    }
    try:
        proposal = matching.propose_assignment(
            list(inputs.features.values()),
            inputs.requirements,
            time_limit=time_limit,
            on_step=lambda name: progress(*steps[name]) if name in steps else None,
        )
    except RuntimeError as exc:  # the solver found nothing within its time limit
        raise ProjectError(f"The assignment solver gave up: {exc}. Try again later.") from exc
    progress(90, "Pricing the proposed offers")
    by_project = {p.id: p for p in inputs.projects}
    offers = []
    for a in proposal.assignments:
        # The core does not know who already holds a seat on a project; never offer it twice.
        if (a.candidate_id, a.project_id) in inputs.holding:
            continue
        quote = quote_for(by_project[a.project_id], inputs.features[a.candidate_id], inputs.card)
        offers.append(
            [a.candidate_id, a.project_id, int(round(a.hours)), a.score, quote.cents, quote.reasons]
        )
    return {
        "offers": offers,
        "unfilled": [[pid, seats] for pid, seats in sorted(proposal.unfilled.items())],
        "total_score": sum(o[3] for o in offers),
        "upper_bound": proposal.upper_bound,
        "optimal": proposal.optimal,
        "candidates": len(inputs.features),
        "projects": len(inputs.projects),
        "seconds": time.perf_counter() - started,
    }
