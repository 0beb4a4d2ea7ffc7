"""`flask --app wsgi create-token EMAIL --scope S [--scope S …]`."""

import click
from sqlalchemy import select

from portal.extensions import db


@click.command("create-token")
@click.argument("email")
@click.option("--scope", "scopes", multiple=True, required=True, help="Repeat for each scope.")
@click.option("--name", default="", help="What the token is for (default: the CLI and date).")
@click.option("--days", default=90, show_default=True, type=click.IntRange(1, 365))
def create_token_command(email: str, scopes: tuple[str, ...], name: str, days: int) -> None:
    """Make a personal API token for a staff account and print it once (it is stored hashed)."""
    from portal import clock
    from portal.api import tokens
    from portal.models import User

    user = db.session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None:
        raise click.ClickException(f"No account has the address {email}.")
    try:
        new = tokens.create_token(
            user,
            name=name or f"CLI {clock.now():%Y-%m-%d}",
            scopes=list(scopes),
            days=days,
        )
    except tokens.TokenError as exc:
        raise click.ClickException(f"{exc} Scopes: {', '.join(tokens.SCOPES)}.") from exc
    click.echo(new.secret)
    click.echo(
        f"Token {new.token.prefix}… for {user.email}, scopes {' '.join(new.token.scopes)}, "
        f"expires {new.token.expires_at:%Y-%m-%d}. It is shown only now.",
        err=True,
    )


commands = [create_token_command]
