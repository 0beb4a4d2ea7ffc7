"""export-preferences: record shape, ranking pairs, ties and flags left out, hh-rlhf round trip."""

import json

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Item, Judgement, TaskClaim
from portal.work import export, queue
from portal.work.batches import BatchSettings, import_tasks
from tests.work.helpers import live_project, pairwise_record, ranking_record, rater, write_jsonl

KEYS = {
    "prompt",
    "chosen",
    "rejected",
    "margin",
    "agreement",
    "n_raters",
    "aggregate",
    "guideline_version",
    "task_id",
    "rater_ids",
}


def _judge(assignment, task_id, canonical, rationale="because", flag=None):
    """A judgement with a canonical answer (the claim's order fixed to canonical)."""
    claim = queue.claim_next(assignment.applicant_id, assignment.project_id)
    assert claim.task_id == task_id, "claims go in task order in these tests"
    claim.permutation = list(range(len(claim.task.responses)))
    db.session.commit()
    answer = dict(canonical, rationale=rationale)
    if flag:
        answer["flag"] = {"reason": flag}
    return queue.submit(claim.id, assignment.applicant_id, answer)


def _setup(tmp_path, records, overlap=3):
    project = live_project()
    path = write_jsonl(tmp_path / "t.jsonl", records)
    settings = BatchSettings(overlap=overlap, gold_share=0, guideline_version=3)
    import_tasks(project, path, "native", settings)
    raters = [rater(project) for _ in range(overlap)]
    db.session.commit()
    from portal.models import WorkTask

    tasks = list(db.session.scalars(select(WorkTask).order_by(WorkTask.id)))
    return project, raters, tasks


def test_pairwise_record_shape_margin_agreement_and_pseudonyms(app, now, runner, tmp_path):
    project, raters, tasks = _setup(tmp_path, [pairwise_record(1)])
    for r, choice in zip(raters, (-3, -1, 2), strict=True):
        _judge(r, tasks[0].id, {"choice": choice})
    result = export.build(project.id, "k", method="majority")
    (record,) = result.records
    assert set(record) == KEYS
    assert record["chosen"] == tasks[0].responses[0]
    assert record["rejected"] == tasks[0].responses[1]
    assert record["agreement"] == round(2 / 3, 3) and record["n_raters"] == 3
    assert record["margin"] == round((3 + 1 - 2) / 3, 3)
    assert record["aggregate"] == "majority" and record["guideline_version"] == 3
    ids = record["rater_ids"]
    assert len(set(ids)) == 3 and all(i.startswith("r_") for i in ids)
    assert not any(str(r.applicant_id) == i for r in raters for i in ids)

    cli = runner.invoke(args=["export-preferences", str(project.id), "--aggregate", "majority"])
    assert cli.exit_code == 0, cli.output
    lines = [json.loads(line) for line in cli.output.splitlines() if line.startswith("{")]
    assert lines[0]["task_id"] == tasks[0].id


def test_ranking_expands_to_pairs_and_ties_are_left_out(app, now, tmp_path):
    project, raters, tasks = _setup(tmp_path, [ranking_record(1)])
    for r in raters:
        _judge(r, tasks[0].id, {"ranking": [1, 2, 2]})
    result = export.build(project.id, "k", method="majority")
    pairs = {(rec["chosen"], rec["rejected"]) for rec in result.records}
    best, mid, worst = tasks[0].responses
    assert pairs == {(best, mid), (best, worst)}
    assert result.ties == 1


def test_flagged_tasks_are_left_out_and_counted(app, now, tmp_path):
    project, raters, tasks = _setup(tmp_path, [pairwise_record(1), pairwise_record(2)])
    for r in raters[:2]:
        _judge(r, tasks[0].id, {}, flag="response B is empty")
    _judge(raters[2], tasks[0].id, {"choice": 1})
    for r in raters:
        _judge(r, tasks[1].id, {"choice": 2})
    result = export.build(project.id, "k", method="majority")
    assert [rec["task_id"] for rec in result.records] == [tasks[1].id]
    assert result.flagged_tasks == 1


def test_gold_tasks_are_not_exported(app, now, tmp_path):
    project, raters, tasks = _setup(tmp_path, [pairwise_record(1)], overlap=1)
    tasks[0].is_gold = True
    db.session.commit()
    _judge(raters[0], tasks[0].id, {"choice": 1})
    assert export.build(project.id, "k", method="majority").records == []


def test_hh_rlhf_export_reimports_with_import_items(app, now, runner, tmp_path):
    project, raters, tasks = _setup(tmp_path, [pairwise_record(1), ranking_record(2)], overlap=1)
    _judge(raters[0], tasks[0].id, {"choice": 3})
    _judge(raters[0], tasks[1].id, {"ranking": [3, 1, 2]})
    out = tmp_path / "prefs.jsonl"
    cli = runner.invoke(
        args=["export-preferences", str(project.id), "--format", "hh-rlhf", "-o", str(out)]
    )
    assert cli.exit_code == 0, cli.output
    assert "4 record(s) from 2 task(s)" in cli.output
    imported = runner.invoke(args=["import-items", str(out), "--format", "hh-rlhf"])
    assert imported.exit_code == 0, imported.output
    assert imported.output.splitlines()[0] == "4 added, 0 skipped"
    item = db.session.scalar(select(Item).where(Item.source == "hh-rlhf#1"))
    chosen = item.responses[0] if item.gold < 0 else item.responses[1]
    assert chosen == tasks[0].responses[1]  # the rater preferred B strongly
    assert "Write a haiku" in item.prompt


def test_jsonl_lines_are_one_json_object_each(app, now, tmp_path):
    project, raters, tasks = _setup(tmp_path, [pairwise_record(1)], overlap=1)
    _judge(raters[0], tasks[0].id, {"choice": -2})
    text = "".join(export.lines(export.build(project.id, "k", method="majority"), "jsonl"))
    rows = [json.loads(line) for line in text.splitlines()]
    assert len(rows) == 1 and set(rows[0]) == KEYS
    assert db.session.scalar(select(func.count(Judgement.id))) == 1
    assert db.session.scalar(select(func.count(TaskClaim.id))) == 1


def _load_with_datasets(path, cache, monkeypatch):
    """``datasets.load_dataset("json", ...)`` as a client would call it, kept off the network."""
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(cache))
    import datasets

    monkeypatch.setattr(datasets.config, "HF_DATASETS_OFFLINE", True)
    monkeypatch.setattr(datasets.config, "HF_HUB_OFFLINE", True)
    return datasets.load_dataset(
        "json", data_files=str(path), split="train", cache_dir=str(cache / "datasets")
    )


def test_default_export_is_dawid_skene_and_loads_with_datasets(
    app, now, runner, tmp_path, monkeypatch
):
    records = [pairwise_record(1), pairwise_record(2), ranking_record(3)]
    project, raters, tasks = _setup(tmp_path, records)
    answers = [{"choice": -2}, {"choice": 3}, {"ranking": [2, 1, 3]}]
    for r in raters:
        for task, answer in zip(tasks, answers, strict=True):
            _judge(r, task.id, answer)
    out = tmp_path / "prefs.jsonl"
    cli = runner.invoke(args=["export-preferences", str(project.id), "-o", str(out)])
    assert cli.exit_code == 0, cli.output
    assert "aggregate: dawid_skene" in cli.output
    written = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(written) == 1 + 1 + 3
    assert {row["aggregate"] for row in written} == {"dawid_skene"}
    assert written[1]["chosen"] == tasks[1].responses[1]

    loaded = _load_with_datasets(out, tmp_path / "hf", monkeypatch)
    assert loaded.num_rows == len(written)
    assert set(loaded.column_names) == KEYS
    assert loaded.features["rater_ids"].feature.dtype == "string"
    assert loaded.features["margin"].dtype == "float64"
    assert loaded.features["n_raters"].dtype == "int64"
    assert [dict(row) for row in loaded] == written
