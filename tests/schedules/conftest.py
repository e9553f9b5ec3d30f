"""Fixtures for the schedule tests: grading runs only when a test asks (no background pool)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from quizapp.extensions import db
from quizapp.grading.runner import run_one
from tests.conftest import AuthActions

SLUG = "rnn_cell_forward"


@pytest.fixture
def app_overrides() -> dict[str, Any]:
    """No in-app grading pool: tests grade a submission with ``run_one`` when they choose to."""
    return {"GRADING_POOL_IN_APP": False}


def iso(moment: datetime) -> str:
    """A UTC time as ISO 8601."""
    return moment.astimezone(UTC).isoformat()


def hours(n: float) -> datetime:
    """Now plus ``n`` hours (negative for the past)."""
    return datetime.now(UTC) + timedelta(hours=n)


@pytest.fixture
def people(auth: AuthActions) -> dict[str, dict[str, str]]:
    """Bearer headers for an instructor and two students, ann and bob."""
    return {
        "teacher": auth.bearer("teacher@example.com", role="instructor"),
        "ann": auth.bearer("ann@example.com"),
        "bob": auth.bearer("bob@example.com"),
    }


@pytest.fixture
def set_schedule(client: FlaskClient, people: dict[str, dict[str, str]]) -> Callable[..., dict[str, Any]]:
    """PUT a schedule as the instructor; returns the stored schedule."""

    def put(slug: str = SLUG, **fields: Any) -> dict[str, Any]:
        body = {k: iso(v) if isinstance(v, datetime) else v for k, v in fields.items()}
        response = client.put(f"/api/v1/schedule/{slug}", headers=people["teacher"], json=body)
        assert response.status_code == 200, response.get_json()
        return dict(response.get_json())

    return put


@pytest.fixture
def grade(app: Flask) -> Callable[[int], None]:
    """Grade one queued submission now, in this process."""

    def run(submission_id: int) -> None:
        with app.app_context():
            assert run_one(submission_id)
            db.session.remove()

    return run
