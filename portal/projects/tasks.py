"""Background jobs for projects: lapsing expired offers, starting assignments on their day."""

from celery import shared_task

from portal.projects.services.assignments import activate_due
from portal.projects.services.offers import lapse_expired


@shared_task(name="projects.lapse_offers", ignore_result=True)
def lapse_offers() -> int:
    """Lapse every open offer whose expiry has passed (idempotent: lapsed offers stay lapsed)."""
    return lapse_expired()


@shared_task(name="projects.activate_assignments", ignore_result=True)
def activate_assignments() -> int:
    """Start accepted assignments whose day has come (idempotent: run it as often as you like)."""
    return activate_due()
