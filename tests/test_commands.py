"""The ``flask`` sub-commands and the migrations, run as an operator would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from flask import Flask

REPO = Path(__file__).resolve().parent.parent


def flask_cli(
    database_url: str, *args: str, instance: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``flask --app wsgi ...`` in a subprocess against ``database_url``."""
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "cli-test-secret"}
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_upgrade_then_check_is_clean(tmp_path: Path) -> None:
    """On a new SQLite file, ``db upgrade`` builds the schema and ``db check`` finds no drift."""
    url = f"sqlite:///{tmp_path / 'fresh.sqlite'}"
    assert flask_cli(url, "db", "upgrade").returncode == 0
    check = flask_cli(url, "db", "check")
    assert check.returncode == 0, check.stderr
    assert "No new upgrade operations detected" in check.stdout + check.stderr


def test_migrated_schema_matches_models_on_each_engine(app: Flask, database_url: str) -> None:
    """On SQLite and PostgreSQL alike, the migrated schema leaves ``db check`` nothing to do."""
    check = flask_cli(database_url, "db", "check")
    assert check.returncode == 0, check.stderr
    assert "No new upgrade operations detected" in check.stdout + check.stderr


def test_users_create_once_then_fails_clearly(app: Flask, database_url: str) -> None:
    """``users create`` succeeds once and exits non-zero with a clear message the second time."""
    first = flask_cli(
        database_url,
        "users",
        "create",
        "ada@example.com",
        "--password",
        "correct-horse",
        "--role",
        "instructor",
    )
    assert first.returncode == 0, first.stderr
    assert "Created instructor ada@example.com" in first.stdout
    second = flask_cli(database_url, "users", "create", "ada@example.com", "--password", "correct-horse")
    assert second.returncode != 0
    assert "already exists" in second.stderr


def test_users_create_rejects_bad_input(app: Flask, database_url: str) -> None:
    """A malformed email or short password is refused with a non-zero exit."""
    bad_email = flask_cli(database_url, "users", "create", "nope", "--password", "correct-horse")
    assert bad_email.returncode != 0 and "Invalid email" in bad_email.stderr
    short = flask_cli(database_url, "users", "create", "a@example.com", "--password", "x")
    assert short.returncode != 0 and "at least 8" in short.stderr


def test_users_import_roster(app: Flask, database_url: str, tmp_path: Path) -> None:
    """``users import`` creates accounts from a CSV and prints their one-time passwords."""
    roster = tmp_path / "roster.csv"
    roster.write_text("email,role\na@example.com,student\nb@example.com,instructor\n")
    result = flask_cli(database_url, "users", "import", str(roster))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert lines[0] == "email,role,password"
    assert [line.split(",")[:2] for line in lines[1:]] == [
        ["a@example.com", "student"],
        ["b@example.com", "instructor"],
    ]


def test_demo_instructor_created_only_once(app: Flask, database_url: str) -> None:
    """``users demo`` prints a login the first time and creates nothing when an instructor exists."""
    first = flask_cli(database_url, "users", "demo")
    assert "Log in as instructor@example.com with password" in first.stdout
    second = flask_cli(database_url, "users", "demo")
    assert "exists already" in second.stdout
