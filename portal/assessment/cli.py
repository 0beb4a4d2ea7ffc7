"""`flask --app wsgi import-items`, `items lint`, `assessment simulate` and `assessment bars`."""

import click
from flask.cli import AppGroup

from assessments.importers import FORMATS, ItemImportError


@click.command("import-items")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="native", show_default=True)
@click.option(
    "--skip-invalid",
    is_flag=True,
    help="Import the valid records and list the invalid ones (default: abort on the first).",
)
@click.option(
    "--live",
    is_flag=True,
    help="Import as live (an already audited bank); by default items are drafts for the panel.",
)
def import_items_command(file: str, fmt: str, skip_invalid: bool, live: bool) -> None:
    """Import assessment items from FILE; re-importing adds nothing (items are content-hashed).
    New items are drafts, drawn only once a panel has audited them (unless --live).

    A malformed record aborts the whole import with its line number and adds nothing, unless
    --skip-invalid is given.
    """
    from portal.assessment.bank import import_items

    try:
        result = import_items(
            file, fmt, skip_invalid=skip_invalid, status="live" if live else "draft"
        )
    except ItemImportError as exc:
        raise click.ClickException(f"{file}: {exc} (nothing imported)") from exc
    # Skipped = already in the bank (or repeated in the file) + invalid records (--skip-invalid).
    click.echo(f"{result.added} added, {result.skipped + len(result.invalid)} skipped")
    if result.invalid:
        where = ", ".join(m.split(":", 1)[0] for m in result.invalid)
        click.echo(f"{len(result.invalid)} invalid record(s) skipped: {where}")
        for message in result.invalid[:20]:
            click.echo(f"  {message}")


items_group = AppGroup("items", help="Check the assessment item bank.")
assessment_group = AppGroup("assessment", help="Measure the assessment as an instrument.")


@items_group.command("lint")
@click.argument("file", required=False, type=click.Path(exists=True, dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="native", show_default=True)
def items_lint_command(file: str | None, fmt: str) -> None:
    """Check FILE (default: the shipped bank) against the guideline's flag checklist and the
    bank's rules; one finding a line (`item-or-line: rule: detail`), exit 1 when any."""
    from assessments import BANK_ITEMS
    from assessments.importers import load_located
    from assessments.lint import lint

    path = file or str(BANK_ITEMS)
    try:
        located = load_located(path, fmt)
    except ItemImportError as exc:
        raise click.ClickException(f"{path}: {exc}") from exc
    findings = lint(located)
    for finding in findings:
        click.echo(str(finding))
    if findings:
        raise SystemExit(1)


@assessment_group.command("simulate")
@click.option("--takers", type=click.IntRange(1, 100_000), default=2000, show_default=True)
@click.option("--track", default="general", show_default=True, help="A track; languages:fr …")
@click.option("--seed", type=int, default=1, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def simulate_command(takers: int, track: str, seed: int, as_json: bool) -> None:
    """Run simulated takers (random, attention_only, careful, fluent_careless, position_bias)
    through real draws and scoring on the shipped bank; print pass rates, exposure and bars."""
    import json

    from assessments.draw import track_blueprint
    from assessments.importers import load_bank
    from assessments.simulate import simulate

    name, _, language = track.partition(":")
    try:
        blueprint = track_blueprint(name, language or None)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--track") from exc
    figures = simulate(load_bank(), takers, blueprint, seed=seed)
    if as_json:
        click.echo(json.dumps(figures, indent=2))
        return
    for profile, rate in figures["pass_rate"].items():
        click.echo(f"pass rate {profile}: {rate:.2%}")
    click.echo(f"max item share: {figures['max_item_share']:.2%}")
    click.echo(f"retake overlap: {figures['retake_overlap']:.2%}")
    for tier, bar in figures["bars"]["effective"].items():
        click.echo(f"effective {tier} bar: {bar:.1%}" if bar is not None else f"{tier}: -")


@assessment_group.command("bars")
@click.argument(
    "data_dir",
    required=False,
    default="/work/shared/data/preference",
    type=click.Path(exists=True, file_okay=False),
)
def bars_command(data_dir: str) -> None:
    """Recompute the pass bars per data source from its measured human agreement
    (writes assessments/bank/bars.json)."""
    from pathlib import Path

    from assessments.bars import main

    main(["bars", str(Path(data_dir))])


commands = [import_items_command, items_group, assessment_group]
