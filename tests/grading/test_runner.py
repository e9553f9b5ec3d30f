"""One grading job: claim, grade, record; a job that keeps failing ends as an error verdict, never stuck."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.grading.runner import run_next, run_one
from quizapp.models import Grading, Submission, User
from quizapp.services import submissions, submitting
from tests.conftest import AuthActions
from tests.grading.helpers import BUGGY_LSTM, CORRECT_LSTM, EXERCISE


@pytest.fixture(scope="module", params=["local-sqlite", "local-postgresql"])
def pipeline(request: pytest.FixtureRequest) -> str:
    """The job itself does not depend on the backend; both database engines."""
    return str(request.param)


def _accept(app: Flask, auth: AuthActions, code: str) -> int:
    user_id = auth.create_user("job@example.com")
    with app.app_context():
        user = db.session.get(User, user_id)
        assert user is not None
        return submitting.accept(user, EXERCISE, code, source="api", capacity=10).id


def test_run_one_records_the_graders_verdict_and_versions(app: Flask, auth: AuthActions) -> None:
    """A job stores the verdict with the grader version, content version and the hidden cases' seed."""
    submission_id = _accept(app, auth, BUGGY_LSTM)
    with app.app_context():
        assert run_one(submission_id)
        assert not run_one(submission_id), "a second delivery does nothing"
        grading = db.session.scalars(select(Grading)).one()
        import graders

        assert grading.grader_version == graders.GRADER_VERSION
        assert grading.content_version == graders.get_exercise(EXERCISE).version
        assert grading.seed is not None and grading.verdict is not None
        assert grading.verdict["status"] == "failed" and grading.kind == "auto"


def test_run_next_is_idle_when_nothing_is_queued(app: Flask, auth: AuthActions) -> None:
    """One step from the queue grades the queued job, then reports idle."""
    submission_id = _accept(app, auth, CORRECT_LSTM)
    with app.app_context():
        assert run_next()
        assert not run_next()
        row = db.session.get(Submission, submission_id)
        assert row is not None and row.status == "graded"


@pytest.mark.app_config(GRADING_MAX_DELIVERIES=2, GRADING_STALE_AFTER=0.0)
def test_a_job_delivered_too_often_ends_as_an_error_verdict(app: Flask, auth: AuthActions) -> None:
    """After more deliveries than allowed (each grader died), the platform records an error, not a hang."""
    submission_id = _accept(app, auth, CORRECT_LSTM)
    with app.app_context():
        for _ in range(2):  # two graders claim it and die without a result
            assert submissions.claim(submission_id, 0.0) is not None
        assert run_one(submission_id)
        row = db.session.get(Submission, submission_id)
        assert row is not None
        assert row.status == "graded" and row.delivery_count == 3
        assert row.verdict is not None and row.verdict["status"] == "error"
        assert "platform failed" in row.verdict["feedback"][0]
        assert [g.kind for g in row.gradings] == ["auto"]


class _Unstorable:
    """Stands in for a grader whose verdict the database refuses (what to_dict returns is not cleaned)."""

    GRADER_VERSION = "test"

    def __init__(self, data: dict[str, object]) -> None:
        self.data = data

    def grade(self, exercise: str, code: str) -> _Unstorable:
        return self

    def to_dict(self) -> dict[str, object]:
        return self.data


def _verdict(**extra: object) -> dict[str, object]:
    data: dict[str, object] = {"exercise": EXERCISE, "status": "failed", "score": 0, "max_score": 10}
    return data | {"cases": [], "feedback": [], "output": "", **extra}


@pytest.mark.parametrize(
    "data",
    [
        _verdict(output={"not", "json"}),  # the JSON serialiser refuses it, on every engine
        _verdict(status="bogus"),
        _verdict(score=float("nan")),
    ],
    ids=["not-json", "unknown-status", "nan-score"],
)
def test_a_verdict_that_cannot_be_stored_becomes_an_error_verdict_at_once(
    app: Flask, auth: AuthActions, monkeypatch: pytest.MonkeyPatch, data: dict[str, object]
) -> None:
    """Content the database or the service refuses is replaced by an error verdict on the first delivery."""
    import graders

    submission_id = _accept(app, auth, CORRECT_LSTM)
    monkeypatch.setattr(graders, "grade", _Unstorable(data).grade)
    with app.app_context():
        assert run_one(submission_id)
        row = db.session.get(Submission, submission_id)
        assert row is not None and row.status == "graded" and row.delivery_count == 1
        assert row.verdict is not None and row.verdict["status"] == "error" and row.score == 0
        assert "could not be stored" in row.verdict["feedback"][0]
        assert [g.verdict_status for g in row.gradings] == ["error"]


def test_a_nul_in_the_verdict_is_stored_or_replaced_never_retried(
    app: Flask, auth: AuthActions, monkeypatch: pytest.MonkeyPatch, pipeline: str
) -> None:
    """A raw NUL (which PostgreSQL's JSONB refuses) never sends the job round the stale sweep."""
    import graders

    submission_id = _accept(app, auth, CORRECT_LSTM)
    monkeypatch.setattr(graders, "grade", _Unstorable(_verdict(output="a\x00b")).grade)
    with app.app_context():
        assert run_one(submission_id)
        row = db.session.get(Submission, submission_id)
        assert row is not None and row.status == "graded" and row.delivery_count == 1
        assert row.verdict is not None
        if pipeline.endswith("postgresql"):
            assert row.verdict["status"] == "error" and "could not be stored" in row.verdict["feedback"][0]
        else:  # SQLite's JSON keeps it as it is
            assert row.verdict["output"] == "a\x00b"


def test_an_exception_text_with_nul_is_graded_and_stored(app: Flask, auth: AuthActions) -> None:
    """Through the real grader, a submission raising an error whose text holds NUL gets its own verdict."""
    code = CORRECT_LSTM.replace('    Wf = parameters["Wf"]', "    raise ValueError('bad\\x00byte')", 1)
    assert code != CORRECT_LSTM
    submission_id = _accept(app, auth, code)
    with app.app_context():
        assert run_one(submission_id)
        row = db.session.get(Submission, submission_id)
        assert row is not None and row.status == "graded" and row.verdict is not None
        assert row.verdict["status"] == "error" and row.delivery_count == 1
        assert "bad\\x00byte" in row.verdict["cases"][0]["message"]
