"""Pipeline fixtures: every test here runs on the local pool (SQLite, PostgreSQL) and on real Celery workers.

``pipeline`` is module-scoped, so pytest runs a module's tests grouped by backend and starts the Celery
workers once per module (against the run's throwaway PostgreSQL database and a Redis queue of its own).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from quizapp.grading import grading_for
from tests.conftest import fresh_database
from tests.grading.helpers import (
    BROKER_URL,
    QUEUE,
    STALE_AFTER,
    Worker,
    purge_queue,
    start_workers,
    stop_workers,
)

CELERY_PIPELINE = pytest.param("celery-postgresql", marks=pytest.mark.celery)
PIPELINES = ("local-sqlite", "local-postgresql", CELERY_PIPELINE)


@pytest.fixture(scope="module", params=PIPELINES)
def pipeline(request: pytest.FixtureRequest) -> str:
    """Which grading backend and database engine a test runs on."""
    return str(request.param)


@pytest.fixture
def database_url(pipeline: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, migrated database of the pipeline's engine."""
    return fresh_database(pipeline.rpartition("-")[2], request, tmp_path)


@pytest.fixture(scope="module")
def celery_workers(
    pipeline: str, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[list[Worker]]:
    """Two real ``celery -A quizapp.tasks worker`` processes for Celery pipelines (none otherwise)."""
    if not pipeline.startswith("celery"):
        yield []
        return
    database: str = request.getfixturevalue("postgres_url")
    purge_queue()
    workers = start_workers(2, database, tmp_path_factory.mktemp("celery"))
    try:
        yield workers
    finally:
        stop_workers(workers)
        purge_queue()


def pytest_configure(config: pytest.Config) -> None:
    """Register the marker that adds app settings for one test."""
    config.addinivalue_line("markers", "app_config(**settings): extra create_app overrides for this test")


@pytest.fixture
def app_overrides(
    pipeline: str, celery_workers: list[Worker], request: pytest.FixtureRequest
) -> dict[str, Any]:
    """Short polling and stale deadlines so recovery is visible within a test, plus the test's marker."""
    overrides: dict[str, Any] = {
        "GRADING_POLL_INTERVAL": 0.2,
        "GRADING_STALE_AFTER": STALE_AFTER,
        "GRADING_SWEEP_INTERVAL": 0.5,
    }
    if pipeline.startswith("celery"):
        overrides.update(GRADER_BACKEND="celery", CELERY_BROKER_URL=BROKER_URL, CELERY_QUEUE=QUEUE)
    marker = request.node.get_closest_marker("app_config")
    if marker is not None:
        overrides.update(marker.kwargs)
    return overrides


@pytest.fixture(autouse=True)
def _stop_grading(app: Flask) -> Iterator[None]:
    """Stop the app's local pool (or broker connections) when the test ends."""
    yield
    grading_for(app).shutdown()
