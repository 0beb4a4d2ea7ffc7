"""Quality from the database: per rater and per batch, and the auto-pause rule.

The statistics themselves are the pure functions of ``portal.work.quality``; this module only
turns judgements into labels. A rater is paused on a project when their gold accuracy's Wilson
upper bound is below ``WORK_GOLD_BAR`` after at least ``WORK_MIN_GOLD`` gold tasks; the pause
carries the evidence, emails the rater and waits in the admin's queue to be confirmed or lifted.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from portal import audit, clock
from portal.extensions import db
from portal.mail import send_email
from portal.models import Applicant, Judgement, RaterPause, TaskBatch, TaskClaim, User, WorkTask
from portal.transactions import use_case
from portal.work import quality
from portal.work.export import comparisons
from portal.work.rules import engine_item, pause_rule

rule = pause_rule


def gold_correct(task: WorkTask, answer: dict[str, Any]) -> bool:
    """The engine's strict verdict for an answer to a gold task."""
    item = engine_item(task)
    return item.item_kind.score(item, answer).agree


def _rows(project_id: int, batch_id: int | None = None) -> list[tuple[Judgement, WorkTask, Any]]:
    query = (
        select(Judgement, WorkTask, TaskClaim.permutation)
        .join(WorkTask, WorkTask.id == Judgement.task_id)
        .join(TaskClaim, TaskClaim.id == Judgement.claim_id)
        .where(WorkTask.project_id == project_id)
        .order_by(Judgement.id)
    )
    if batch_id is not None:
        query = query.where(WorkTask.batch_id == batch_id)
    return [tuple(r) for r in db.session.execute(query)]  # type: ignore[misc]


@dataclass(frozen=True)
class Report:
    raters: dict[Hashable, dict[str, Any]]
    alpha: float | None
    judgements: int


def report(project_id: int, batch_id: int | None = None) -> Report:
    """Per rater: gold accuracy and interval, leave-one-out agreement, tie, flag and
    position-bias rates, median seconds; and Krippendorff's α over the comparisons."""
    rows = _rows(project_id, batch_id)
    gold: dict[Hashable, list[int]] = defaultdict(lambda: [0, 0])
    triples: list[quality.Triple] = []
    extra: dict[Hashable, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for judgement, task, permutation in rows:
        rater = judgement.applicant_id
        stats = extra[rater]
        stats["seconds"].append(judgement.seconds)
        stats["flag"].append(1.0 if judgement.flag_reason else 0.0)
        if task.is_gold:
            gold[rater][1] += 1
            gold[rater][0] += int(gold_correct(task, judgement.answer))
        if judgement.flag_reason:
            continue
        for a, b, label, _ in comparisons(task, judgement.answer):
            triples.append(((task.id, a, b), rater, label))
            stats["tie"].append(1.0 if label == 0 else 0.0)
        choice = judgement.answer.get("choice")
        if task.kind == "pairwise" and choice:
            # Did the rater prefer whichever response was shown first?
            first = permutation[0]
            stats["first"].append(1.0 if (choice < 0) == (first == 0) else 0.0)
    summary = quality.rater_summary(
        {r: (c, n) for r, (c, n) in gold.items()}, quality.loo_agreement(triples)
    )
    for rater, stats in extra.items():
        row = summary.setdefault(rater, quality.rater_summary({rater: (0, 0)}, {})[rater])
        row["n"] = len(stats["seconds"])
        row["median_seconds"] = round(statistics.median(stats["seconds"]), 1)
        row["flag_rate"] = round(statistics.fmean(stats["flag"]), 3)
        row["tie_rate"] = round(statistics.fmean(stats["tie"]), 3) if stats["tie"] else None
        row["first_shown_rate"] = (
            round(statistics.fmean(stats["first"]), 3) if stats["first"] else None
        )
    return Report(summary, quality.krippendorff_alpha(triples), len(rows))


def batch_report(batch: TaskBatch) -> Report:
    return report(batch.project_id, batch.id)


def names(ids: list[Hashable]) -> dict[Hashable, str]:
    rows = db.session.execute(
        select(Applicant.id, Applicant.full_name).where(Applicant.id.in_(ids))
    ).all()
    return {i: n for i, n in rows}


def check_pause(applicant_id: int, project_id: int) -> RaterPause | None:
    """Pause the rater when the rule says so (once); flushes, the caller's use case commits."""
    existing = db.session.scalar(
        select(RaterPause).where(
            RaterPause.applicant_id == applicant_id,
            RaterPause.project_id == project_id,
            RaterPause.status.in_(("paused", "confirmed")),
        )
    )
    if existing is not None:
        return existing
    rows = db.session.execute(
        select(Judgement, WorkTask)
        .join(WorkTask, WorkTask.id == Judgement.task_id)
        .where(
            Judgement.applicant_id == applicant_id,
            WorkTask.project_id == project_id,
            WorkTask.is_gold.is_(True),
        )
    ).all()
    # Gold answered since the last lift only: a lifted pause starts the evidence afresh.
    lifted = db.session.scalar(
        select(RaterPause.decided_at)
        .where(
            RaterPause.applicant_id == applicant_id,
            RaterPause.project_id == project_id,
            RaterPause.status == "lifted",
        )
        .order_by(RaterPause.decided_at.desc())
        .limit(1)
    )
    if lifted is not None:
        rows = [(j, t) for j, t in rows if j.created_at > lifted]
    n = len(rows)
    correct = sum(gold_correct(t, j.answer) for j, t in rows)
    pause_rule = rule()
    if not pause_rule.should_pause(correct, n):
        return None
    low, high = quality.wilson(correct, n)
    pause = RaterPause(
        project_id=project_id,
        applicant_id=applicant_id,
        evidence={
            "gold_correct": correct,
            "gold_n": n,
            "interval": [round(low, 4), round(high, 4)],
            "bar": pause_rule.bar,
            "min_gold": pause_rule.min_gold,
            "task_ids": sorted(t.id for _, t in rows),
        },
        created_at=clock.now(),
    )
    db.session.add(pause)
    db.session.flush()
    applicant = db.session.get(Applicant, applicant_id)
    assert applicant is not None
    send_email(
        applicant.user.email,
        "Your work on a project is paused for review",
        (
            f"Your answers agreed with {correct} of {n} check tasks; the project needs at least "
            f"{pause_rule.bar:.0%}. An admin will review this and get back to you; meanwhile no "
            "new tasks are given to you on this project."
        ),
        template="work_paused",
        applicant_id=applicant_id,
    )
    audit.record(
        "work.rater_paused",
        actor=None,
        subject_type="rater_pause",
        subject_id=pause.id,
        applicant_id=applicant_id,
        **pause.evidence,
    )
    return pause


@use_case
def decide_pause(pause: RaterPause, decision: str, *, actor: User) -> RaterPause:
    """An admin confirms the pause (the rater stays paused) or lifts it. Commits."""
    if decision not in ("confirmed", "lifted"):
        raise ValueError(f"unknown decision {decision!r}")
    if pause.status == "lifted":
        raise ValueError("this pause was already lifted")
    pause.status = decision
    pause.decided_at = clock.now()
    pause.decided_by_id = actor.id
    audit.record(
        f"work.pause_{decision}",
        actor=actor,
        subject_type="rater_pause",
        subject_id=pause.id,
        applicant_id=pause.applicant_id,
    )
    return pause


def open_pauses(project_id: int) -> list[RaterPause]:
    return list(
        db.session.scalars(
            select(RaterPause)
            .where(RaterPause.project_id == project_id)
            .order_by(RaterPause.status, RaterPause.created_at.desc())
        )
    )
