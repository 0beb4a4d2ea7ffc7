"""Background jobs that close attempts at their deadline even when the browser is gone."""

from celery import shared_task

from portal.assessment import attempts


@shared_task(name=attempts.EXPIRE_TASK, ignore_result=True)
def expire_attempt(attempt_id: int) -> bool:
    """Close and score one attempt if its deadline has passed (a no-op otherwise; idempotent)."""
    return attempts.finalize(attempt_id)


@shared_task(name="assessment.expire_overdue", ignore_result=True)
def expire_overdue() -> int:
    """Close and score every overdue attempt (the beat's safety net for lost ETA tasks)."""
    return attempts.expire_overdue()
