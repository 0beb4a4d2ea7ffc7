"""Pipeline automation: rules per posting do the routine moves; people get only what needs them."""

from typing import Any

from flask import Flask

from portal.automation.views import admin_bp, bp

blueprints = [bp, admin_bp]


def _after_event(sender: Any, applicant_id: int, **_: Any) -> None:
    from portal.automation.tasks import run_for_applicant
    from portal.jobs import delay_after_commit

    delay_after_commit(run_for_applicant, applicant_id)


def init_app(app: Flask) -> None:
    """Run a person's rules right after the events that trigger them (after commit)."""
    from portal import events

    for signal in (events.assessment_scored, events.profile_saved):
        signal.connect(_after_event, weak=False)
