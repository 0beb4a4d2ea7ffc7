"""The global proposal as a background job: start a run, run it with progress, read it back.

Protocol. Starting (a POST) writes a ``ProposalRun`` row "queued" and queues the job after the
commit; one run at a time, so a second click while one is live returns that one. The job marks
the run "running", commits its progress and a heartbeat at each phase, and ends it "done" with
the result or "failed" with a sentence. Reading the status (a GET) writes nothing: a live run
whose heartbeat is older than the solver's time limit and a margin reads as stalled (its worker
died; with late acknowledgement the broker delivers it again, and a redelivered run simply
starts over, since computing a proposal changes nothing else).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import select

from portal import audit, clock
from portal.extensions import db
from portal.jobs import delay_after_commit
from portal.models import Applicant, Project, ProposalRun, User
from portal.projects.ratecard import RateQuote
from portal.projects.services.proposal_inputs import compute_proposal
from portal.projects.services.rules import ProjectError
from portal.transactions import use_case

LIVE = ("queued", "running")
MARGIN = timedelta(minutes=5)


def _stall_after() -> timedelta:
    return timedelta(seconds=float(current_app.config.get("PROJECTS_PROPOSAL_TIME_LIMIT", 60)))


def is_stalled(run: ProposalRun, now: datetime | None = None) -> bool:
    """A live run nobody has heard of for longer than the solver may take, plus a margin."""
    if run.status not in LIVE:
        return False
    last = run.heartbeat_at or run.created_at
    return (now or clock.now()) - last > _stall_after() * 2 + MARGIN


def latest_run() -> ProposalRun | None:
    return db.session.scalar(select(ProposalRun).order_by(ProposalRun.id.desc()).limit(1))


@use_case
def start_proposal_run(*, actor: User | None, job: Any) -> ProposalRun:
    """Queue a run (``job.delay(run_id)`` after the commit), or return the one still live."""
    live = db.session.scalar(
        select(ProposalRun).where(ProposalRun.status.in_(LIVE)).order_by(ProposalRun.id.desc())
    )
    if live is not None and not is_stalled(live):
        return live
    run = ProposalRun(requested_by_id=actor.id if actor else None)
    db.session.add(run)
    db.session.flush()
    audit.record("proposal.started", actor=actor, subject_type="proposal_run", subject_id=run.id)
    delay_after_commit(job, run.id)
    return run


@use_case
def record_progress(run_id: int, percent: int, step: str, *, starting: bool = False) -> None:
    """Commit a run's progress and heartbeat (the status page reads it)."""
    run = db.session.get(ProposalRun, run_id)
    if run is None:
        return
    now = clock.now()
    if starting:
        run.status, run.started_at, run.error = "running", now, None
    run.progress, run.step, run.heartbeat_at = percent, step[:200], now


@use_case
def _finish(run_id: int, result: dict[str, Any] | None, error: str | None) -> None:
    run = db.session.get(ProposalRun, run_id)
    if run is None:
        return
    now = clock.now()
    run.finished_at = run.heartbeat_at = now
    if error is not None:
        run.status, run.error, run.step = "failed", error, "Failed"
        return
    assert result is not None
    run.status, run.progress, run.step = "done", 100, "Done"
    run.result = {"offers": result["offers"], "unfilled": result["unfilled"]}
    run.total_score = result["total_score"]
    run.upper_bound = result["upper_bound"]
    run.optimal = result["optimal"]
    run.candidates, run.projects = result["candidates"], result["projects"]
    run.seconds = result["seconds"]


def run_proposal(run_id: int) -> str:
    """The job: compute the proposal for a run and store it (a finished run is left alone)."""
    run = db.session.get(ProposalRun, run_id)
    if run is None:
        return "missing"
    if run.status not in LIVE:
        return run.status
    record_progress(run_id, 1, "Starting", starting=True)
    try:
        result = compute_proposal(lambda percent, step: record_progress(run_id, percent, step))
    except ProjectError as exc:
        db.session.rollback()
        _finish(run_id, None, str(exc))
        return "failed"
    except Exception:
        db.session.rollback()
        current_app.logger.exception("proposal run %s failed", run_id)
        _finish(run_id, None, "The proposal could not be computed; try again, or tell support.")
        return "failed"
    _finish(run_id, result, None)
    return "done"


def run_status(run: ProposalRun) -> dict[str, Any]:
    """What the progress bar polls (JSON)."""
    stalled = is_stalled(run)
    return {
        "id": run.id,
        "status": "stalled" if stalled else run.status,
        "progress": run.progress,
        "step": "The worker stopped answering; start the proposal again." if stalled else run.step,
        "finished": run.status in ("done", "failed") or stalled,
        "error": run.error,
    }


@dataclass(frozen=True)
class ProposedOffer:
    applicant_id: int
    name: str
    project: Project
    hours: int
    score: float
    quote: RateQuote

    @property
    def key(self) -> str:
        return f"{self.applicant_id}:{self.project.id}:{self.hours}"


@dataclass(frozen=True)
class RunResult:
    offers: list[ProposedOffer]
    unfilled: list[tuple[Project, int]]


def run_result(run: ProposalRun) -> RunResult:
    """A finished run's offers with names and projects, in two statements whatever their number."""
    data = run.result or {}
    offers = data.get("offers", [])
    unfilled = data.get("unfilled", [])
    project_ids = {o[1] for o in offers} | {pid for pid, _ in unfilled}
    projects = {
        p.id: p for p in db.session.scalars(select(Project).where(Project.id.in_(project_ids)))
    }
    names = {
        applicant_id: full_name or user_name or email
        for applicant_id, full_name, user_name, email in db.session.execute(
            select(Applicant.id, Applicant.full_name, User.name, User.email)
            .join(User, User.id == Applicant.user_id)
            .where(Applicant.id.in_({o[0] for o in offers}))
        )
    }
    return RunResult(
        offers=[
            ProposedOffer(
                applicant_id=aid,
                name=names.get(aid, f"Applicant {aid}"),
                project=projects[pid],
                hours=hours,
                score=score,
                quote=RateQuote(cents, list(reasons)),
            )
            for aid, pid, hours, score, cents, reasons in offers
            if pid in projects
        ],
        unfilled=[(projects[pid], seats) for pid, seats in unfilled if pid in projects],
    )
