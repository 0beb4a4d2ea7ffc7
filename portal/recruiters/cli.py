"""`flask --app wsgi recruiters ...` commands."""

import click
from flask.cli import AppGroup

recruiters_cli = AppGroup("recruiters", help="The recruiter workspace's maintenance commands.")


@recruiters_cli.command("reindex")
def reindex_command() -> None:
    """Rebuild the candidate search index for every applicant (after a bulk import)."""
    from sqlalchemy import func, select

    from portal.extensions import db
    from portal.models import Applicant
    from portal.recruiters.index import reindex_all

    total = db.session.scalar(select(func.count()).select_from(Applicant)) or 0
    with click.progressbar(length=total, label="Indexing applicants") as bar:
        done = reindex_all(progress=bar.update)
    click.echo(f"{done:,} applicants indexed.")


commands = [recruiters_cli]
