"""Crashes and restarts leave nothing stuck: the stale sweep hands lost jobs out again, exactly once."""

from __future__ import annotations

import time
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.grading import grading_for
from quizapp.models import Grading, Submission, User
from quizapp.services import submissions, submitting
from tests.conftest import AuthActions
from tests.grading.conftest import CELERY_PIPELINE
from tests.grading.helpers import (
    CORRECT_LSTM,
    EXERCISE,
    STALE_AFTER,
    bearer,
    submit,
    wait_all_graded,
    wait_graded,
)


def _queued_without_dispatch(app: Flask, user_id: int, code: str = CORRECT_LSTM) -> int:
    """Store a submission the way the API does, but never tell a grader (the web process 'crashed')."""
    with app.app_context():
        user = db.session.get(User, user_id)
        assert user is not None
        submission = submitting.accept(user, EXERCISE, code, source="api", capacity=100)
        return submission.id


def _start_backend(app: Flask) -> None:
    """What a restart does: the local pool starts (the Celery workers are already running)."""
    grading_for(app).start_pool()


def test_grader_crash_mid_job_is_recovered_exactly_once(app: Flask, auth: AuthActions) -> None:
    """A job claimed by a grader that then died is requeued after the deadline and graded once."""
    user_id = auth.create_user("crash@example.com")
    submission_id = _queued_without_dispatch(app, user_id)
    with app.app_context():
        dead = submissions.claim(submission_id, STALE_AFTER)
        assert dead is not None
    started = time.monotonic()
    _start_backend(app)
    wait_all_graded(app, timeout=STALE_AFTER * 6)
    assert time.monotonic() - started >= STALE_AFTER * 0.9
    with app.app_context():
        row = db.session.get(Submission, submission_id)
        assert row is not None
        assert row.status == "graded" and row.delivery_count == 2
        assert row.verdict is not None and row.verdict["status"] == "passed"
        # The dead grader's late result must not be stored.
        late = {"exercise": EXERCISE, "status": "failed", "score": 0, "max_score": 10, "cases": [],
                "feedback": [], "output": ""}
        assert submissions.record_result(dead, late, grader_version="x", content_version=1) is False
        assert db.session.scalars(select(Grading.kind)).all() == ["auto"]


def test_submission_never_dispatched_is_graded_after_restart(app: Flask, auth: AuthActions) -> None:
    """A submission committed just before the web process died is still graded, once."""
    user_id = auth.create_user("restart@example.com")
    ids = [_queued_without_dispatch(app, user_id) for _ in range(3)]
    _start_backend(app)
    wait_all_graded(app, timeout=STALE_AFTER * 6)
    with app.app_context():
        graded = db.session.scalars(select(Grading.submission_id).order_by(Grading.submission_id)).all()
    assert graded == ids


def test_duplicate_deliveries_leave_one_result(app: Flask, client: Any) -> None:
    """Handing the same job to the backend several times still records a single grading."""
    headers = bearer(app, "dup@example.com")
    submission_id = submit(client, headers, CORRECT_LSTM).get_json()["id"]
    with app.app_context():
        grading_for(app).dispatch([submission_id] * 4)
    wait_graded(client, headers, submission_id)
    time.sleep(0.5)
    with app.app_context():
        assert db.session.scalars(select(Grading.submission_id)).all() == [submission_id]


# Only the Celery backend publishes to a broker.
@pytest.mark.parametrize("pipeline", [CELERY_PIPELINE], indirect=True)
@pytest.mark.app_config(CELERY_BROKER_URL="redis://127.0.0.1:1/0")
def test_broker_down_at_submit_time_still_grades(app: Flask, client: Any) -> None:
    """With Celery, a submission whose job could not be published is still accepted and later graded."""
    headers = bearer(app, "offline@example.com")
    started = time.monotonic()
    response = submit(client, headers, CORRECT_LSTM)
    assert response.status_code == 202, "the row is committed before publishing, so the student gets 202"
    assert time.monotonic() - started < 30
    data = wait_graded(client, headers, response.get_json()["id"], timeout=STALE_AFTER * 6)
    assert data["verdict"]["status"] == "passed"
