"""The project's ``flask`` sub-commands: accounts and the demo instructor."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import Flask
from sqlalchemy import select

from quizapp.content.commands import quiz
from quizapp.errors import DomainError
from quizapp.extensions import db
from quizapp.grading.cli import grader
from quizapp.models import User
from quizapp.schedule_cli import schedule
from quizapp.services import accounts

users = click.Group("users", help="Manage accounts.")


@users.command("create")
@click.argument("email")
@click.option("--password", required=True, help="At least 8 characters.")
@click.option("--role", type=click.Choice(["student", "instructor"]), default="student", show_default=True)
def create_user(email: str, password: str, role: str) -> None:
    """Create one account."""
    try:
        user = accounts.create_user(email, password, role)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from error
    click.echo(f"Created {user.role} {user.email}.")


@users.command("import")
@click.argument("roster", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_users(roster: Path) -> None:
    """Create accounts from a CSV with columns email and role; prints one-time passwords."""
    try:
        result = accounts.import_roster(accounts.read_roster(roster.read_text(encoding="utf-8")))
    except (DomainError, UnicodeDecodeError) as error:
        db.session.rollback()
        raise click.ClickException(getattr(error, "message", str(error))) from error
    click.echo("email,role,password")
    for email, role, password in result.created:
        click.echo(f"{email},{role},{password}")
    click.echo(f"Created {len(result.created)}, skipped {len(result.skipped)} existing.", err=True)


@users.command("demo")
@click.option("--email", default="instructor@example.com", show_default=True)
def ensure_demo_instructor(email: str) -> None:
    """Create a demo instructor when no instructor exists yet, and print the login."""
    if db.session.scalar(select(User).where(User.role == "instructor").limit(1)):
        click.echo("An instructor account exists already; no demo account created.")
        return
    password = accounts.new_secret(12)
    accounts.create_user(email, password, "instructor")
    db.session.commit()
    click.echo(f"Demo instructor created. Log in as {email} with password {password}", file=sys.stdout)


def register(app: Flask) -> None:
    """Attach the command groups to the app's CLI."""
    app.cli.add_command(users)
    app.cli.add_command(grader)
    app.cli.add_command(quiz)
    app.cli.add_command(schedule)
