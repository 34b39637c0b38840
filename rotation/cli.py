"""Flask commands: migrate, create the first account, load demo data."""

from __future__ import annotations

import click
from flask import Flask, current_app
from sqlmodel import Session

from . import migrate
from .db import engine
from .errors import DomainError
from .models import Role
from .services import accounts


def register(app: Flask) -> None:
    app.cli.add_command(db_upgrade)
    app.cli.add_command(db_downgrade)
    app.cli.add_command(create_user)


@click.command("db-upgrade")
@click.option("--revision", default="head", show_default=True)
def db_upgrade(revision: str) -> None:
    """Migrate the database to the newest schema."""
    migrate.upgrade(current_app.config["DATABASE_URL"], revision)
    click.echo("database is at " + revision)


@click.command("db-downgrade")
@click.option("--revision", default="-1", show_default=True)
def db_downgrade(revision: str) -> None:
    """Step the schema back (default: one revision)."""
    migrate.downgrade(current_app.config["DATABASE_URL"], revision)
    click.echo("database downgraded to " + revision)


@click.command("create-user")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option(
    "--role",
    "roles",
    multiple=True,
    required=True,
    type=click.Choice([role.value for role in Role]),
)
@click.password_option()
def create_user(email: str, name: str, roles: tuple[str, ...], password: str) -> None:
    """Create an account, e.g. the first program manager."""
    with Session(engine()) as session:
        try:
            accounts.create_user(
                session=session,
                actor=None,
                email=email,
                name=name,
                password=password,
                roles={Role(role) for role in roles},
            )
        except DomainError as err:
            session.rollback()
            raise click.ClickException(err.message) from None
        session.commit()
    click.echo(f"created {email}")
