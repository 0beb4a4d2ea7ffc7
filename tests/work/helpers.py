"""Builders for the live-work tests: task files, bank gold, a project with an active rater."""

import json
from pathlib import Path
from typing import Any

from assessments.importers import load_items
from portal.assessment.bank import apply_engine_item
from portal.extensions import db
from portal.models import Assignment, Item, Project, TaskBatch, WorkTask
from portal.work.batches import BatchSettings, import_tasks
from tests import factories


def pairwise_record(n: int, gold: int = -2) -> dict[str, Any]:
    return {
        "kind": "pairwise",
        "prompt": f"Write a haiku about autumn, variant {n}.",
        "responses": [f"Leaves fall softly {n}", f"Autumn is a season {n}"],
        "gold": gold,
        "domain": "writing",
    }


def ranking_record(n: int) -> dict[str, Any]:
    return {
        "kind": "ranking",
        "prompt": f"Summarise the paragraph, variant {n}.",
        "responses": [f"Best summary {n}", f"Middle summary {n}", f"Worst summary {n}"],
        "gold": [1, 2, 3],
        "domain": "writing",
    }


def write_jsonl(path: Path, records: list[Any]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def bank_gold(n: int, domain: str = "writing") -> list[Item]:
    """``n`` audited pairwise bank items of ``domain``."""
    lines = [
        json.dumps(
            {
                "kind": "pairwise",
                "prompt": f"Gold question {domain} {i}: which is correct?",
                "responses": [f"Right answer {i}", f"Wrong answer {i}"],
                "gold": -3,
                "domain": domain,
                "tier": "objective",
            }
        )
        for i in range(n)
    ]
    rows = [apply_engine_item(Item(), item) for item in load_items(lines, "native")]
    db.session.add_all(rows)
    db.session.flush()
    return rows


def live_project(**fields: Any) -> Project:
    fields.setdefault("domains", ["writing"])
    return factories.make_project(**fields)


def rater(project: Project, status: str = "active") -> Assignment:
    _, assignment = factories.make_contractor(project=project, assignment_status=status)
    return assignment


def batch_of(
    project: Project, tmp_path: Path, n: int, overlap: int = 3, gold_share: float = 0.0, **kw: Any
) -> TaskBatch:
    path = write_jsonl(
        tmp_path / f"tasks{project.id}-{n}.jsonl", [pairwise_record(i) for i in range(n)]
    )
    settings = BatchSettings(overlap=overlap, gold_share=gold_share, **kw)
    result = import_tasks(project, path, "native", settings)
    batch = db.session.get(TaskBatch, result.batch_id)
    assert batch is not None
    return batch


def tasks_of(batch: TaskBatch) -> list[WorkTask]:
    return list(batch.tasks)
