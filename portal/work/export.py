"""Preference export: one record per comparison, aggregated over the raters of a task.

A pairwise task is one comparison; a ranking task of k responses is k(k-1)/2 comparisons. Each
rater's judgement gives every comparison a label (-1: first response better, +1: second, 0: tie).
Labels are aggregated per comparison (Dawid–Skene through crowd-kit, or the majority vote).
Aggregated ties, and tasks that most of their raters flagged as broken, are left out and counted.
Gold tasks (copies of bank items) are never exported. Rater ids are pseudonymous: an HMAC of the
project and the rater under the app's secret key, stable within a project, unlinkable across.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from portal.extensions import db
from portal.models import Judgement, TaskBatch, WorkTask
from portal.work import quality

FORMATS = ("jsonl", "hh-rlhf")


def pseudonym(secret: str, project_id: int, applicant_id: int) -> str:
    """A stable, unlinkable rater id for one project."""
    digest = hmac.new(secret.encode(), f"{project_id}:{applicant_id}".encode(), hashlib.sha256)
    return "r_" + digest.hexdigest()[:12]


def comparisons(task: WorkTask, answer: dict[str, Any]) -> list[tuple[int, int, int, float]]:
    """(i, j, label, strength) for each pair of responses; strength is on the kind's scale."""
    if task.kind == "pairwise":
        choice = answer.get("choice")
        return [] if choice is None else [(0, 1, quality.sign(choice), float(abs(choice)))]
    ranking = answer.get("ranking")
    if ranking is None:
        return []
    out = []
    for i in range(len(ranking)):
        for j in range(i + 1, len(ranking)):
            diff = ranking[i] - ranking[j]  # negative: i ranked better
            out.append((i, j, quality.sign(diff), float(abs(diff))))
    return out


@dataclass
class ExportResult:
    records: list[dict[str, Any]] = field(default_factory=list)
    ties: int = 0
    flagged_tasks: int = 0
    tasks: int = 0
    aggregate: str = "majority"

    def summary(self) -> str:
        return (
            f"{len(self.records)} record(s) from {self.tasks} task(s); left out: "
            f"{self.ties} tie(s), {self.flagged_tasks} flagged task(s); aggregate: {self.aggregate}"
        )


def build(
    project_id: int, secret: str, *, batch_id: int | None = None, method: str = "dawid_skene"
) -> ExportResult:
    """Every comparison of the project's (or batch's) judged, non-gold tasks."""
    query = (
        select(Judgement, WorkTask, TaskBatch)
        .join(WorkTask, WorkTask.id == Judgement.task_id)
        .join(TaskBatch, TaskBatch.id == WorkTask.batch_id)
        .where(WorkTask.project_id == project_id, WorkTask.is_gold.is_(False))
        .order_by(WorkTask.id, Judgement.id)
    )
    if batch_id is not None:
        query = query.where(WorkTask.batch_id == batch_id)
    by_task: dict[int, list[Judgement]] = defaultdict(list)
    tasks: dict[int, tuple[WorkTask, TaskBatch]] = {}
    for judgement, task, batch in db.session.execute(query):
        by_task[task.id].append(judgement)
        tasks[task.id] = (task, batch)
    result = ExportResult(tasks=len(tasks))
    triples: list[quality.Triple] = []
    strengths: dict[tuple[int, int, int], dict[int, tuple[int, float]]] = defaultdict(dict)
    for task_id, judgements in by_task.items():
        task = tasks[task_id][0]
        flags = sum(1 for j in judgements if j.flag_reason)
        if flags * 2 > len(judgements):
            result.flagged_tasks += 1
            continue
        for j in judgements:
            if j.flag_reason:
                continue
            for a, b, label, strength in comparisons(task, j.answer):
                unit = (task_id, a, b)
                triples.append((unit, j.applicant_id, label))
                strengths[unit][j.applicant_id] = (label, strength)
    labels, result.aggregate = quality.aggregate(triples, method)
    for unit in sorted(strengths):
        task_id, a, b = unit
        task, batch = tasks[task_id]
        verdict = labels.get(unit)
        if verdict in (None, 0):
            result.ties += 1
            continue
        chosen, rejected = (a, b) if verdict == -1 else (b, a)
        votes = strengths[unit]
        agree = sum(1 for lab, _ in votes.values() if lab == verdict)
        margin = sum(s * (1 if lab == verdict else -1 if lab else 0) for lab, s in votes.values())
        versions = {j.guideline_version for j in by_task[task_id]}
        result.records.append(
            {
                "prompt": task.prompt,
                "chosen": task.responses[chosen],
                "rejected": task.responses[rejected],
                "margin": round(margin / len(votes), 3),
                "agreement": round(agree / len(votes), 3),
                "n_raters": len(votes),
                "aggregate": result.aggregate,
                "guideline_version": batch.guideline_version
                if len(versions) != 1
                else versions.pop(),
                "task_id": task_id,
                "rater_ids": sorted(pseudonym(secret, project_id, r) for r in votes),
            }
        )
    return result


def _hh_prefix(prompt: str) -> str:
    text = prompt.strip()
    if not text.startswith("Human:"):
        text = "Human: " + text
    return "\n\n" + text


def lines(result: ExportResult, fmt: str) -> Iterator[str]:
    """The export as JSONL lines (with newline)."""
    for record in result.records:
        if fmt == "hh-rlhf":
            prefix = _hh_prefix(record["prompt"])
            out = {
                "chosen": f"{prefix}\n\nAssistant: {record['chosen']}",
                "rejected": f"{prefix}\n\nAssistant: {record['rejected']}",
            }
        else:
            out = record
        yield json.dumps(out, ensure_ascii=False) + "\n"
