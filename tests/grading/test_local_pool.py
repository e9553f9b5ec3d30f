"""The local backend: no threads until needed, a pool sized to the cores, ``flask grader run`` on its own."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select, update

from quizapp import create_app
from quizapp.extensions import db
from quizapp.grading import grading_for
from quizapp.grading.runner import run_one
from quizapp.models import Grading, Submission, User
from quizapp.models.types import utcnow
from quizapp.services import submissions, submitting
from tests.conftest import TEST_SECRET, AuthActions
from tests.grading.helpers import (
    CORRECT_LSTM,
    EXERCISE,
    ROOT,
    bearer,
    counts,
    submit,
    wait_all_graded,
    wait_graded,
)
from tests.live import run_flask


@pytest.fixture(scope="module", params=["local-sqlite", "local-postgresql"])
def pipeline(request: pytest.FixtureRequest) -> str:
    """These tests are about the local pool, on both database engines."""
    return str(request.param)


def _grader_threads() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name.startswith("grader-")]


def test_no_thread_starts_with_the_app_or_its_requests_in_tests(app: Flask, client: Any) -> None:
    """Creating the app and serving requests starts no grading thread until a job is dispatched."""
    before = set(_grader_threads())
    client.get("/login")
    assert set(_grader_threads()) == before
    assert not grading_for(app).pool().running


def test_outside_tests_the_first_request_starts_a_pool_sized_to_the_cores(database_url: str) -> None:
    """A served app starts its pool on the first request: two threads per core, each with its own sandbox,
    plus the sweeper."""
    served = create_app({"DATABASE_URL": database_url, "SECRET_KEY": TEST_SECRET, "GRADER_BACKEND": "local"})
    state = grading_for(served)
    try:
        assert not state.pool().running
        served.test_client().get("/login")
        assert state.pool().running
        assert state.pool().workers == 2 * len(os.sched_getaffinity(0))
    finally:
        state.shutdown()
        with served.app_context():
            db.engine.dispose()


def test_flask_db_commands_start_no_pool(database_url: str) -> None:
    """``flask db current`` runs without starting any grading thread (it would hang on exit otherwise)."""
    result = run_flask(database_url, "db", "current", timeout=60)
    assert result.returncode == 0, result.stderr


@pytest.mark.app_config(GRADING_POOL_IN_APP=False)
def test_flask_grader_run_grades_what_the_web_queued(app: Flask, client: Any, database_url: str) -> None:
    """With the pool out of the web process, ``flask grader run`` grades the queue and stops on SIGTERM."""
    headers = bearer(app, "standalone@example.com")
    ids = [submit(client, headers, CORRECT_LSTM).get_json()["id"] for _ in range(3)]
    time.sleep(0.5)
    with app.app_context():
        assert set(db.session.scalars(select(Submission.status))) == {"queued"}
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": TEST_SECRET,
        "PYTHONPATH": str(ROOT),
        "GRADING_POLL_INTERVAL": "0.2",
    }
    command = [sys.executable, "-m", "flask", "--app", "wsgi", "grader", "run", "--workers", "2"]
    pipes = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE}
    runner = subprocess.Popen(command, cwd=ROOT, env=env, text=True, **pipes)  # type: ignore[call-overload]
    try:
        wait_all_graded(app, timeout=60)
    finally:
        runner.send_signal(signal.SIGTERM)
        out, err = runner.communicate(timeout=30)
    assert runner.returncode == 0, err
    assert "Grading with 2 threads" in out
    assert counts(app) == (3, 3)
    with app.app_context():
        assert db.session.scalars(select(Grading.submission_id).order_by(Grading.submission_id)).all() == ids


def test_flask_grader_sweep_requeues_a_stale_job(app: Flask, auth: AuthActions, database_url: str) -> None:
    """``flask grader sweep`` hands a job stuck in 'running' back to the queue, where it is then graded."""
    user_id = auth.create_user("sweep@example.com")
    with app.app_context():
        user = db.session.get(User, user_id)
        assert user is not None
        submission_id = submitting.accept(user, EXERCISE, CORRECT_LSTM, source="api", capacity=9).id
        assert submissions.claim(submission_id, 60) is not None
        db.session.execute(update(Submission).values(started_at=utcnow() - timedelta(hours=1)))
        db.session.commit()
    result = run_flask(database_url, "grader", "sweep", timeout=60)
    assert result.returncode == 0, result.stderr
    assert f"Requeued 1 submissions. [{submission_id}]" in result.stdout
    with app.app_context():
        assert run_one(submission_id)
        row = db.session.get(Submission, submission_id)
        assert row is not None and row.status == "graded" and row.delivery_count == 2


@pytest.fixture
def claimed_from_database(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The ids of the submissions that claims from the database take during the test, in order."""
    claimed: list[int] = []
    original = submissions._claim

    def recording(statement: Any, **given: Any) -> submissions.Claim | None:
        held = original(statement, **given)
        if held is not None:
            claimed.append(held.submission_id)
        return held

    monkeypatch.setattr(submissions, "_claim", recording)
    return claimed


def test_a_submission_accepted_while_a_thread_is_free_is_handed_over_without_a_claim_write(
    app: Flask, client: Any, claimed_from_database: list[int]
) -> None:
    """With a grading thread of this process free, the submission is stored already claimed for it and
    graded from memory: no claim from the database ever takes it, and it is graded on its first delivery."""
    headers = bearer(app, "handed@example.com")
    ids = [submit(client, headers, CORRECT_LSTM).get_json()["id"] for _ in range(2)]
    for submission_id in ids:
        assert wait_graded(client, headers, submission_id)["verdict"]["status"] == "passed"
    with app.app_context():
        rows = db.session.scalars(select(Submission).order_by(Submission.id)).all()
        assert [(row.delivery_count, row.claim_token) for row in rows] == [(1, None), (1, None)]
    assert claimed_from_database == []


@pytest.mark.app_config(GRADING_WORKERS=1)
def test_with_every_thread_taken_a_submission_is_queued_and_graded_from_the_queue(
    app: Flask, client: Any, claimed_from_database: list[int]
) -> None:
    """No thread to reserve: the submission is stored ``queued``, and a thread claims it from the database
    (once, its first delivery) and grades it."""
    state = grading_for(app)
    state.start_pool()
    pool = state.pool()
    token = pool.reserve()  # the only thread, promised elsewhere (it still grades from the queue)
    assert token is not None and pool.reserve() is None
    headers = bearer(app, "busy@example.com")
    submission_id = submit(client, headers, CORRECT_LSTM).get_json()["id"]
    assert wait_graded(client, headers, submission_id)["verdict"]["status"] == "passed"
    assert claimed_from_database == [submission_id]
    with app.app_context():
        row = db.session.get(Submission, submission_id)
        assert row is not None and row.delivery_count == 1
    pool.unreserve()


@pytest.mark.app_config(GRADING_WORKERS=2)
def test_a_refused_submission_gives_its_reservation_back(app: Flask, client: Any) -> None:
    """A submission the service refuses (empty code) stores nothing and leaves every thread free."""
    headers = bearer(app, "refused@example.com")
    for _ in range(5):
        assert submit(client, headers, "   ").status_code == 422
    pool = grading_for(app).pool()
    assert pool.running
    taken = [pool.reserve() for _ in range(pool.workers)]
    assert all(taken) and pool.reserve() is None
    for _ in taken:
        pool.unreserve()
    assert counts(app) == (0, 0)


def test_a_handed_over_job_lost_with_its_process_is_swept_and_graded(app: Flask, auth: AuthActions) -> None:
    """A submission stored claimed for a thread of a process that died before grading it is queued again
    by the stale sweep and graded on its second delivery."""
    user_id = auth.create_user("lost-handoff@example.com")
    with app.app_context():
        user = db.session.get(User, user_id)
        assert user is not None
        lost = submitting.accept(user, EXERCISE, CORRECT_LSTM, source="api", capacity=9, claim_token="dead")
        assert (lost.status, lost.delivery_count) == ("running", 1)
        submission_id = lost.id
        db.session.execute(update(Submission).values(started_at=utcnow() - timedelta(hours=1)))
        db.session.commit()
        assert submissions.requeue_stale(60) == [submission_id]
        assert run_one(submission_id)
        row = db.session.get(Submission, submission_id)
        assert row is not None and row.status == "graded" and row.delivery_count == 2
