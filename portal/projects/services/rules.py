"""Shared vocabulary of the projects services: stages, statuses, seats, the error they raise."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, and_, or_

from portal.models import Assignment

# Applicants the pipeline has passed: they may be matched and offered work.
CANDIDATE_STAGES = (
    "assessed_passed",
    "shortlisted",
    "talent_pool",
    "offered",
    "onboarding",
    "active",
)
# Shown as ineligible (with reasons) but never offered.
VISIBLE_STAGES = (*CANDIDATE_STAGES, "profile_complete", "assessed_failed")
ENGAGED = ("accepted", "active", "paused")  # working (or about to, or on hold) on the project
PROJECT_STATUSES = {"draft": "Draft", "open": "Open", "staffed": "Staffed", "closed": "Closed"}
AGREEMENT_VERSION = "2026-11"
DEFAULT_OFFER_DAYS = 7


class ProjectError(ValueError):
    """A request the rules refuse; the message says why, for a person to read."""


def live_offer(now: datetime) -> ColumnElement[bool]:
    """An offer still open for an answer: past its expiry it is lapsed, whether or not the
    beat task has written that down yet (reads never wait for it, and never write it)."""
    return and_(
        Assignment.status == "offered",
        or_(Assignment.expires_at.is_(None), Assignment.expires_at > now),
    )


def holds_seat(now: datetime) -> ColumnElement[bool]:
    """Live offers and engaged assignments take a seat and count against weekly hours."""
    return or_(Assignment.status.in_(ENGAGED), live_offer(now))
