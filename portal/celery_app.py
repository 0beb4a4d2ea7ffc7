"""Celery bound to the Flask app (the Flask docs' `celery_init_app` pattern)."""

from datetime import timedelta
from typing import Any

from celery import Celery, Task
from celery.schedules import crontab
from flask import Flask

# The modules that define tasks: the worker imports them at start (no import for side effects).
TASK_MODULES = [
    "portal.mail",
    "portal.assessment.tasks",
    "portal.resumes.tasks",
    "portal.recruiters.tasks",
    "portal.projects.tasks",
    "portal.payments.tasks",
    "portal.automation.tasks",
]

# Periodic jobs run by `celery -A wsgi.celery_app beat`; features add their entries here.
BEAT_SCHEDULE: dict[str, dict[str, Any]] = {
    "retry-failed-emails": {
        "task": "mail.retry_failed",
        "schedule": timedelta(minutes=15),
    },
    # Pay every approved, unpaid contractor-week; safe to overlap or retry (see payments).
    "weekly-payouts": {
        "task": "payments.run_payouts",
        "schedule": crontab(minute=0, hour=6, day_of_week="mon"),
    },
    # Contractors with a week still to submit: Friday (this week), Monday (last week, before
    # it closes at noon). Idempotent per contractor-week and slot.
    "timesheet-reminder-friday": {
        "task": "payments.remind_timesheets",
        "schedule": crontab(minute=0, hour=8, day_of_week="fri"),
        "args": ("friday",),
    },
    "timesheet-reminder-monday": {
        "task": "payments.remind_timesheets",
        "schedule": crontab(minute=0, hour=8, day_of_week="mon"),
        "args": ("monday",),
    },
    # Off unless TIMESHEET_AUTO_APPROVE_HOURS is set; the same rules as a person's approval.
    "timesheet-auto-approve": {
        "task": "payments.auto_approve",
        "schedule": crontab(minute=20),
    },
    # Re-read connected accounts from Stripe, in case webhooks are late or lost.
    "sync-stripe-accounts": {
        "task": "payments.sync_accounts",
        "schedule": timedelta(minutes=30),
    },
    "expire-overdue-attempts": {
        "task": "assessment.expire_overdue",
        "schedule": timedelta(minutes=1),
    },
    "lapse-expired-offers": {
        "task": "projects.lapse_offers",
        "schedule": timedelta(minutes=10),
    },
    # Accepted assignments start on their start date without any other event (idempotent).
    "activate-assignments": {
        "task": "projects.activate_assignments",
        "schedule": crontab(hour=0, minute=5),
    },
    # A parse whose worker died mid-way ends "failed" instead of "parsing" for good.
    "fail-stuck-resume-parses": {
        "task": "resumes.fail_stuck",
        "schedule": timedelta(minutes=5),
    },
    # Shortlisted people idle with no open seat anywhere move to the talent pool (no SLA).
    "talent-pool": {
        "task": "recruiters.pool_idle",
        "schedule": crontab(hour=6, minute=30),
    },
    # Pipeline automation: each posting's rules, and delayed actions that fell due (idempotent).
    "pipeline-automation": {
        "task": "automation.run_all",
        "schedule": timedelta(minutes=5),
    },
    "recruiter-sla-digest": {
        "task": "recruiters.sla_digest",
        "schedule": crontab(hour=7, minute=0),  # each morning, UTC
    },
}


def celery_init_app(app: Flask) -> Celery:
    """Create the Celery app whose tasks all run inside a Flask app context."""

    class FlaskTask(Task):
        def __call__(self, *args: object, **kwargs: object) -> object:
            with app.app_context():
                return self.run(*args, **kwargs)

    broker = app.config.get("CELERY_BROKER_URL")
    celery = Celery(app.name, task_cls=FlaskTask, include=TASK_MODULES)
    celery.conf.update(
        broker_url=broker or "memory://",
        result_backend=app.config.get("CELERY_RESULT_BACKEND") or None,
        task_always_eager=not broker,
        task_eager_propagates=bool(app.config.get("TESTING")),
        task_ignore_result=True,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        broker_connection_retry_on_startup=True,
        timezone="UTC",
        beat_schedule=BEAT_SCHEDULE,
    )
    celery.conf.update(app.config.get("CELERY", {}))
    celery.set_default()
    app.extensions["celery"] = celery
    return celery
