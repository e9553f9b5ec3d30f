"""Long polls on each backend: one request waits for the verdict wherever it is stored; waiters are capped."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from quizapp import create_app
from quizapp.extensions import db
from quizapp.grading import grading_for, runner
from quizapp.models import Submission
from tests.conftest import TEST_SECRET
from tests.grading.helpers import CORRECT_LSTM, PUSH_WITHIN_S, SLOW_LSTM, bearer, submit


def _stored_at(app: Flask, submission_id: int) -> datetime:
    with app.app_context():
        finished = db.session.scalar(select(Submission.finished_at).where(Submission.id == submission_id))
        db.session.remove()
    assert finished is not None
    return finished


@pytest.mark.timing
def test_one_request_waits_for_the_verdict_and_answers_at_once(app: Flask, client: Any) -> None:
    """With a slowed grader, a single ?wait request returns the verdict within 100 ms of it being stored."""
    headers = bearer(app, "ada@example.com")
    submission_id = submit(client, headers, SLOW_LSTM).get_json()["id"]
    response = client.get(f"/api/v1/submissions/{submission_id}?wait=20", headers=headers)
    heard_at = datetime.now(UTC)
    assert response.status_code == 200
    data = response.get_json()
    assert data["status"] == "graded" and data["verdict"]["status"] == "passed"
    delay = (heard_at - _stored_at(app, submission_id)).total_seconds()
    assert 0 <= delay < PUSH_WITHIN_S, f"the verdict reached the client {delay:.3f} s after it was stored"


# The local pipelines only: with Celery the workers grade it themselves, and this test plays that process.
LOCAL_PIPELINES = pytest.mark.parametrize("pipeline", ["local-sqlite", "local-postgresql"], indirect=True)


@pytest.mark.timing
@LOCAL_PIPELINES
@pytest.mark.app_config(GRADING_POOL_IN_APP=False)
def test_a_verdict_stored_by_another_process_wakes_the_waiter(app: Flask, client: Any) -> None:
    """A verdict recorded by another app (another process's grader) is seen by the database watcher."""
    headers = bearer(app, "bob@example.com")
    submission_id = submit(client, headers, CORRECT_LSTM).get_json()["id"]
    other = create_app({"DATABASE_URL": app.config["DATABASE_URL"], "SECRET_KEY": TEST_SECRET,
                        "TESTING": True, "GRADING_POOL_IN_APP": False})

    committed: list[float] = []

    def grade_elsewhere() -> None:
        time.sleep(0.5)
        with other.app_context():
            assert runner.run_one(submission_id)
            committed.append(time.monotonic())  # the verdict is stored: its transaction has committed
            db.session.remove()

    grader = threading.Thread(target=grade_elsewhere)
    grader.start()
    response = client.get(f"/api/v1/submissions/{submission_id}?wait=20", headers=headers)
    heard_at = time.monotonic()
    grader.join()
    assert response.get_json()["status"] == "graded"
    delay = heard_at - committed[0]
    assert 0 <= delay < PUSH_WITHIN_S, f"the verdict reached the client {delay:.3f} s after it was stored"
    with other.app_context():
        db.engine.dispose()


@LOCAL_PIPELINES
@pytest.mark.app_config(GRADING_POOL_IN_APP=False, LONG_POLL_MAX_WAITERS=2)
def test_waiters_beyond_the_cap_get_a_plain_answer_at_once(app: Flask, client: Any) -> None:
    """With the process's waiters full, a further ?wait request answers at once with the current state."""
    headers = bearer(app, "cy@example.com")
    submission_id = submit(client, headers, CORRECT_LSTM).get_json()["id"]
    path = f"/api/v1/submissions/{submission_id}?wait=3"
    with ThreadPoolExecutor(2) as pool:
        held = [pool.submit(client.get, path, headers=headers) for _ in range(2)]
        deadline = time.monotonic() + 5
        while grading_for(app).waiters().waiting < 2:
            assert time.monotonic() < deadline, "the two waiters never registered"
            time.sleep(0.01)
        started = time.monotonic()
        extra = client.get(path, headers=headers)
        answered_in = time.monotonic() - started
        assert extra.status_code == 200 and extra.get_json()["status"] == "queued"
        assert answered_in < 1.5, f"the request over the cap waited {answered_in:.2f} s"
        assert [f.result().get_json()["status"] for f in held] == ["queued", "queued"]
    assert grading_for(app).waiters().waiting == 0


def test_a_bad_wait_is_a_json_400(app: Flask, client: Any) -> None:
    """A wait that is not a number of seconds from 0 to 30 gets 400 bad_wait."""
    headers = bearer(app, "di@example.com")
    submission_id = submit(client, headers, CORRECT_LSTM).get_json()["id"]
    for wait in ("abc", "-1", "31", "nan", "inf", ""):
        response = client.get(f"/api/v1/submissions/{submission_id}?wait={wait}", headers=headers)
        assert response.status_code == 400, wait
        assert response.get_json()["error"]["code"] == "bad_wait"


@pytest.mark.timing
def test_a_submission_post_with_wait_answers_with_the_verdict(app: Flask, client: Any) -> None:
    """POST ...?wait=S answers 201 with the graded submission within 100 ms of its verdict being stored."""
    headers = bearer(app, "ike@example.com")
    path = "/api/v1/exercises/lstm_cell_forward/submissions?wait=20"
    response = client.post(path, json={"code": SLOW_LSTM}, headers=headers)
    heard_at = datetime.now(UTC)
    assert response.status_code == 201, response.get_data(as_text=True)
    data = response.get_json()
    assert data["status"] == "graded" and data["verdict"]["status"] == "passed" and data["score"] == 10
    assert response.headers["Location"].endswith(f"/api/v1/submissions/{data['id']}")
    delay = (heard_at - _stored_at(app, data["id"])).total_seconds()
    assert 0 <= delay < PUSH_WITHIN_S, f"the verdict reached the client {delay:.3f} s after it was stored"


@LOCAL_PIPELINES
@pytest.mark.app_config(GRADING_POOL_IN_APP=False)
def test_a_submission_post_whose_wait_runs_out_answers_202_with_its_state(app: Flask, client: Any) -> None:
    """With no verdict in time, POST ...?wait=S answers 202 after S s with the submission as it stands."""
    headers = bearer(app, "jo@example.com")
    started = time.monotonic()
    response = client.post("/api/v1/exercises/lstm_cell_forward/submissions?wait=0.5",
                           json={"code": CORRECT_LSTM}, headers=headers)
    assert time.monotonic() - started >= 0.5
    assert response.status_code == 202
    data = response.get_json()
    assert data["status"] == "queued" and data["verdict"] is None and "code" not in data
    assert client.get(response.headers["Location"], headers=headers).get_json()["status"] == "queued"
    assert grading_for(app).waiters().waiting == 0


def test_a_bad_wait_on_a_submission_post_is_a_400_and_stores_nothing(app: Flask, client: Any) -> None:
    """A submission POST with a bad wait is refused before anything is stored; without wait, the contract's
    202 body is unchanged."""
    headers = bearer(app, "kim@example.com")
    path = "/api/v1/exercises/lstm_cell_forward/submissions"
    for wait in ("abc", "-1", "31", "nan"):
        response = client.post(f"{path}?wait={wait}", json={"code": CORRECT_LSTM}, headers=headers)
        assert response.status_code == 400 and response.get_json()["error"]["code"] == "bad_wait", wait
    with app.app_context():
        assert db.session.scalar(select(func.count(Submission.id))) == 0
        db.session.remove()
    plain = client.post(path, json={"code": CORRECT_LSTM}, headers=headers)
    assert plain.status_code == 202 and set(plain.get_json()) == {"id", "status"}
    assert plain.get_json()["status"] == "queued"


def test_a_long_poll_on_someone_elses_submission_is_404_at_once(app: Flask, client: Any) -> None:
    """Waiting never reveals another student's submission: 404 straight away, no slot kept."""
    owner, other = bearer(app, "eli@example.com"), bearer(app, "fay@example.com")
    submission_id = submit(client, owner, SLOW_LSTM).get_json()["id"]
    started = time.monotonic()
    response = client.get(f"/api/v1/submissions/{submission_id}?wait=10", headers=other)
    assert response.status_code == 404
    assert time.monotonic() - started < 2
    assert grading_for(app).waiters().waiting == 0



def _watchers() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "verdict-watcher"]


@LOCAL_PIPELINES
@pytest.mark.app_config(GRADING_POOL_IN_APP=False)
def test_a_status_that_needs_no_wait_starts_no_watcher(app: Flask, client: Any) -> None:
    """A queued submission asked without ?wait, or a graded one asked with it, needs no watcher thread."""
    headers = bearer(app, "gus@example.com")
    submission_id = submit(client, headers, CORRECT_LSTM).get_json()["id"]
    path = f"/api/v1/submissions/{submission_id}"
    for query in ("", "?wait=0"):
        assert client.get(path + query, headers=headers).get_json()["status"] == "queued"
        assert not _watchers(), f"{query or 'a plain poll'} started a watcher"
    with app.app_context():
        assert runner.run_one(submission_id)
        db.session.remove()
    for _ in range(3):
        assert client.get(path + "?wait=5", headers=headers).get_json()["status"] == "graded"
        assert not _watchers(), "a status request for a graded submission started a watcher"


@pytest.mark.timing
@LOCAL_PIPELINES
@pytest.mark.app_config(GRADING_POOL_IN_APP=False, LONG_POLL_INTERVAL=0.02)
def test_the_watcher_keeps_one_connection_and_survives_a_failed_look(
    app: Flask, client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A waiter's watcher looks on one connection for its whole run; after a failed look it opens another."""
    from sqlalchemy import event

    from quizapp.services import submissions

    headers = bearer(app, "hal@example.com")
    submission_id = submit(client, headers, CORRECT_LSTM).get_json()["id"]
    with app.app_context():
        engine = db.engine
    checkouts: list[int] = []  # the watcher thread's own
    looks: list[int] = []
    real = submissions.graded_among

    def flaky(ids: Any, connection: Any) -> list[int]:
        looks.append(id(connection))
        if len(looks) == 10:
            raise RuntimeError("the database went away for a moment")
        return real(ids, connection)

    monkeypatch.setattr(submissions, "graded_among", flaky)
    def listener(*_args: Any) -> None:
        if threading.current_thread().name == "verdict-watcher":
            checkouts.append(1)

    event.listen(engine, "checkout", listener)
    try:
        waiting = client.get(f"/api/v1/submissions/{submission_id}?wait=1", headers=headers)
    finally:
        event.remove(engine, "checkout", listener)
    assert waiting.get_json()["status"] == "queued"
    assert len(looks) >= 20, f"only {len(looks)} looks in a second"
    # One connection until the failed look, then one more for the rest of the run.
    assert len(checkouts) == 2 and len(set(looks[:9])) == 1 and len(set(looks[10:])) == 1
    with app.app_context():
        runner.run_one(submission_id)
        db.session.remove()
    answered = client.get(f"/api/v1/submissions/{submission_id}?wait=5", headers=headers)
    assert answered.get_json()["status"] == "graded"
