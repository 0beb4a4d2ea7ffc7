"""Background jobs for projects: lapsing expired offers, starting assignments on their day, and
computing the global proposal."""

from celery import shared_task

from portal.projects.services.assignments import activate_due
from portal.projects.services.offers import lapse_expired
from portal.projects.services.proposal_runs import run_proposal


@shared_task(name="projects.lapse_offers", ignore_result=True)
def lapse_offers() -> int:
    """Lapse every open offer whose expiry has passed (idempotent: lapsed offers stay lapsed)."""
    return lapse_expired()


@shared_task(name="projects.activate_assignments", ignore_result=True)
def activate_assignments() -> int:
    """Start accepted assignments whose day has come (idempotent: run it as often as you like)."""
    return activate_due()


@shared_task(name="projects.run_proposal", ignore_result=True)
def run_proposal_task(run_id: int) -> str:
    """Compute a queued proposal run (idempotent: a finished run is left alone; a redelivered
    live one starts over)."""
    return run_proposal(run_id)
