"""`flask --app wsgi import-items`: load assessment items into the bank."""

import click

from assessments.importers import FORMATS, ItemImportError


@click.command("import-items")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="native", show_default=True)
@click.option(
    "--skip-invalid",
    is_flag=True,
    help="Import the valid records and list the invalid ones (default: abort on the first).",
)
def import_items_command(file: str, fmt: str, skip_invalid: bool) -> None:
    """Import assessment items from FILE; re-importing adds nothing (items are content-hashed).

    A malformed record aborts the whole import with its line number and adds nothing, unless
    --skip-invalid is given.
    """
    from portal.assessment.bank import import_items

    try:
        result = import_items(file, fmt, skip_invalid=skip_invalid)
    except ItemImportError as exc:
        raise click.ClickException(f"{file}: {exc} (nothing imported)") from exc
    # Skipped = already in the bank (or repeated in the file) + invalid records (--skip-invalid).
    click.echo(f"{result.added} added, {result.skipped + len(result.invalid)} skipped")
    if result.invalid:
        where = ", ".join(m.split(":", 1)[0] for m in result.invalid)
        click.echo(f"{len(result.invalid)} invalid record(s) skipped: {where}")
        for message in result.invalid[:20]:
            click.echo(f"  {message}")


commands = [import_items_command]
