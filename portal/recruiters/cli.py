"""`flask --app wsgi recruiters ...` commands."""

import click

from portal.recruiters import bp


@bp.cli.command("reindex")
def reindex_command() -> None:
    """Rebuild the candidate search index for every applicant."""
    from portal.recruiters.search import reindex_all

    click.echo(f"{reindex_all()} applicants indexed.")
