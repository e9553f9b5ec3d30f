"""SIGKILL a Celery worker while it grades: every in-flight submission is still graded exactly once."""

from __future__ import annotations

import time
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.models import Grading, Submission
from tests.conftest import AuthActions
from tests.grading.helpers import SLOW_LSTM, STALE_AFTER, Worker, submit, wait_all_graded

pytestmark = pytest.mark.celery


@pytest.fixture(scope="module")
def pipeline() -> str:
    """Only the Celery backend has workers to kill."""
    return "celery-postgresql"


def _running(app: Flask) -> int:
    with app.app_context():
        running = db.session.scalar(select(func.count()).where(Submission.status == "running")) or 0
        db.session.remove()
    return running


def test_sigkill_worker_loses_nothing(
    app: Flask, client: Any, auth: AuthActions, celery_workers: list[Worker]
) -> None:
    """20 slow submissions, one of two workers SIGKILLed mid-grading: all 20 graded, one row each."""
    victim, survivor = celery_workers
    headers = auth.bearer("kill@example.com")
    ids = [submit(client, headers, SLOW_LSTM).get_json()["id"] for _ in range(20)]
    deadline = time.monotonic() + 30
    while " Task quizapp.grade_submission" not in victim.log_text() or _running(app) < 2:
        assert time.monotonic() < deadline, "the victim never started grading"
        time.sleep(0.02)
    victim.kill()
    assert victim.process.poll() is not None
    with app.app_context():
        left = db.session.scalar(select(func.count()).where(Submission.status != "graded"))
    assert left and left > 0, "everything was graded before the kill; the test proves nothing"
    wait_all_graded(app, timeout=STALE_AFTER * 8)
    with app.app_context():
        rows = db.session.execute(
            select(Grading.submission_id, func.count()).where(Grading.kind != "override")
            .group_by(Grading.submission_id).order_by(Grading.submission_id)
        ).all()
        delivered = db.session.scalars(select(Submission.delivery_count)).all()
        statuses = db.session.scalars(select(Submission.verdict["status"].as_string())).all()
    assert [(sid, n) for sid, n in rows] == [(sid, 1) for sid in ids]
    assert set(statuses) == {"passed"}
    assert max(delivered) >= 2, "no job was redelivered, so none was in flight on the killed worker"
    assert " Task quizapp.grade_submission" in survivor.log_text()
