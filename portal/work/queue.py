"""The work queue: claim the next task, submit a judgement, skip with a reason.

Exactly-once protocol. ``WorkTask.slots_taken`` counts a task's open claims plus its submitted
judgements and is only ever raised by one conditional UPDATE (``slots_taken < overlap``), so two
raters (or two tabs) racing for the last slot cannot both win: on PostgreSQL the second UPDATE
waits for the first's row lock and re-checks the condition. The candidate row is picked with
``FOR UPDATE SKIP LOCKED`` so concurrent claimers spread over tasks instead of queueing on one.
A ``(task, rater)`` unique constraint means no rater ever gets the same task twice. A claim
expires after ``CLAIM_MINUTES``; the expiry, a skip and a submit each move a claim out of
``open`` with a conditional UPDATE, so a slot is released at most once.

Gold tasks (bank items mixed in to measure raters) are the exception to the overlap: every rater
may get each of them once, so that a new rater's first tasks can carry enough gold for the
pause rule to act (``quality.needs_gold``); they are never exported.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import exists, func, or_, select, update
from sqlalchemy.exc import IntegrityError

from assessments.items import ItemValidationError
from portal import clock
from portal.extensions import db
from portal.models import Assignment, Judgement, RaterPause, TaskBatch, TaskClaim, WorkTask
from portal.payments import contracts
from portal.projects.services.guidelines import current_guideline, has_acknowledged
from portal.transactions import use_case
from portal.work.quality import needs_gold
from portal.work.quality_report import check_pause
from portal.work.rules import engine_item, pause_rule

CLAIM_MINUTES = 20


class WorkRefused(Exception):
    """The rater may not work on this project now (the message says why)."""


class AnswerError(ValueError):
    """The submitted answer is not acceptable; nothing was saved."""


def refusal(assignment: Assignment | None, today: date) -> str | None:
    """Why work on this assignment is refused today, or None when it may go ahead."""
    if assignment is None:
        return "You have no assignment on this project."
    if assignment.status != "active":
        return f"Your assignment is {assignment.shown_status}, not active."
    closed = contracts.closed_reason(assignment, today)  # the same window as hours and pay
    if closed is not None:
        return f"No work {closed}."
    project = assignment.project
    if project.ends_on is not None and today > project.ends_on:
        return "The project has ended."
    paused = db.session.scalar(
        select(RaterPause.id).where(
            RaterPause.project_id == assignment.project_id,
            RaterPause.applicant_id == assignment.applicant_id,
            RaterPause.status.in_(("paused", "confirmed")),
        )
    )
    if paused is not None:
        return "Your work on this project is paused while an admin reviews your quality."
    guideline = current_guideline(assignment.project_id)
    if guideline is not None and not has_acknowledged(assignment.applicant_id, guideline.id):
        return (
            f"The guidelines changed (version {guideline.version}): read them"
            + (" and answer the short check" if guideline.check_items else "")
            + " on the guidelines page before more tasks."
        )
    return None


def _working_version(project_id: int, batch_version: int | None) -> int | None:
    """The guideline version a judgement is made under: the project's current one (the rater
    has acknowledged it, or the queue would refuse), else the batch's."""
    guideline = current_guideline(project_id)
    return guideline.version if guideline is not None else batch_version


def assignment_for(applicant_id: int, project_id: int) -> Assignment | None:
    """The rater's newest assignment on the project (any status)."""
    return db.session.scalar(
        select(Assignment)
        .where(Assignment.applicant_id == applicant_id, Assignment.project_id == project_id)
        .order_by(Assignment.id.desc())
        .limit(1)
    )


def require_working(applicant_id: int, project_id: int) -> Assignment:
    """The active assignment, or WorkRefused with the reason."""
    assignment = assignment_for(applicant_id, project_id)
    reason = refusal(assignment, clock.now().date())
    if reason is not None:
        raise WorkRefused(reason)
    assert assignment is not None
    return assignment


def open_claim(applicant_id: int, project_id: int) -> TaskClaim | None:
    """The rater's unexpired open claim on the project (shown again rather than a new task)."""
    return db.session.scalar(
        select(TaskClaim)
        .join(WorkTask, WorkTask.id == TaskClaim.task_id)
        .where(
            TaskClaim.applicant_id == applicant_id,
            TaskClaim.status == "open",
            TaskClaim.expires_at > clock.now(),
            WorkTask.project_id == project_id,
        )
        .order_by(TaskClaim.id)
        .limit(1)
    )


def _release(claim_id: int, task_id: int, status: str, now: datetime, **values: Any) -> bool:
    """Move an open claim to ``status`` and free its slot, at most once. Flushes."""
    moved = db.session.execute(
        update(TaskClaim)
        .where(TaskClaim.id == claim_id, TaskClaim.status == "open")
        .values(status=status, closed_at=now, **values)
        .execution_options(synchronize_session=False)
    ).rowcount
    if moved:
        db.session.execute(
            update(WorkTask)
            .where(WorkTask.id == task_id)
            .values(slots_taken=WorkTask.slots_taken - 1)
            .execution_options(synchronize_session=False)
        )
    return bool(moved)


def _expire_stale(project_id: int, now: datetime) -> int:
    stale = db.session.execute(
        select(TaskClaim.id, TaskClaim.task_id)
        .join(WorkTask, WorkTask.id == TaskClaim.task_id)
        .where(
            WorkTask.project_id == project_id,
            TaskClaim.status == "open",
            TaskClaim.expires_at <= now,
        )
    ).all()
    return sum(_release(cid, tid, "expired", now) for cid, tid in stale)


def _overlap_of_task() -> Any:
    return select(TaskBatch.overlap).where(TaskBatch.id == WorkTask.batch_id).scalar_subquery()


def _candidate(
    applicant_id: int,
    project_id: int,
    tried: set[int],
    *,
    skip_locked: bool,
    gold_first: bool | None = None,
) -> int | None:
    already = exists().where(
        TaskClaim.task_id == WorkTask.id, TaskClaim.applicant_id == applicant_id
    )
    query = (
        select(WorkTask.id)
        .join(TaskBatch, TaskBatch.id == WorkTask.batch_id)
        .where(
            WorkTask.project_id == project_id,
            TaskBatch.status == "open",
            or_(WorkTask.is_gold, WorkTask.slots_taken < TaskBatch.overlap),
            ~already,
        )
        .order_by(WorkTask.slots_taken.desc(), WorkTask.id)
        .limit(1)
    )
    if gold_first is not None:
        gold_order = WorkTask.is_gold.desc() if gold_first else WorkTask.is_gold.asc()
        query = query.order_by(None).order_by(gold_order, WorkTask.slots_taken.desc(), WorkTask.id)
    if tried:
        query = query.where(WorkTask.id.not_in(tried))
    if skip_locked and db.engine.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True, of=WorkTask)
    return db.session.scalar(query)


def _wants_gold(applicant_id: int, project_id: int) -> bool | None:
    """On probation: True for a gold turn, False for a client turn (two in three are gold,
    whatever order the batch mixed them in); afterwards None, the batch's own order."""
    counts = db.session.execute(
        select(func.count(Judgement.id), func.count(Judgement.id).filter(WorkTask.is_gold))
        .join(WorkTask, WorkTask.id == Judgement.task_id)
        .where(Judgement.applicant_id == applicant_id, WorkTask.project_id == project_id)
    ).one()
    total, gold = counts
    probation = pause_rule().probation_gold
    if (gold or 0) >= probation:
        return None
    return needs_gold(gold or 0, total or 0, probation)


def _next_candidate(
    applicant_id: int, project_id: int, tried: set[int], gold_first: bool | None
) -> int | None:
    """A task no other claimer holds right now; failing that, one they hold (the conditional
    UPDATE then waits for their commit and re-checks the overlap), so the last slots of a
    nearly finished batch are not reported as "nothing left" while someone is mid-claim."""
    found = _candidate(applicant_id, project_id, tried, skip_locked=True, gold_first=gold_first)
    if found is None:
        found = _candidate(
            applicant_id, project_id, tried, skip_locked=False, gold_first=gold_first
        )
    return found


@use_case
def claim_next(
    applicant_id: int, project_id: int, *, rng: random.Random | None = None
) -> TaskClaim | None:
    """The rater's open claim, or a new claim on the next task; None when nothing is left.

    Raises WorkRefused outside an active assignment. Commits.
    """
    assignment = require_working(applicant_id, project_id)
    current = open_claim(applicant_id, project_id)
    if current is not None:
        return current
    now = clock.now()
    _expire_stale(project_id, now)
    rng = rng or random.Random()
    tried: set[int] = set()
    gold_first = _wants_gold(applicant_id, project_id)
    while (task_id := _next_candidate(applicant_id, project_id, tried, gold_first)) is not None:
        tried.add(task_id)
        won = db.session.execute(
            update(WorkTask)
            .where(
                WorkTask.id == task_id,
                or_(WorkTask.is_gold, WorkTask.slots_taken < _overlap_of_task()),
            )
            .values(slots_taken=WorkTask.slots_taken + 1)
            .execution_options(synchronize_session=False)
        ).rowcount
        if not won:
            continue
        task = db.session.get(WorkTask, task_id)
        assert task is not None
        db.session.refresh(task)
        permutation = list(range(len(task.responses)))
        rng.shuffle(permutation)
        claim = TaskClaim(
            task_id=task_id,
            applicant_id=applicant_id,
            assignment_id=assignment.id,
            permutation=permutation,
            claimed_at=now,
            expires_at=now + timedelta(minutes=CLAIM_MINUTES),
        )
        try:
            with db.session.begin_nested():
                db.session.add(claim)
                db.session.flush()
        except IntegrityError:
            # Another tab of this rater claimed the same task first: give the slot back.
            db.session.execute(
                update(WorkTask)
                .where(WorkTask.id == task_id)
                .values(slots_taken=WorkTask.slots_taken - 1)
                .execution_options(synchronize_session=False)
            )
            continue
        return claim
    return None


def view_of(claim: TaskClaim) -> dict[str, Any]:
    """What the widget shows: prompt and responses in the claim's order, never gold."""
    task = claim.task
    batch = task.batch
    item = engine_item(task, batch.rationale_required)
    return item.item_kind.view(item, claim.permutation)


def _own_open_claim(claim_id: int, applicant_id: int) -> TaskClaim:
    claim = db.session.get(TaskClaim, claim_id)
    if claim is None or claim.applicant_id != applicant_id:
        raise WorkRefused("This task is not yours.")
    if claim.status != "open":
        raise WorkRefused(f"This task is already {claim.status}.")
    return claim


@use_case
def submit(claim_id: int, applicant_id: int, answer: Mapping[str, Any]) -> Judgement:
    """Record the rater's answer (given in the order shown). Commits.

    Raises WorkRefused (not theirs, closed, assignment not active) or AnswerError (nothing saved).
    """
    claim = _own_open_claim(claim_id, applicant_id)
    task = claim.task
    batch = task.batch
    require_working(applicant_id, task.project_id)
    item = engine_item(task, batch.rationale_required)
    try:
        canonical = item.item_kind.to_canonical(item, answer, claim.permutation)
    except ItemValidationError as exc:
        raise AnswerError(str(exc)) from None
    rationale = (canonical.get("rationale") or "").strip()
    flag = canonical.get("flag")
    if batch.rationale_required and not flag and not rationale:
        raise AnswerError("A rationale is required for this batch: a few words on why.")
    now = clock.now()
    moved = db.session.execute(
        update(TaskClaim)
        .where(TaskClaim.id == claim.id, TaskClaim.status == "open")
        .values(status="done", closed_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not moved:
        raise WorkRefused("This task was closed meanwhile.")
    key = item.item_kind.answer_key
    judgement = Judgement(
        claim_id=claim.id,
        task_id=task.id,
        applicant_id=applicant_id,
        answer={key: canonical.get(key)},
        rationale=rationale,
        flag_reason=flag["reason"].strip() if flag else None,
        seconds=round((now - claim.claimed_at).total_seconds(), 1),
        guideline_version=_working_version(task.project_id, batch.guideline_version),
        created_at=now,
    )
    db.session.add(judgement)
    db.session.flush()
    if task.is_gold:
        check_pause(applicant_id, task.project_id)
    return judgement


@use_case
def skip(claim_id: int, applicant_id: int, reason: str) -> None:
    """Give the task back with a reason; the rater never gets it again. Commits."""
    reason = (reason or "").strip()
    if not reason:
        raise AnswerError("Say why you skip this task.")
    claim = _own_open_claim(claim_id, applicant_id)
    if not _release(claim.id, claim.task_id, "skipped", clock.now(), skip_reason=reason[:500]):
        raise WorkRefused("This task was closed meanwhile.")


def done_counts(applicant_id: int, project_id: int) -> dict[str, int]:
    """Judgements today and this ISO week (UTC)."""
    now = clock.now()
    day_start = now.replace(hour=0, minute=0, second=0, microsecond=0)
    week_start = day_start - timedelta(days=day_start.weekday())
    base = (
        select(func.count(Judgement.id))
        .join(WorkTask, WorkTask.id == Judgement.task_id)
        .where(Judgement.applicant_id == applicant_id, WorkTask.project_id == project_id)
    )
    return {
        "today": db.session.scalar(base.where(Judgement.created_at >= day_start)) or 0,
        "week": db.session.scalar(base.where(Judgement.created_at >= week_start)) or 0,
    }
