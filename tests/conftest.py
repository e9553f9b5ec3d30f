"""Shared fixtures: an app on a freshly migrated database (SQLite and PostgreSQL), a client, auth helpers."""

from __future__ import annotations

import os
import re
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import event

from quizapp import create_app
from quizapp.extensions import db
from quizapp.services import accounts

# The live gunicorn server and chromium fixtures, shared by every suite that needs them.
pytest_plugins = ["tests.live"]

POSTGRES_ADMIN_URL = os.environ.get(
    "TEST_POSTGRES_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
DB_BACKENDS = ("sqlite", "postgresql")
CSRF_PATTERN = re.compile(r'name="csrf_token"[^>]*?value="([^"]+)"')
TEST_SECRET = "test-secret-key-not-for-production"


def migrated(database_url: str) -> None:
    """Build the schema at ``database_url`` the same way production does: by running the migrations."""
    app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": TEST_SECRET, "TESTING": True})
    with app.app_context():
        upgrade()
        db.engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file that each test copies, so every test starts fresh."""
    path = tmp_path_factory.mktemp("db") / "template.sqlite"
    migrated(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A throwaway PostgreSQL database for this run, migrated once and dropped afterwards."""
    name = f"quizapp_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    try:
        migrated(url)
        yield url
    finally:
        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,)
            )
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')


@pytest.fixture(params=DB_BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, migrated database for one test, on each supported engine."""
    return fresh_database(request.param, request, tmp_path)


def fresh_database(engine: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of a fresh, migrated database on ``engine`` ("sqlite" or "postgresql") for one test."""
    if engine == "sqlite":
        path = tmp_path / "test.sqlite"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    url: str = request.getfixturevalue("postgres_url")
    truncate_all(url)
    return url


def truncate_all(url: str) -> None:
    """Empty every application table so the next test starts from a fresh database."""
    tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
    with psycopg.connect(url.replace("postgresql+psycopg", "postgresql"), autocommit=True) as conn:
        conn.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")  # type: ignore[arg-type]


@pytest.fixture
def app_overrides() -> dict[str, Any]:
    """Extra config for the ``app`` fixture; override in a test module to change it."""
    return {}


@pytest.fixture
def app(database_url: str, app_overrides: dict[str, Any]) -> Iterator[Flask]:
    """The application, configured for tests, on a fresh database."""
    config = {
        "TESTING": True,
        "DATABASE_URL": database_url,
        "SECRET_KEY": TEST_SECRET,
        "GRADER_BACKEND": "local",
        "RATELIMIT_ENABLED": False,
        **app_overrides,
    }
    application = create_app(config)
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client for the app."""
    return app.test_client()


@contextmanager
def recorded_statements(app: Flask) -> Iterator[list[str]]:
    """Collect the SQL statements ``app``'s engine runs inside the block, in order."""
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def csrf_token_from(html: str) -> str:
    """The CSRF token embedded in a rendered form."""
    match = CSRF_PATTERN.search(html)
    assert match, "no csrf_token field on the page"
    return match.group(1)


class AuthActions:
    """Create accounts and sign in through the real forms and API."""

    def __init__(self, app: Flask, client: FlaskClient):
        self.app = app
        self.client = client

    def create_user(self, email: str, password: str = "correct-horse", role: str = "student") -> int:
        """Create an account directly through the service layer; returns its id."""
        with self.app.app_context():
            user = accounts.create_user(email, password, role)
            db.session.commit()
            return user.id

    def login(self, email: str, password: str = "correct-horse") -> Any:
        """Sign in through the login form, CSRF token included."""
        token = csrf_token_from(self.client.get("/login").get_data(as_text=True))
        return self.client.post("/login", data={"email": email, "password": password, "csrf_token": token})

    def logout(self) -> Any:
        """Sign out through the logout form."""
        token = csrf_token_from(self.client.get("/").get_data(as_text=True))
        return self.client.post("/logout", data={"csrf_token": token})

    def token(self, email: str, password: str = "correct-horse") -> str:
        """A bearer token obtained with HTTP Basic."""
        response = self.client.post("/api/v1/tokens", auth=(email, password))
        assert response.status_code == 201, response.get_json()
        return str(response.get_json()["token"])

    def bearer(self, email: str, password: str = "correct-horse", role: str = "student") -> dict[str, str]:
        """Create an account and return an Authorization header for it."""
        self.create_user(email, password, role)
        return {"Authorization": f"Bearer {self.token(email, password)}"}


@pytest.fixture
def auth(app: Flask, client: FlaskClient) -> AuthActions:
    """Helpers to create accounts and sign in."""
    return AuthActions(app, client)
