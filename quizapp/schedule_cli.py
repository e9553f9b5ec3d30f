"""``flask schedule``: list the dates and import extensions from CSV (like ``flask users import``)."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from quizapp.errors import DomainError
from quizapp.extensions import db
from quizapp.services import extensions, schedule_time, schedules

schedule = AppGroup("schedule", help="Dates, late penalties and extensions.")


@schedule.command("show")
def show() -> None:
    """Print every quiz's and exercise's dates (course time zone) and late penalty."""
    click.echo(f"slug,opens_at,due_at,closes_at,late_penalty_per_day  ({schedule_time.course_zone().key})")
    for window in schedules.all_windows():
        dates = [schedule_time.local_input(getattr(window, name)) for name in schedule_time.TIME_FIELDS]
        click.echo(",".join([window.slug, *dates, f"{window.late_penalty_per_day:g}"]))


@schedule.command("import-extensions")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--reason", default=None, help="Kept in the audit log.")
def import_extensions(csv_file: Path, reason: str | None) -> None:
    """Grant the extensions in a CSV ``email,slug,due_at,closes_at``: all of them, or none with the errors."""
    try:
        rows = extensions.read_csv(csv_file.read_text(encoding="utf-8"))
        count = extensions.import_rows(rows, None, reason)
    except (DomainError, UnicodeDecodeError) as error:
        db.session.rollback()
        raise click.ClickException(getattr(error, "message", str(error))) from error
    click.echo(f"Imported {count} extension{'' if count == 1 else 's'}.")
