"""import-tasks: the item importers' parsers, idempotent, line-numbered errors, gold mixed in."""

import json
import random

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import TaskBatch, WorkTask
from portal.work.batches import BatchSettings, gold_count, import_tasks, progress
from tests.work.helpers import (
    bank_gold,
    live_project,
    pairwise_record,
    ranking_record,
    write_jsonl,
)


def _count(**where: object) -> int:
    query = select(func.count(WorkTask.id))
    for name, value in where.items():
        query = query.where(getattr(WorkTask, name) == value)
    return db.session.scalar(query) or 0


def test_cli_imports_both_kinds_and_is_idempotent(app, runner, tmp_path):
    project = live_project()
    db.session.commit()
    path = write_jsonl(
        tmp_path / "t.jsonl", [pairwise_record(1), pairwise_record(2), ranking_record(3)]
    )
    first = runner.invoke(args=["import-tasks", str(project.id), str(path), "--overlap", "2"])
    assert first.exit_code == 0, first.output
    assert first.output.splitlines()[0] == "3 added, 0 skipped"
    again = runner.invoke(args=["import-tasks", project.title, str(path)])
    assert again.exit_code == 0, again.output
    assert again.output.splitlines()[0] == "0 added, 3 skipped"
    assert _count(project_id=project.id) == 3
    batch = db.session.scalar(select(TaskBatch).where(TaskBatch.project_id == project.id))
    assert batch.overlap == 2 and batch.rationale_required is True
    assert {t.kind for t in batch.tasks} == {"pairwise", "ranking"}


def test_bad_line_aborts_with_its_number_and_adds_nothing(app, runner, tmp_path):
    project = live_project()
    db.session.commit()
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(pairwise_record(1)) + "\n" + json.dumps({"kind": "pairwise"}) + "\n")
    result = runner.invoke(args=["import-tasks", str(project.id), str(path)])
    assert result.exit_code != 0
    assert "line 2" in result.output and "nothing imported" in result.output
    assert _count(project_id=project.id) == 0
    assert db.session.scalar(select(func.count(TaskBatch.id))) == 0


def test_llmbar_format_goes_through_the_same_parser(app, runner, tmp_path):
    project = live_project()
    db.session.commit()
    path = write_jsonl(
        tmp_path / "llmbar.json",
        [{"input": "Say hi", "output_1": "Hi", "output_2": "Bye", "label": 1}],
    )
    result = runner.invoke(args=["import-tasks", str(project.id), str(path), "--format", "llmbar"])
    assert result.exit_code == 0, result.output
    task = db.session.scalar(select(WorkTask))
    assert task.prompt == "Say hi" and task.reference == -2 and task.gold is None


def test_gold_is_drawn_from_audited_bank_items_of_the_projects_domain(app, tmp_path):
    project = live_project(domains=["writing"])
    golds = bank_gold(6, "writing")
    golds[0].needs_review = True
    golds[1].retired_at = golds[1].created_at
    bank_gold(5, "coding")
    path = write_jsonl(tmp_path / "t.jsonl", [pairwise_record(i) for i in range(30)])
    result = import_tasks(
        project, path, "native", BatchSettings(gold_share=0.1), rng=random.Random(1)
    )
    assert (result.added, result.gold) == (30, gold_count(30, 0.1)) == (30, 4)
    gold_tasks = list(db.session.scalars(select(WorkTask).where(WorkTask.is_gold.is_(True))))
    assert {t.bank_item_id for t in gold_tasks} <= {g.id for g in golds[2:]}
    assert all(t.gold == -3 for t in gold_tasks)


def test_progress_counts_needed_judgements(app, tmp_path):
    project = live_project()
    path = write_jsonl(tmp_path / "t.jsonl", [pairwise_record(i) for i in range(4)])
    result = import_tasks(project, path, "native", BatchSettings(overlap=3, gold_share=0))
    batch = db.session.get(TaskBatch, result.batch_id)
    p = progress(batch)
    assert (p.tasks, p.needed, p.done, p.eta) == (4, 12, 0, None)
