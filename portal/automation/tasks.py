"""Beat runs every posting's rules every few minutes; events run one person's at once."""

from celery import shared_task

from portal.automation import engine


@shared_task(name="automation.run_all", ignore_result=True)
def run_all() -> int:
    """Apply every enabled rule and perform what has fallen due (idempotent)."""
    report = engine.run_all()
    return report.acted + report.executed


@shared_task(name="automation.run_for_applicant", ignore_result=True)
def run_for_applicant(applicant_id: int) -> int:
    """After an assessment is scored or a profile saved: this person's rules, now."""
    report = engine.run_for_applicant(applicant_id)
    return report.acted
