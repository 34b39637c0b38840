"""Flask commands: migrate, create the first account, load demo data."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlmodel import Session, select

from . import demo, migrate
from .db import engine
from .errors import DomainError
from .models import Role, Site
from .services import accounts, outbox, planning_runs, plans


def register(app: Flask) -> None:
    app.cli.add_command(db_upgrade)
    app.cli.add_command(db_downgrade)
    app.cli.add_command(create_user)
    app.cli.add_command(send_mail)
    app.cli.add_command(export_problem)
    app.cli.add_command(worker)
    app.cli.add_command(load_demo)


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


@click.command("send-mail")
@with_appcontext
def send_mail() -> None:
    """Deliver pending outbox messages over SMTP (SMTP_HOST, SMTP_PORT)."""
    config = current_app.config
    with Session(engine()) as session:
        sent = outbox.deliver_pending(
            session,
            host=config["SMTP_HOST"],
            port=int(config["SMTP_PORT"]),
            sender=config["MAIL_SENDER"],
        )
    click.echo(f"sent {sent} message(s)")


@click.command("export-problem")
@with_appcontext
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--from", "start", required=True, type=click.DateTime(["%Y-%m-%d"]))
@click.option("--to", "end", required=True, type=click.DateTime(["%Y-%m-%d"]))
def export_problem(file: Path, start, end) -> None:
    """Write the current state as a planning problem file for the dates given."""
    first: date = start.date()
    last: date = end.date()
    with Session(engine()) as session:
        try:
            problem = plans.export_problem(session, start=first, end=last)
        except DomainError as err:
            raise click.ClickException(err.message) from None
    file.write_text(json.dumps(problem, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    click.echo(
        f"wrote {file}: {len(problem['slots'])} slots, {len(problem['executives'])} executives"
    )


@click.command("load-demo")
@with_appcontext
@click.option(
    "--if-empty",
    is_flag=True,
    help="Do nothing (and succeed) when the database holds sites already.",
)
def load_demo(if_empty: bool) -> None:
    """Fill an empty database with the demo organisation; every account shares one password."""
    with Session(engine()) as session:
        if session.exec(select(Site.id)).first() is not None:
            if not if_empty:
                raise click.ClickException(
                    "The database already holds sites; the demo loads only into an empty database."
                )
            click.echo("demo data already loaded")
            sign_ins = demo.demo_sign_ins(session)
        else:
            sign_ins = demo.load_demo(session=session, today=date.today())
            session.commit()
            click.echo("Demo data loaded.")
    if sign_ins:
        width = max(len(sign_in.role) for sign_in in sign_ins)
        click.echo("Demo sign-ins:")
        for sign_in in sign_ins:
            click.echo(f"  {sign_in.role:<{width}}  {sign_in.email}")
        click.echo(f"Password for every demo account: {demo.DEMO_PASSWORD}")


@click.command("worker")
@with_appcontext
@click.option("--burst", is_flag=True, help="Stop once the queue is empty.")
def worker(burst: bool) -> None:
    """Solve queued planning runs (needs REDIS_URL).

    Serves the RQ queue PLAN_QUEUE (default "planning") with this app's settings:
    DATABASE_URL, PLAN_WORKERS solver threads per run. Without REDIS_URL the app solves
    runs in a thread of its own and needs no worker. A worker killed mid-run leaves the
    run to be marked failed once its heartbeat is PLAN_RUN_STALE_S seconds old.
    """
    config = current_app.config
    if not config.get("REDIS_URL"):
        raise click.ClickException("REDIS_URL is not set; runs are solved in the app itself")
    click.echo(f"serving the planning queue {config['PLAN_QUEUE']}")
    planning_runs.run_worker(config, burst=burst)
