"""Features for the matching core, read from the database in a few bulk queries."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import suppress
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import func, select

from portal import clock
from portal.extensions import db
from portal.models import (
    Applicant,
    Assignment,
    Attempt,
    Project,
)
from portal.projects import matching
from portal.projects.services.rules import CANDIDATE_STAGES, holds_seat


def utc_offset_hours(tz_name: str | None, when: datetime | None = None) -> float:
    """The current UTC offset of an IANA timezone in hours (0 when unknown)."""
    if not tz_name:
        return 0.0
    try:
        tz = ZoneInfo(tz_name)
    except (ZoneInfoNotFoundError, ValueError):
        return 0.0  # unknown: not UTC's offset by accident of a fallback
    offset = (when or clock.now()).astimezone(tz).utcoffset()
    return offset.total_seconds() / 3600 if offset is not None else 0.0


def _month_index(text: Any) -> int | None:
    try:
        year, month = str(text)[:7].split("-")
        return int(year) * 12 + int(month) - 1
    except (TypeError, ValueError):
        return None


def labelling_months(entries: Sequence[dict[str, Any]], today: date | None = None) -> int:
    """Months of prior labelling work from the profile (`months`, or `start`/`end` YYYY-MM)."""
    today = today or clock.now().date()
    total = 0
    for entry in entries or ():
        if not isinstance(entry, dict):
            continue
        if entry.get("months") is not None:
            with suppress(TypeError, ValueError):
                total += max(int(entry["months"]), 0)
            continue
        start = _month_index(entry.get("start"))
        end = _month_index(entry.get("end")) if entry.get("end") else today.year * 12 + today.month
        if start is not None and end is not None and end >= start:
            total += end - start + 1
    return total


def _latest_attempts(applicant_ids: Iterable[int] | None) -> dict[int, Attempt]:
    """Each applicant's most recent scored attempt."""
    latest = (
        select(func.max(Attempt.id))
        .where(Attempt.score.is_not(None), Attempt.status != "in_progress")
        .group_by(Attempt.applicant_id)
    )
    if applicant_ids is not None:
        latest = latest.where(Attempt.applicant_id.in_(list(applicant_ids)))
    rows = db.session.scalars(select(Attempt).where(Attempt.id.in_(latest)))
    return {a.applicant_id: a for a in rows}


def booked_hours(applicant_ids: Iterable[int] | None = None) -> dict[int, int]:
    """Weekly hours already promised by each applicant (offered, accepted or active)."""
    query = (
        select(Assignment.applicant_id, func.coalesce(func.sum(Assignment.weekly_hours), 0))
        .where(holds_seat(clock.now()))
        .group_by(Assignment.applicant_id)
    )
    if applicant_ids is not None:
        query = query.where(Assignment.applicant_id.in_(list(applicant_ids)))
    return {aid: int(hours) for aid, hours in db.session.execute(query)}


def domain_scores(attempt: Attempt | None) -> dict[str, float]:
    """Per-domain agreement from an attempt's breakdown, on the 0-100 scale of the score."""
    if attempt is None or not attempt.result:
        return {}
    scores = {}
    for domain, stats in (attempt.result.get("per_domain") or {}).items():
        if isinstance(stats, dict) and stats.get("agreement") is not None:
            scores[domain] = round(float(stats["agreement"]) * 100, 2)
    return scores


def features_for(applicants: Sequence[Applicant]) -> dict[int, matching.CandidateFeatures]:
    """CandidateFeatures for each applicant, in three queries whatever their number."""
    ids = [a.id for a in applicants]
    if not ids:
        return {}
    attempts = _latest_attempts(ids if len(ids) < 500 else None)
    booked = booked_hours(ids if len(ids) < 500 else None)
    now = clock.now()
    offsets: dict[str | None, float] = {}
    result = {}
    for a in applicants:
        if a.timezone not in offsets:
            offsets[a.timezone] = utc_offset_hours(a.timezone, now)
        attempt = attempts.get(a.id)
        result[a.id] = matching.CandidateFeatures(
            id=a.id,
            country=a.country or "",
            utc_offset_hours=offsets[a.timezone],
            domains=frozenset(a.domains or ()),
            skills=frozenset(a.skills or ()),
            languages=frozenset(
                (entry.get("language") or "") if isinstance(entry, dict) else str(entry)
                for entry in (a.languages or ())
            ),
            overall_score=float(attempt.score) if attempt and attempt.score is not None else 0.0,
            domain_scores=domain_scores(attempt),
            # The pipeline holds the verdict (a recruiter may override a failed attempt).
            passed=a.stage in CANDIDATE_STAGES,
            years_experience=float(a.years_experience or 0),
            labelling_months=labelling_months(a.labelling_experience),
            weekly_hours=float(a.weekly_hours or 0),
            booked_hours=float(booked.get(a.id, 0)),
            desired_rate_cents=int(a.desired_rate_cents or 0),
        )
    return result


def seats_filled(project_ids: Iterable[int] | None = None) -> dict[int, int]:
    """Seats taken per project (offered, accepted or active assignments)."""
    query = (
        select(Assignment.project_id, func.count())
        .where(holds_seat(clock.now()))
        .group_by(Assignment.project_id)
    )
    if project_ids is not None:
        query = query.where(Assignment.project_id.in_(list(project_ids)))
    return dict(db.session.execute(query).all())


def requirements(project: Project, filled: int | None = None) -> matching.ProjectRequirements:
    """The matching core's view of a project."""
    if filled is None:
        filled = seats_filled([project.id]).get(project.id, 0)
    window = project.timezone_window or {}
    tz = None
    if window.get("from") is not None and window.get("to") is not None:
        tz = (float(window["from"]), float(window["to"]))
    return matching.ProjectRequirements(
        id=project.id,
        domains=frozenset(project.domains or ()),
        skills=frozenset(project.skills or ()),
        languages=frozenset(project.languages or ()),
        min_score=float(project.min_score or 0),
        domain_min_scores=dict(project.domain_min_scores or {}),
        hours_band=(float(project.hours_min), float(project.hours_max)),
        rate_band_cents=(project.rate_min_cents, project.rate_max_cents),
        allowed_countries=frozenset(project.allowed_countries or ()),
        timezone_window=tz,
        headcount=project.headcount,
        seats_filled=filled,
    )


def applicants_at(stages: Sequence[str]) -> list[Applicant]:
    return list(
        db.session.scalars(
            select(Applicant)
            .where(Applicant.stage.in_(stages), Applicant.deleted_at.is_(None))
            .order_by(Applicant.id)
        )
    )


def seat_holders(project_id: int) -> set[int]:
    return set(
        db.session.scalars(
            select(Assignment.applicant_id).where(
                Assignment.project_id == project_id, holds_seat(clock.now())
            )
        )
    )
