"""`import-tasks`, `export-preferences` and `quality simulate`."""

from __future__ import annotations

import click

from assessments.importers import FORMATS, ItemImportError


def _project(ref: str):  # type: ignore[no-untyped-def]
    from portal.work.batches import find_project

    project = find_project(ref)
    if project is None:
        raise click.ClickException(f"no project {ref!r} (give its id or exact title)")
    return project


@click.command("import-tasks")
@click.argument("project")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="native", show_default=True)
@click.option("--batch", "batch_id", type=int, help="Add to this batch instead of a new one.")
@click.option("--name", default="", help="Name of the new batch.")
@click.option("--overlap", type=int, default=3, show_default=True, help="Raters per task.")
@click.option("--gold-share", type=float, default=0.08, show_default=True)
@click.option("--rationale/--no-rationale", default=True, show_default=True)
@click.option("--guideline-version", type=int, default=None)
def import_tasks_command(
    project: str,
    file: str,
    fmt: str,
    batch_id: int | None,
    name: str,
    overlap: int,
    gold_share: float,
    rationale: bool,
    guideline_version: int | None,
) -> None:
    """Import tasks for PROJECT (id or title) from FILE; re-importing adds nothing.

    A malformed record aborts the import with its line number and adds nothing.
    """
    from portal.extensions import db
    from portal.models import TaskBatch
    from portal.work.batches import BatchError, BatchSettings, import_tasks

    target = _project(project)
    batch = None
    if batch_id is not None:
        batch = db.session.get(TaskBatch, batch_id)
        if batch is None or batch.project_id != target.id:
            raise click.ClickException(f"no batch {batch_id} on project {target.id}")
    settings = BatchSettings(name, overlap, gold_share, rationale, guideline_version)
    try:
        result = import_tasks(target, file, fmt, settings, batch=batch)
    except ItemImportError as exc:
        raise click.ClickException(f"{file}: {exc} (nothing imported)") from exc
    except BatchError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"{result.added} added, {result.skipped} skipped")
    if result.added:
        click.echo(f"batch {result.batch_id}: {result.gold} gold task(s) mixed in")


@click.command("export-preferences")
@click.argument("project")
@click.option("--batch", "batch_id", type=int, help="Only this batch.")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "hh-rlhf"]), default="jsonl")
@click.option(
    "--aggregate",
    "method",
    type=click.Choice(["dawid_skene", "majority"]),
    default="dawid_skene",
    show_default=True,
    help="How the raters' labels of a comparison become one (Dawid-Skene via crowd-kit).",
)
@click.option("--output", "-o", type=click.File("w", encoding="utf-8"), default="-")
def export_preferences_command(
    project: str, batch_id: int | None, fmt: str, method: str, output: click.utils.LazyFile
) -> None:
    """Print PROJECT's preference pairs as JSONL (one record per comparison).

    Ranking tasks become one record per pair of responses; ties and tasks most raters flagged
    are left out and counted (on stderr). --format hh-rlhf writes {"chosen", "rejected"}
    transcripts that `import-items --format hh-rlhf` reads back.
    """
    from flask import current_app

    from portal.work import export

    target = _project(project)
    result = export.build(
        target.id, current_app.config["SECRET_KEY"], batch_id=batch_id, method=method
    )
    for line in export.lines(result, fmt):
        output.write(line)
    click.echo(result.summary(), err=True)


@click.group("quality")
def quality_group() -> None:
    """Rater quality tools."""


@quality_group.command("simulate")
@click.option("--raters", type=int, default=30, show_default=True)
@click.option("--tasks", type=int, default=2000, show_default=True)
@click.option("--seed", type=int, default=7, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the full result as JSON.")
def simulate_command(raters: int, tasks: int, seed: int, as_json: bool) -> None:
    """Simulated raters of known accuracy (0.55-0.95) and a spammer through the quality code."""
    import json

    from portal.work.rules import pause_rule
    from portal.work.simulate import simulate

    result = simulate(raters, tasks, rule=pause_rule(), seed=seed)
    if as_json:
        click.echo(json.dumps(result, indent=2))
        return
    for key in (
        "within_interval",
        "majority_accuracy",
        "dawid_skene_accuracy",
        "alpha",
        "spammer_paused_after_tasks",
        "max_raters_per_task",
    ):
        click.echo(f"{key}: {result[key]}")


commands = [import_tasks_command, export_preferences_command, quality_group]
