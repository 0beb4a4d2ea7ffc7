"""Flask CLI commands: `flask --app wsgi <command>`."""

import click
from flask import Flask


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
    from portal.auth.services import AccountError, create_account
    from portal.models import Role

    try:
        user = create_account(email, password, role=Role(role), name=name, actor=None, via="cli")
    except AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Created {role} {user.email}.")


@click.command("seed-demo")
def seed_demo_command() -> None:
    """Fill the database with a demo (staff, applicants at every stage …); safe to re-run."""
    from portal.demo import seed_demo

    for line in seed_demo():
        click.echo(line)


def register(app: Flask) -> None:
    """Add these commands, then each feature's (a feature's ``cli`` module lists ``commands``)."""
    from portal.api import cli as api
    from portal.assessment import cli as assessment
    from portal.payments import cli as payments
    from portal.recruiters import cli as recruiters
    from portal.resumes import cli as resumes
    from portal.work import cli as work

    for command in (create_user_command, seed_demo_command):
        app.cli.add_command(command)
    for feature in (assessment, resumes, recruiters, payments, api, work):
        for command in feature.commands:
            app.cli.add_command(command)
