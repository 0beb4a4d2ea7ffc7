"""What a rater did, day by day and ISO week by ISO week (UTC): tasks answered, flagged,
skipped, and time on task. Read-only; gold tasks are counted like the others (a rater must not
learn which were gold)."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from portal import clock
from portal.extensions import db
from portal.models import Judgement, Project, TaskClaim, WorkTask

DAYS = 14
WEEKS = 8


@dataclass
class Period:
    label: str
    start: date
    tasks: int = 0
    flagged: int = 0
    skipped: int = 0
    seconds: list[float] = field(default_factory=list)

    @property
    def minutes(self) -> int:
        return round(sum(self.seconds) / 60)

    @property
    def median_seconds(self) -> int | None:
        return round(statistics.median(self.seconds)) if self.seconds else None


@dataclass(frozen=True)
class Done:
    at: datetime
    project: str
    prompt: str
    seconds: float
    flagged: bool


@dataclass(frozen=True)
class History:
    days: list[Period]  # newest first, every day of the last DAYS
    weeks: list[Period]  # newest first, every ISO week of the last WEEKS
    recent: list[Done]


def _week_label(d: date) -> str:
    year, week, _ = d.isocalendar()
    return f"{year}-W{week:02d}"


def history(applicant_id: int, project_id: int | None = None, recent: int = 25) -> History:
    """The rater's days and weeks, with their last ``recent`` answers."""
    today = clock.now().date()
    monday = today - timedelta(days=today.weekday())
    first_week = monday - timedelta(weeks=WEEKS - 1)
    since = datetime.combine(
        min(first_week, today - timedelta(days=DAYS - 1)), time.min, tzinfo=UTC
    )
    days: dict[date, Period] = {}
    for n in range(DAYS):
        d = today - timedelta(days=n)
        days[d] = Period(d.isoformat(), d)
    weeks: dict[date, Period] = {}
    for n in range(WEEKS):
        start = monday - timedelta(weeks=n)
        weeks[start] = Period(_week_label(start), start)

    def periods(at: datetime) -> list[Period]:
        d = at.date()
        found = [days[d]] if d in days else []
        week = weeks.get(d - timedelta(days=d.weekday()))
        return found + ([week] if week else [])

    query = (
        select(Judgement, WorkTask.prompt, Project.title)
        .join(WorkTask, WorkTask.id == Judgement.task_id)
        .join(Project, Project.id == WorkTask.project_id)
        .where(Judgement.applicant_id == applicant_id, Judgement.created_at >= since)
        .order_by(Judgement.created_at.desc(), Judgement.id.desc())
    )
    skips = (
        select(TaskClaim.closed_at)
        .join(WorkTask, WorkTask.id == TaskClaim.task_id)
        .where(
            TaskClaim.applicant_id == applicant_id,
            TaskClaim.status == "skipped",
            TaskClaim.closed_at >= since,
        )
    )
    if project_id is not None:
        query = query.where(WorkTask.project_id == project_id)
        skips = skips.where(WorkTask.project_id == project_id)
    latest: list[Done] = []
    for judgement, prompt, title in db.session.execute(query):
        for period in periods(judgement.created_at):
            period.tasks += 1
            period.flagged += bool(judgement.flag_reason)
            period.seconds.append(judgement.seconds)
        if len(latest) < recent:
            latest.append(
                Done(
                    judgement.created_at,
                    title,
                    prompt,
                    judgement.seconds,
                    bool(judgement.flag_reason),
                )
            )
    for closed_at in db.session.scalars(skips):
        for period in periods(closed_at):
            period.skipped += 1
    return History(list(days.values()), list(weeks.values()), latest)
