"""Manual overrides: a new override grading with who, when and why, and the new current score."""

from __future__ import annotations

import pytest
from flask import Flask

from quizapp.errors import Conflict, Forbidden, NotFound, ValidationFailed
from quizapp.extensions import db
from quizapp.models import Submission, User
from quizapp.services import gradebook, overrides
from tests.instructor import factories as f


def setup_graded(app: Flask) -> tuple[int, int]:
    """An instructor and a student's failed submission scored 4/10; returns (instructor id, submission id)."""
    teacher = f.user("teacher@example.com", role="instructor")
    ann = f.user("ann@example.com")
    sub = f.graded(ann, "rnn_cell_forward", f.verdict("rnn_cell_forward", "failed", 4.0))
    return teacher, sub


def test_override_records_who_when_why_and_updates_the_score(app: Flask) -> None:
    """The override is a new grading row; the submission's score and the gradebook follow it."""
    with app.app_context():
        teacher_id, sub_id = setup_graded(app)
        teacher = db.session.get(User, teacher_id)
        grading = overrides.override_score(sub_id, teacher, 8.5, "  Correct up to a transposed bias.  ")
        db.session.expire_all()
        submission = db.session.get(Submission, sub_id)
        kinds = [(g.kind, g.score) for g in submission.gradings]
        row = gradebook.build_gradebook(["rnn_cell_forward"], ["rnn-week1"])[0]
    assert kinds == [("auto", 4.0), ("override", 8.5)]
    assert grading.created_by_id == teacher_id
    assert grading.reason == "Correct up to a transposed bias."
    assert grading.created_at is not None and grading.max_score == 10.0
    assert submission.score == 8.5
    assert row.exercises["rnn_cell_forward"] == 8.5


@pytest.mark.parametrize(
    ("score", "reason", "code"),
    [
        (8.0, "   ", "reason_required"),
        (-0.5, "generous", "score_out_of_range"),
        (10.5, "generous", "score_out_of_range"),
        (float("nan"), "generous", "bad_score"),
    ],
)
def test_override_refuses_bad_input_and_stores_nothing(
    app: Flask, score: float, reason: str, code: str
) -> None:
    """A blank reason or a score outside 0..max is refused and leaves the submission as it was."""
    with app.app_context():
        teacher_id, sub_id = setup_graded(app)
        with pytest.raises(ValidationFailed) as caught:
            overrides.override_score(sub_id, db.session.get(User, teacher_id), score, reason)
        db.session.rollback()
        submission = db.session.get(Submission, sub_id)
        assert caught.value.code == code
        assert submission.score == 4.0 and len(submission.gradings) == 1


def test_override_bounds_are_inclusive(app: Flask) -> None:
    """0 and the maximum itself are allowed."""
    with app.app_context():
        teacher_id, sub_id = setup_graded(app)
        teacher = db.session.get(User, teacher_id)
        assert overrides.override_score(sub_id, teacher, 0, "plagiarised").score == 0.0
        assert overrides.override_score(sub_id, teacher, 10, "reinstated").score == 10.0


def test_only_instructors_override_and_only_graded_submissions(app: Flask) -> None:
    """Students are forbidden; unknown submissions are 404; queued ones conflict."""
    with app.app_context():
        teacher_id, sub_id = setup_graded(app)
        teacher = db.session.get(User, teacher_id)
        student = db.session.get(User, db.session.get(Submission, sub_id).user_id)
        with pytest.raises(Forbidden):
            overrides.override_score(sub_id, student, 10, "self-service")
        with pytest.raises(NotFound):
            overrides.override_score(9999, teacher, 10, "why not")
        waiting = f.queued(student.id, "rnn_forward")
        with pytest.raises(Conflict):
            overrides.override_score(waiting, teacher, 10, "too early")
