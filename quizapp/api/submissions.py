"""Submissions in the API: progress and verdict, and an instructor's regrade of one submission."""

from __future__ import annotations

from flask import jsonify
from flask.typing import ResponseReturnValue

from quizapp.api import bp
from quizapp.api.auth import api_user, instructor_required, login_required, wait_seconds
from quizapp.grading import dispatch, wait_for_verdict
from quizapp.services import submissions


@bp.get("/submissions/<int:submission_id>")
@login_required
def show_submission(submission_id: int) -> ResponseReturnValue:
    """Status and verdict; with ``?wait=S``, answered as soon as the verdict is stored (at most S s).

    Only the owner and instructors may read it; anyone else gets 404.
    """
    seconds, viewer = wait_seconds(), api_user()
    submission = wait_for_verdict(
        submission_id, seconds, lambda: submissions.visible_submission(submission_id, viewer)
    )
    return jsonify(submissions.submission_dict(submission, with_code=True))


@bp.post("/submissions/<int:submission_id>/regrade")
@instructor_required
def regrade_submission(submission_id: int) -> ResponseReturnValue:
    """Instructors: grade this submission again; the old verdict stays in its history."""
    submission = submissions.regrade(submission_id)
    dispatch([submission.id])
    return jsonify({"id": submission.id, "status": submission.status}), 202
