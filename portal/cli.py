"""Flask CLI commands: `flask --app wsgi <command>`."""

import click
from flask import Flask
from flask.cli import AppGroup  # noqa: F401 - features may group their commands

from portal.extensions import db


@click.command("create-user")
@click.argument("email")
@click.option(
    "--role",
    type=click.Choice(["admin", "recruiter", "applicant"]),
    default="recruiter",
    show_default=True,
)
@click.option("--name", default="", help="Display name.")
@click.password_option("--password", help="Prompted for when not given.")
def create_user_command(email: str, role: str, name: str, password: str) -> None:
    """Create a staff account (or an applicant) with a password typed at the prompt."""
    from portal import audit
    from portal.auth.services import AccountError, create_user
    from portal.models import Role
    from portal.models.base import utcnow

    try:
        user = create_user(email, password, role=Role(role), name=name)
    except AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    user.email_verified_at = utcnow()
    audit.record("account.created", actor=None, subject_type="user", subject_id=user.id, via="cli")
    db.session.commit()
    click.echo(f"Created {role} {user.email}.")


@click.command("seed-demo")
def seed_demo_command() -> None:
    """Fill the database with a demo (staff, applicants at every stage …); safe to re-run."""
    from portal.seed import seed_demo

    for line in seed_demo():
        click.echo(line)


def register(app: Flask) -> None:
    from portal.assessment.cli import import_items_command
    from portal.resumes.cli import parse_resume_command

    for command in (
        create_user_command,
        seed_demo_command,
        import_items_command,
        parse_resume_command,
    ):
        app.cli.add_command(command)
