"""The submissions service: validation, claims, one result per job, the stale sweep, regrades, visibility."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from functools import cache
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select, update

from quizapp.errors import BadRequest, Conflict, NotFound, PayloadTooLarge, Unavailable, ValidationFailed
from quizapp.extensions import db
from quizapp.models import Grading, Submission, User
from quizapp.models.types import utcnow
from quizapp.services import accounts, submissions, submitting
from tests.grading.helpers import BUGGY_LSTM, CORRECT_LSTM, EXERCISE

STALE = 30.0


@cache
def real_verdict(code: str) -> dict[str, Any]:
    """What the real grader says about ``code`` (graded once per run)."""
    import graders

    result: dict[str, Any] = graders.grade(EXERCISE, code).to_dict()
    return result


@pytest.fixture
def ctx(app: Flask) -> Iterator[None]:
    """Run the test inside an app context."""
    with app.app_context():
        yield


@pytest.fixture
def student(ctx: None) -> User:
    """A student account."""
    user = accounts.create_user("stu@example.com", "correct-horse")
    db.session.commit()
    return user


def _accept(user: User, code: object = CORRECT_LSTM, capacity: int = 100) -> Submission:
    return submitting.accept(user, EXERCISE, code, source="api", capacity=capacity)


def _record(held: submissions.Claim, code: str = CORRECT_LSTM) -> bool:
    return submissions.record_result(held, real_verdict(code), grader_version="g", content_version=1)


def _count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def _age(submission_id: int, seconds: float, column: str = "started_at") -> None:
    """Pretend a timestamp lies ``seconds`` in the past."""
    then = utcnow() - timedelta(seconds=seconds)
    db.session.execute(update(Submission).where(Submission.id == submission_id).values({column: then}))
    db.session.commit()


def test_accept_commits_a_queued_submission(student: User) -> None:
    """Accepting stores the code as queued, auto, undelivered, before any grader runs."""
    submission = _accept(student)
    db.session.expire_all()
    stored = db.session.get(Submission, submission.id)
    assert stored is not None
    assert (stored.status, stored.pending_kind, stored.delivery_count) == ("queued", "auto", 0)
    assert stored.code == CORRECT_LSTM and stored.user_id == student.id and stored.claim_token is None


@pytest.mark.parametrize(
    ("code", "error", "code_name"),
    [
        ("#" * (64 * 1024 + 1), PayloadTooLarge, "code_too_large"),
        (b"#" * (64 * 1024 + 1), PayloadTooLarge, "code_too_large"),
        ("é" * (32 * 1024 + 1), PayloadTooLarge, "code_too_large"),
        (b"x = '\xff'", BadRequest, "bad_encoding"),
        ("x = '\ud800'", BadRequest, "bad_encoding"),
        ("x = 1\x00", BadRequest, "bad_encoding"),
        ("  \n", ValidationFailed, "empty_code"),
        (None, ValidationFailed, "invalid_code"),
        (["x"], ValidationFailed, "invalid_code"),
    ],
    ids=["str-64KiB+1", "bytes-64KiB+1", "multibyte-over-cap", "not-utf8", "surrogate", "nul", "blank",
         "none", "list"],
)
def test_accept_refuses_bad_code_and_stores_nothing(
    student: User, code: object, error: type[Exception], code_name: str
) -> None:
    """Oversized, non-UTF-8, NUL-bearing, empty or non-string code is refused with its error; no row."""
    with pytest.raises(error) as raised:
        _accept(student, code)
    assert raised.value.code == code_name  # type: ignore[attr-defined]
    assert _count(Submission) == 0


def test_accept_unknown_exercise_is_not_found(student: User) -> None:
    """An unknown exercise is NotFound and stores nothing."""
    with pytest.raises(NotFound):
        submitting.accept(student, "no_such", CORRECT_LSTM, source="api", capacity=100)
    assert _count(Submission) == 0


def test_accept_over_capacity_is_unavailable_with_retry_after(student: User) -> None:
    """With the queue at capacity a new submission is refused (503 + Retry-After) and not stored."""
    _accept(student)
    _accept(student)
    with pytest.raises(Unavailable) as raised:
        _accept(student, capacity=2)
    assert raised.value.retry_after is not None and raised.value.retry_after >= 1
    assert _count(Submission) == 2


def test_claim_is_atomic_and_counts_deliveries(student: User) -> None:
    """A claim takes a queued job once, with a fresh token; a live claim cannot be taken again."""
    submission_id = _accept(student).id
    first = submissions.claim(submission_id, STALE)
    assert first is not None and first.delivery_count == 1 and first.kind == "auto"
    assert first.exercise == EXERCISE and first.code == CORRECT_LSTM
    assert submissions.claim(submission_id, STALE) is None
    db.session.expire_all()
    row = db.session.get(Submission, submission_id)
    assert row is not None and row.status == "running" and row.claim_token == first.token


def test_record_result_writes_grading_and_current_score_together(student: User) -> None:
    """Recording under the claim marks it graded and inserts one Grading with the verdict's versions."""
    submission_id = _accept(student).id
    held = submissions.claim(submission_id, STALE)
    assert held is not None
    verdict = real_verdict(BUGGY_LSTM)
    assert submissions.record_result(held, verdict, grader_version="g1", content_version=3, seed=42)
    db.session.expire_all()
    row = db.session.get(Submission, submission_id)
    assert row is not None
    assert (row.status, row.score, row.max_score) == ("graded", verdict["score"], verdict["max_score"])
    assert row.verdict == verdict and row.claim_token is None and row.finished_at is not None
    assert (row.grader_version, row.content_version) == ("g1", 3)
    (grading,) = row.gradings
    assert (grading.kind, grading.verdict_status, grading.seed) == ("auto", verdict["status"], 42)
    assert grading.score == verdict["score"] and grading.verdict == verdict
    assert (grading.grader_version, grading.content_version) == ("g1", 3)
    assert grading.created_at == row.finished_at  # the grading copies the row it was recorded with


def test_job_delivered_twice_leaves_one_result(student: User) -> None:
    """A second delivery finds nothing to claim, and re-recording under a used claim stores nothing."""
    submission_id = _accept(student).id
    held = submissions.claim(submission_id, STALE)
    assert held is not None
    assert _record(held)
    assert submissions.claim(submission_id, STALE) is None
    assert not _record(held)
    assert _count(Grading) == 1


def test_stale_claim_is_taken_over_and_the_old_holder_loses(student: User) -> None:
    """A claim older than the deadline can be re-claimed; only the new holder's result is stored."""
    submission_id = _accept(student).id
    old = submissions.claim(submission_id, STALE)
    assert old is not None
    _age(submission_id, STALE + 1)
    new = submissions.claim(submission_id, STALE)
    assert new is not None and new.token != old.token and new.delivery_count == 2
    assert not _record(old, BUGGY_LSTM)
    assert _record(new)
    assert db.session.scalars(select(Grading.verdict_status)).all() == ["passed"]


def test_claim_next_takes_oldest_new_work_before_regrades(student: User) -> None:
    """The local pool's claim takes students' new submissions first, oldest first, then regrades."""
    ids = [_accept(student).id for _ in range(3)]
    first = submissions.claim_next()
    assert first is not None and first.submission_id == ids[0]
    assert _record(first)
    submissions.regrade(ids[0])
    order = []
    while (held := submissions.claim_next()) is not None:
        order.append((held.submission_id, held.kind))
    assert order == [(ids[1], "auto"), (ids[2], "auto"), (ids[0], "regrade")]


def test_requeue_stale_returns_lost_jobs_once(student: User) -> None:
    """Old queued and old running jobs are requeued (running ones lose their claim); fresh ones are not."""
    fresh_queued, old_queued, fresh_running, old_running = (_accept(student).id for _ in range(4))
    _age(old_queued, STALE + 1, "queued_at")
    assert submissions.claim(fresh_running, STALE) is not None
    lost = submissions.claim(old_running, STALE)
    assert lost is not None
    _age(old_running, STALE + 1)
    assert submissions.requeue_stale(STALE) == [old_queued, old_running]
    assert submissions.requeue_stale(STALE) == []
    db.session.expire_all()
    row = db.session.get(Submission, old_running)
    assert row is not None and row.status == "queued" and row.claim_token is None
    assert not _record(lost)
    assert fresh_queued not in submissions.requeue_stale(STALE)


def test_release_gives_a_job_back(student: User) -> None:
    """A grader that failed itself hands the job back to the queue; a stale holder cannot."""
    submission_id = _accept(student).id
    held = submissions.claim(submission_id, STALE)
    assert held is not None
    assert submissions.release(held)
    assert not submissions.release(held)
    again = submissions.claim(submission_id, STALE)
    assert again is not None and again.delivery_count == 2


def test_regrade_keeps_history_and_refuses_ungraded(student: User) -> None:
    """A regrade requeues a graded submission as 'regrade' and adds a row; queued ones are a Conflict."""
    submission_id = _accept(student).id
    with pytest.raises(Conflict):
        submissions.regrade(submission_id)
    with pytest.raises(NotFound):
        submissions.regrade(987654)
    held = submissions.claim(submission_id, STALE)
    assert held is not None
    submissions.record_result(held, real_verdict(BUGGY_LSTM), grader_version="g1", content_version=1)
    queued = submissions.regrade(submission_id)
    assert (queued.status, queued.pending_kind) == ("queued", "regrade")
    assert queued.score == real_verdict(BUGGY_LSTM)["score"], "the old score counts until the regrade lands"
    again = submissions.claim(submission_id, STALE)
    assert again is not None and again.kind == "regrade"
    submissions.record_result(again, real_verdict(CORRECT_LSTM), grader_version="g2", content_version=2)
    rows = db.session.execute(
        select(Grading.kind, Grading.grader_version, Grading.content_version).order_by(Grading.id)
    ).all()
    assert [tuple(row) for row in rows] == [("auto", "g1", 1), ("regrade", "g2", 2)]


def test_regrade_exercise_takes_only_graded_submissions(student: User) -> None:
    """Regrading an exercise requeues its graded submissions and leaves queued ones alone."""
    graded, waiting = _accept(student).id, _accept(student).id
    held = submissions.claim(graded, STALE)
    assert held is not None
    _record(held)
    assert submissions.regrade_exercise(EXERCISE) == [graded]
    assert waiting not in submissions.regrade_exercise(EXERCISE)
    with pytest.raises(NotFound):
        submissions.regrade_exercise("no_such")


def test_visibility_owner_and_instructor_only(student: User) -> None:
    """The owner and instructors see a submission; another student gets NotFound, never Forbidden."""
    submission_id = _accept(student).id
    other = accounts.create_user("other@example.com", "correct-horse")
    teacher = accounts.create_user("teach@example.com", "correct-horse", "instructor")
    db.session.commit()
    assert submissions.visible_submission(submission_id, student).id == submission_id
    assert submissions.visible_submission(submission_id, teacher).id == submission_id
    with pytest.raises(NotFound):
        submissions.visible_submission(submission_id, other)


def test_history_is_own_and_newest_first(student: User) -> None:
    """History lists only the user's own submissions, newest first, optionally for one exercise."""
    other = accounts.create_user("else@example.com", "correct-horse")
    db.session.commit()
    mine = [_accept(student).id for _ in range(2)]
    _accept(other)
    assert [s.id for s in submissions.history(student)] == mine[::-1]
    assert [s.id for s in submissions.history(student, EXERCISE)] == mine[::-1]
    assert submissions.history(student, "rnn_forward") == []
