"""End to end through the API, on each backend: submit, grade, read, refuse bad input, survive bursts."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import Grading, Submission
from tests.conftest import AuthActions
from tests.grading.helpers import (
    BUGGY_LSTM,
    CORRECT_LSTM,
    EXERCISE,
    HOSTILE_LSTM,
    bearer,
    counts,
    submit,
    wait_all_graded,
    wait_graded,
)


def test_correct_code_is_graded_passed(app: Flask, client: Any) -> None:
    """A correct lstm_cell_forward is accepted with 202 and graded passed with full marks."""
    headers = bearer(app, "ada@example.com")
    response = submit(client, headers, CORRECT_LSTM)
    assert response.status_code == 202
    body = response.get_json()
    assert body["status"] == "queued" and isinstance(body["id"], int)
    assert response.headers["Location"].endswith(f"/api/v1/submissions/{body['id']}")
    data = wait_graded(client, headers, body["id"])
    assert data["exercise"] == EXERCISE
    verdict = data["verdict"]
    assert verdict["status"] == "passed"
    assert verdict["score"] == verdict["max_score"] > 0
    assert all(case["passed"] for case in verdict["cases"])
    assert data["content_version"] is not None and data["grader_version"]


def test_buggy_code_scores_less_than_full(app: Flask, client: Any) -> None:
    """A buggy lstm_cell_forward (no tanh on c_next) is graded failed with less than full marks."""
    headers = bearer(app, "bob@example.com")
    submission_id = submit(client, headers, BUGGY_LSTM).get_json()["id"]
    verdict = wait_graded(client, headers, submission_id)["verdict"]
    assert verdict["status"] == "failed"
    assert verdict["score"] < verdict["max_score"]
    assert verdict["feedback"]


def test_hostile_code_is_contained_and_its_output_is_plain_text(app: Flask, client: Any) -> None:
    """A submission that spins forever and prints fake verdicts times out; its output is returned as text."""
    headers = bearer(app, "eve@example.com")
    submission_id = submit(client, headers, HOSTILE_LSTM).get_json()["id"]
    verdict = wait_graded(client, headers, submission_id, timeout=60)["verdict"]
    assert verdict["status"] == "timeout"
    assert verdict["score"] == 0


def test_only_owner_and_instructors_see_a_submission(client: Any, auth: AuthActions) -> None:
    """Another student gets 404 on someone else's submission; the owner and an instructor can read it."""
    owner = auth.bearer("owner@example.com")
    other = auth.bearer("other@example.com")
    teacher = auth.bearer("teacher@example.com", role="instructor")
    submission_id = submit(client, owner, CORRECT_LSTM).get_json()["id"]
    refused = client.get(f"/api/v1/submissions/{submission_id}", headers=other)
    assert refused.status_code == 404
    assert refused.get_json()["error"]["code"] == "not_found"
    assert client.get(f"/api/v1/submissions/{submission_id}", headers=teacher).status_code == 200
    assert wait_graded(client, owner, submission_id)["verdict"]["status"] == "passed"
    assert client.get("/api/v1/submissions/99999", headers=owner).status_code == 404
    assert client.get(f"/api/v1/submissions/{submission_id}").status_code == 401


URL = f"/api/v1/exercises/{EXERCISE}/submissions"
JSON = "application/json"


@pytest.mark.parametrize(
    ("path", "body", "content_type", "status", "code"),
    [
        (URL, b"x" * (2 * 1024 * 1024), JSON, 413,
         "payload_too_large"),
        (URL, json.dumps({"code": "#" * (64 * 1024 + 1)}).encode(),
         JSON, 413, "code_too_large"),
        (URL, b'{"code": "def f(:', JSON, 400, "bad_json"),
        (URL, '{"code": "é"}'.encode("latin-1"), JSON,
         400, "bad_encoding"),
        (URL, b'{"code": "x = \\ud800"}', JSON, 400,
         "bad_encoding"),
        (URL, b'{"code": 42}', JSON, 422, "invalid_code"),
        (URL, b'{"code": "   "}', JSON, 422, "empty_code"),
        ("/api/v1/exercises/no_such_exercise/submissions", b'{"code": "x = 1"}', JSON, 404,
         "unknown_exercise"),
    ],
    ids=["2MiB-body", "code-over-64KiB", "malformed-json", "not-utf8", "lone-surrogate", "not-a-string",
         "empty", "unknown-exercise"],
)
def test_bad_submissions_get_clear_errors_and_store_nothing(
    app: Flask, client: Any,
    path: str, body: bytes, content_type: str, status: int, code: str,
) -> None:
    """Each bad submission gets its JSON error and status, and leaves no row behind."""
    headers = bearer(app, "mallory@example.com")
    response = client.post(path, data=body, content_type=content_type, headers=headers)
    assert response.status_code == status
    assert response.get_json()["error"]["code"] == code
    assert counts(app) == (0, 0)


def test_code_of_exactly_64_kib_is_accepted(app: Flask, client: Any) -> None:
    """The size cap is inclusive: 64 KiB of code is stored and graded."""
    headers = bearer(app, "max@example.com")
    code = CORRECT_LSTM + "#" * (64 * 1024 - len(CORRECT_LSTM.encode()) - 1) + "\n"
    assert len(code.encode()) == 64 * 1024
    response = submit(client, headers, code)
    assert response.status_code == 202
    assert wait_graded(client, headers, response.get_json()["id"])["verdict"]["status"] == "passed"


# The limit counts stored submissions (a 503 stores nothing), so it is set below what the queue holds.
@pytest.mark.app_config(RATELIMIT_ENABLED=True, SUBMISSION_RATE_LIMIT="2/minute", GRADING_QUEUE_CAPACITY=12)
def test_burst_is_accepted_or_refused_and_every_accepted_one_is_graded(
    app: Flask, client: Any
) -> None:
    """40 concurrent submissions from 4 students: each gets 202, 429 or 503, and every 202 gets graded."""
    students = [bearer(app, f"burst{n}@example.com") for n in range(4)]

    def one(n: int) -> tuple[int, str | None, int | None]:
        response = submit(app.test_client(), students[n % 4], CORRECT_LSTM if n % 3 else BUGGY_LSTM)
        body = response.get_json()
        assert response.is_json
        if response.status_code == 202:
            return 202, None, body["id"]
        return response.status_code, response.headers.get("Retry-After"), None

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(one, range(40)))
    statuses = [status for status, _, _ in results]
    assert set(statuses) <= {202, 429, 503}
    assert 429 in statuses and 202 in statuses
    assert all(retry and int(retry) >= 1 for status, retry, _ in results if status in (429, 503))
    accepted = sorted(sid for _, _, sid in results if sid is not None)
    assert len(accepted) <= 4 * 2
    wait_all_graded(app)
    with app.app_context():
        rows = db.session.scalars(select(Submission).order_by(Submission.id)).all()
        assert [row.id for row in rows] == accepted
        assert all(row.status == "graded" and row.verdict for row in rows)
        gradings = db.session.scalars(select(Grading.submission_id).order_by(Grading.submission_id)).all()
        assert gradings == accepted


@pytest.mark.app_config(GRADING_QUEUE_CAPACITY=0)
def test_full_queue_answers_503_with_retry_after(app: Flask, client: Any) -> None:
    """When the queue is at capacity a new submission gets 503 + Retry-After and is not stored."""
    headers = bearer(app, "late@example.com")
    response = submit(client, headers, CORRECT_LSTM)
    assert response.status_code == 503
    assert response.get_json()["error"]["code"] == "queue_full"
    assert int(response.headers["Retry-After"]) >= 1
    assert counts(app) == (0, 0)


@pytest.mark.app_config(RATELIMIT_ENABLED=True, SUBMISSION_RATE_LIMIT="2/minute")
def test_rate_limit_is_per_user(app: Flask, client: Any) -> None:
    """The third submission in a minute gets 429 with Retry-After; another student is not affected."""
    first = bearer(app, "fast@example.com")
    second = bearer(app, "calm@example.com")
    assert [submit(client, first, CORRECT_LSTM).status_code for _ in range(2)] == [202, 202]
    refused = submit(client, first, CORRECT_LSTM)
    assert refused.status_code == 429
    assert refused.get_json()["error"]["code"] == "rate_limited"
    assert int(refused.headers["Retry-After"]) >= 1
    assert submit(client, second, CORRECT_LSTM).status_code == 202
    wait_all_graded(app)
    assert counts(app) == (3, 3)


def test_regrade_adds_a_row_and_keeps_the_old_one(app: Flask, client: Any) -> None:
    """An instructor's regrade goes through the queue; the history then holds the auto and regrade rows."""
    student = bearer(app, "sam@example.com")
    teacher = bearer(app, "tess@example.com", role="instructor")
    submission_id = submit(client, student, BUGGY_LSTM).get_json()["id"]
    first = wait_graded(client, student, submission_id)
    assert client.post(f"/api/v1/submissions/{submission_id}/regrade", headers=student).status_code == 403
    response = client.post(f"/api/v1/submissions/{submission_id}/regrade", headers=teacher)
    assert response.status_code == 202
    again = wait_graded(client, student, submission_id)
    assert [entry["kind"] for entry in again["history"]] == ["regrade", "auto"]
    assert again["history"][1]["id"] == first["history"][0]["id"]
    assert again["verdict"]["score"] == first["verdict"]["score"]
    with app.app_context():
        kinds = db.session.scalars(select(Grading.kind).order_by(Grading.id)).all()
    assert kinds == ["auto", "regrade"]


def test_regrade_of_a_whole_exercise(app: Flask, client: Any) -> None:
    """Regrading an exercise queues every graded submission to it, and each gets a regrade row."""
    student = bearer(app, "rita@example.com")
    teacher = bearer(app, "ivan@example.com", role="instructor")
    ids = [submit(client, student, code).get_json()["id"] for code in (CORRECT_LSTM, BUGGY_LSTM)]
    wait_all_graded(app)
    response = client.post(f"/api/v1/exercises/{EXERCISE}/regrade", headers=teacher)
    assert response.status_code == 202
    assert response.get_json()["ids"] == ids
    wait_all_graded(app)
    with app.app_context():
        rows = db.session.execute(select(Grading.submission_id, Grading.kind).order_by(Grading.id)).all()
    assert sorted((sid, kind) for sid, kind in rows) == sorted(
        [(ids[0], "auto"), (ids[1], "auto"), (ids[0], "regrade"), (ids[1], "regrade")]
    )
    assert client.post("/api/v1/exercises/nope/regrade", headers=teacher).status_code == 404
