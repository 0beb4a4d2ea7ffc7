"""Background jobs that close attempts at their deadline even when the browser is gone."""

from celery import shared_task

from portal import assessments_service as service


@shared_task(name="assessment.expire_attempt", ignore_result=True)
def expire_attempt(attempt_id: int) -> bool:
    """Close and score one attempt if its deadline has passed (a no-op otherwise; idempotent)."""
    return service.finalize(attempt_id)


@shared_task(name="assessment.expire_overdue", ignore_result=True)
def expire_overdue() -> int:
    """Close and score every overdue attempt (the beat's safety net for lost ETA tasks)."""
    return service.expire_overdue()
