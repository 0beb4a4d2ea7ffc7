"""Background jobs for projects: lapsing offers past their expiry."""

from celery import shared_task

from portal.projects.services.offers import lapse_expired


@shared_task(name="projects.lapse_offers", ignore_result=True)
def lapse_offers() -> int:
    """Lapse every open offer whose expiry has passed (idempotent: lapsed offers stay lapsed)."""
    return lapse_expired()
