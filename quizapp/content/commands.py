"""``flask quiz ...``: check quiz files and close attempts whose time is up."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from quizapp.content.problems import ContentError
from quizapp.content.quizzes import load_quizzes, parse_quiz_file, quiz_dir

quiz = AppGroup("quiz", help="Check quiz files and manage attempts.")


@quiz.command("validate")
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
def validate(files: tuple[Path, ...]) -> None:
    """Check quiz files (default: every file in QUIZ_DIR); errors name the file, line and field."""
    problems = []
    checked = 0
    try:
        if files:
            for path in files:
                checked += 1
                try:
                    parse_quiz_file(path)
                except ContentError as exc:
                    problems.extend(exc.problems)
        else:
            folder = quiz_dir()
            try:
                checked = len(load_quizzes(folder))
            except ContentError as exc:
                problems.extend(exc.problems)
    finally:
        for problem in problems:
            click.echo(str(problem), err=True)
    if problems:
        raise click.ClickException(f"{len(problems)} problem(s) found.")
    click.echo(f"OK: {checked} quiz file(s) valid.")


@quiz.command("close-expired")
def close_expired() -> None:
    """Auto-submit every open attempt that ran past its time limit."""
    from quizapp.services.quizzes import close_expired_attempts

    click.echo(f"Closed {close_expired_attempts()} expired attempt(s).")
