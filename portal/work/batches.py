"""Task batches: import tasks with the item importers, mix in gold from the bank, progress."""

from __future__ import annotations

import math
import random
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select

from assessments.importers import load_items, new_items
from assessments.items import Item as EngineItem
from portal import audit, clock
from portal.extensions import db
from portal.models import Item, Judgement, Project, TaskBatch, User, WorkTask
from portal.transactions import use_case

BATCH_STATUSES = ("open", "closed")


class BatchError(ValueError):
    """Bad batch settings; the message says which."""


@dataclass(frozen=True)
class BatchSettings:
    name: str = ""
    overlap: int = 3
    gold_share: float = 0.08
    rationale_required: bool = True
    guideline_version: int | None = None

    def check(self) -> None:
        """Raise BatchError on settings outside their ranges."""
        if not 1 <= self.overlap <= 20:
            raise BatchError("overlap must be between 1 and 20 raters per task")
        if not 0.0 <= self.gold_share < 0.5:
            raise BatchError("gold share must be between 0 and 50 %")


@dataclass(frozen=True)
class TaskImport:
    batch_id: int | None
    added: int
    skipped: int
    gold: int


def _gold_pool(project: Project) -> list[Item]:
    """Audited bank items of the project's domains (all domains when it names none)."""
    query = select(Item).where(
        Item.retired_at.is_(None),
        Item.needs_review.is_(False),
        Item.attention_check.is_(False),
        Item.known_broken.is_(False),
    )
    if project.domains:
        query = query.where(Item.domain.in_(project.domains))
    return list(db.session.scalars(query.order_by(Item.id)))


def _task_from(item: EngineItem, project_id: int) -> WorkTask:
    return WorkTask(
        project_id=project_id,
        kind=item.kind,
        prompt=item.prompt,
        responses=list(item.responses),
        content_hash=item.content_hash,
        domain=item.domain,
        source=item.source[:200],
        reference=list(item.gold) if isinstance(item.gold, tuple) else item.gold,
    )


def gold_count(n_tasks: int, share: float) -> int:
    """Gold tasks to mix into ``n_tasks`` so that they make ``share`` of the batch."""
    if n_tasks == 0 or share <= 0:
        return 0
    return math.ceil(n_tasks * share / (1 - share))


@use_case
def import_tasks(
    project: Project,
    source: str | Path | Iterable[str],
    fmt: str,
    settings: BatchSettings | None = None,
    *,
    batch: TaskBatch | None = None,
    actor: User | None = None,
    rng: random.Random | None = None,
) -> TaskImport:
    """Import tasks into a new batch (or ``batch``), skipping tasks the project already has.

    A malformed record raises ItemImportError naming its line, and nothing is added. Gold tasks
    (copies of audited bank items, indistinguishable to raters) are mixed in at random places.
    Commits.
    """
    settings = settings or BatchSettings()
    settings.check()
    parsed = load_items(source, fmt)
    existing = db.session.scalars(
        select(WorkTask.content_hash).where(WorkTask.project_id == project.id)
    )
    to_add, skipped = new_items(parsed, existing)
    if not to_add:
        return TaskImport(batch.id if batch else None, 0, skipped, 0)
    if batch is None:
        batch = TaskBatch(
            project_id=project.id,
            name=settings.name or f"Batch {clock.now():%Y-%m-%d %H:%M}",
            overlap=settings.overlap,
            gold_share=settings.gold_share,
            rationale_required=settings.rationale_required,
            guideline_version=settings.guideline_version,
            created_by_id=actor.id if actor else None,
        )
        db.session.add(batch)
        db.session.flush()
    elif batch.project_id != project.id:
        raise BatchError("that batch belongs to another project")
    rng = rng or random.Random()
    tasks = [_task_from(item, project.id) for item in to_add]
    used = set(
        db.session.scalars(select(WorkTask.bank_item_id).where(WorkTask.project_id == project.id))
    )
    pool = [i for i in _gold_pool(project) if i.id not in used]
    seen = {t.content_hash for t in tasks}
    pool = [i for i in pool if i.content_hash not in seen]
    golds = rng.sample(pool, min(len(pool), gold_count(len(tasks), batch.gold_share)))
    for item in golds:
        gold_task = WorkTask(
            project_id=project.id,
            kind=item.kind,
            prompt=item.prompt,
            responses=list(item.responses),
            content_hash=item.content_hash,
            domain=item.domain,
            source="",
            is_gold=True,
            gold=item.gold,
            bank_item_id=item.id,
        )
        tasks.insert(rng.randrange(len(tasks) + 1), gold_task)
    for task in tasks:
        task.batch_id = batch.id
        db.session.add(task)
    db.session.flush()
    audit.record(
        "work.tasks_imported",
        actor=actor,
        subject_type="task_batch",
        subject_id=batch.id,
        added=len(to_add),
        skipped=skipped,
        gold=len(golds),
        format=fmt,
    )
    return TaskImport(batch.id, len(to_add), skipped, len(golds))


@dataclass(frozen=True)
class Progress:
    tasks: int
    needed: int  # judgements needed: tasks x overlap
    done: int
    per_hour: float  # judgements per hour over the last day
    eta: datetime | None

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.needed) if self.needed else 100


def progress(batch: TaskBatch, window: timedelta = timedelta(hours=24)) -> Progress:
    """Judgements done / needed, with an ETA from the rate over the last ``window``."""
    now = clock.now()
    n_tasks = db.session.scalar(
        select(func.count(WorkTask.id)).where(WorkTask.batch_id == batch.id)
    )
    n_tasks = n_tasks or 0
    base = select(func.count(Judgement.id)).join(WorkTask, WorkTask.id == Judgement.task_id)
    done = db.session.scalar(base.where(WorkTask.batch_id == batch.id)) or 0
    recent = (
        db.session.scalar(
            base.where(WorkTask.batch_id == batch.id, Judgement.created_at >= now - window)
        )
        or 0
    )
    needed = n_tasks * batch.overlap
    per_hour = recent / (window.total_seconds() / 3600)
    left = max(needed - done, 0)
    eta = None
    if left and per_hour > 0:
        eta = now + timedelta(hours=left / per_hour)
    elif not left:
        eta = now
    return Progress(n_tasks, needed, done, round(per_hour, 2), eta)


def batches_of(project_id: int) -> list[TaskBatch]:
    return list(
        db.session.scalars(
            select(TaskBatch).where(TaskBatch.project_id == project_id).order_by(TaskBatch.id)
        )
    )


def find_project(ref: str) -> Project | None:
    """A project by id or exact title."""
    if ref.isdigit():
        return db.session.get(Project, int(ref))
    return db.session.scalar(select(Project).where(Project.title == ref))


@use_case
def set_status(batch: TaskBatch, status: str, *, actor: User | None = None) -> bool:
    """Close a batch (no new claims; claims already held may still be answered) or reopen it.
    Returns whether anything changed. Audited. Commits."""
    if status not in BATCH_STATUSES:
        raise BatchError(f"unknown batch status {status!r}; known: {', '.join(BATCH_STATUSES)}")
    if batch.status == status:
        return False
    batch.status = status
    audit.record(
        "work.batch_" + ("closed" if status == "closed" else "reopened"),
        actor=actor,
        subject_type="task_batch",
        subject_id=batch.id,
    )
    db.session.flush()
    return True
