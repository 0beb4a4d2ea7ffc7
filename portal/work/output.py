"""Pay tied to output: the tasks a contractor did in a timesheet week, beside the hours logged.

A week is counted in the contractor's own days (the timesheet's days are local days), so a
task done at 23:30 in Lima on Sunday belongs to that Sunday's week. Only projects with live
work in the portal (at least one task batch) are compared: elsewhere the work happens outside
the portal and the task count means nothing. A week whose logged hours are far above the time
its tasks took (``WORK_HOURS_TASK_RATIO``, default 2.0) is *flagged* for the approver, never
blocked: raters read guidelines, wait for tasks and write rationales offline.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import and_, func, or_, select

from portal.clock import zone
from portal.extensions import db
from portal.models import Applicant, Assignment, Judgement, TaskBatch, Timesheet, WorkTask
from portal.payments import tiers
from portal.payments.timesheets import week_days

DEFAULT_RATIO = 2.0


@dataclass(frozen=True)
class WeekOutput:
    """What one contractor did on one project in one week, and how it compares to the hours."""

    live: bool  # the project has work in the portal; otherwise nothing below is meaningful
    tasks: int
    task_seconds: float
    hours: float  # logged on the timesheet
    ratio_limit: float

    @property
    def task_hours(self) -> float:
        return self.task_seconds / 3600

    @property
    def tasks_per_hour(self) -> float | None:
        return self.tasks / self.hours if self.hours else None

    @property
    def hours_ratio(self) -> float | None:
        """Logged hours over the hours the tasks took (None when nothing to compare)."""
        if not self.hours:
            return None
        return self.hours / self.task_hours if self.task_seconds else float("inf")

    @property
    def flagged(self) -> bool:
        ratio = self.hours_ratio
        return self.live and ratio is not None and ratio > self.ratio_limit

    @property
    def reason(self) -> str | None:
        """The approver's warning, or None."""
        if not self.flagged:
            return None
        if not self.tasks:
            return f"{self.hours:g} h logged but no tasks done in the portal this week."
        return (
            f"{self.hours:g} h logged for {self.tasks} tasks that took {self.task_hours:.1f} h "
            f"({self.hours_ratio:.1f}× the task time; the flag is above "
            f"{self.ratio_limit:g}×)."
        )


def ratio_limit() -> float:
    return float(current_app.config.get("WORK_HOURS_TASK_RATIO", DEFAULT_RATIO))


def live_projects(project_ids: Iterable[int]) -> set[int]:
    """The projects among these that have at least one task batch (one statement)."""
    ids = set(project_ids)
    if not ids:
        return set()
    return set(
        db.session.scalars(
            select(TaskBatch.project_id).where(TaskBatch.project_id.in_(ids)).distinct()
        )
    )


def _utc_bounds(week: str, timezone: str | None) -> tuple[datetime, datetime]:
    days = week_days(week)
    tz = zone(timezone)
    start = datetime.combine(days[0], time.min, tz)
    end = datetime.combine(days[-1] + timedelta(days=1), time.min, tz)
    return start, end


def outputs_for(sheets: Iterable[Timesheet]) -> dict[int, WeekOutput]:
    """Each sheet's week output, keyed by sheet id, in a fixed number of statements."""
    sheets = list(sheets)
    if not sheets:
        return {}
    applicants = {
        a.id: a
        for a in db.session.scalars(
            select(Applicant).where(Applicant.id.in_({s.applicant_id for s in sheets}))
        )
    }
    project_of = dict(
        db.session.execute(
            select(Assignment.id, Assignment.project_id).where(
                Assignment.id.in_({s.assignment_id for s in sheets})
            )
        ).all()
    )
    live = live_projects(project_of.values())
    bounds = {
        s.id: _utc_bounds(s.week, getattr(applicants.get(s.applicant_id), "timezone", None))
        for s in sheets
    }
    counted = [s for s in sheets if project_of[s.assignment_id] in live]
    totals: dict[int, tuple[int, float]] = defaultdict(lambda: (0, 0.0))
    if counted:
        windows = or_(
            *(
                and_(
                    Judgement.applicant_id == s.applicant_id,
                    WorkTask.project_id == project_of[s.assignment_id],
                    Judgement.created_at >= bounds[s.id][0],
                    Judgement.created_at < bounds[s.id][1],
                )
                for s in counted
            )
        )
        rows = db.session.execute(
            select(
                Judgement.applicant_id,
                WorkTask.project_id,
                Judgement.created_at,
                Judgement.seconds,
            )
            .join(WorkTask, WorkTask.id == Judgement.task_id)
            .where(windows)
        )
        for applicant_id, project_id, created_at, seconds in rows:
            for s in counted:
                start, end = bounds[s.id]
                if (
                    s.applicant_id == applicant_id
                    and project_of[s.assignment_id] == project_id
                    and start <= created_at < end
                ):
                    n, secs = totals[s.id]
                    totals[s.id] = (n + 1, secs + float(seconds or 0))
                    break
    limit = ratio_limit()
    return {
        s.id: WeekOutput(
            live=project_of[s.assignment_id] in live,
            tasks=totals[s.id][0],
            task_seconds=totals[s.id][1],
            hours=s.total_hours,
            ratio_limit=limit,
        )
        for s in sheets
    }


def week_output(applicant: Applicant, assignment: Assignment, week: str) -> WeekOutput:
    """One contractor's week on one assignment (whether or not a sheet exists yet)."""
    start, end = _utc_bounds(week, applicant.timezone)
    tasks, seconds = db.session.execute(
        select(func.count(Judgement.id), func.coalesce(func.sum(Judgement.seconds), 0.0))
        .join(WorkTask, WorkTask.id == Judgement.task_id)
        .where(
            Judgement.applicant_id == applicant.id,
            WorkTask.project_id == assignment.project_id,
            Judgement.created_at >= start,
            Judgement.created_at < end,
        )
    ).one()
    sheet = db.session.scalar(
        select(Timesheet).where(Timesheet.assignment_id == assignment.id, Timesheet.week == week)
    )
    return WeekOutput(
        live=bool(live_projects([assignment.project_id])),
        tasks=int(tasks or 0),
        task_seconds=float(seconds or 0),
        hours=sheet.total_hours if sheet else 0.0,
        ratio_limit=ratio_limit(),
    )


def tasks_per_logged_hour(project_id: int) -> dict[int, float]:
    """Per rater on a project: tasks done over hours logged on submitted, approved or paid
    weeks (drafts are not hours yet)."""
    quarters: dict[int, int] = defaultdict(int)
    for applicant_id, sheet_quarters in db.session.execute(
        select(Timesheet.applicant_id, Timesheet.quarter_hours)
        .join(Assignment, Assignment.id == Timesheet.assignment_id)
        .where(
            Assignment.project_id == project_id,
            Timesheet.status.in_(("submitted", "approved", "paid")),
        )
    ):
        quarters[applicant_id] += sum(sheet_quarters or [])
    tasks = dict(
        db.session.execute(
            select(Judgement.applicant_id, func.count(Judgement.id))
            .join(WorkTask, WorkTask.id == Judgement.task_id)
            .where(WorkTask.project_id == project_id)
            .group_by(Judgement.applicant_id)
        ).all()
    )
    return {
        applicant_id: tasks.get(applicant_id, 0) / (q / 4)
        for applicant_id, q in quarters.items()
        if q
    }


def tier_table(
    project_id: int, report_rows: dict[Any, dict[str, Any]], bar: float, min_gold: int
) -> list[dict[str, Any]]:
    """The quality page's tier table: each engaged assignment with its cap, the suggestion
    and tasks per logged hour (a fixed number of statements)."""
    per_hour = tasks_per_logged_hour(project_id)
    assignments = db.session.scalars(
        select(Assignment)
        .where(
            Assignment.project_id == project_id,
            Assignment.status.in_(("accepted", "active", "paused")),
        )
        .order_by(Assignment.id)
    )
    rows = []
    for assignment in assignments:
        tier, why = tiers.suggest(report_rows.get(assignment.applicant_id), bar, min_gold)
        rows.append(
            {
                "assignment": assignment,
                "cap": tiers.tier_cap(assignment),
                "suggested": tier,
                "why": why,
                "tasks_per_hour": per_hour.get(assignment.applicant_id),
            }
        )
    return rows
