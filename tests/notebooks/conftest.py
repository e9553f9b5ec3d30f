"""Notebook tests: the app's grading pool is stopped when a test that uses the app ends."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from quizapp.grading import grading_for


@pytest.fixture
def stop_grading(app: Flask) -> Iterator[None]:
    """Stop the app's grading pool when the test ends (before the database goes away)."""
    yield
    grading_for(app).shutdown()
