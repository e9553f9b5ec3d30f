"""Submissions in the API: progress and verdict, and an instructor's regrade of one submission."""

from __future__ import annotations

import math

from flask import current_app, jsonify, request
from flask.typing import ResponseReturnValue

from quizapp.api import bp
from quizapp.api.auth import api_user, instructor_required, login_required
from quizapp.errors import BadRequest
from quizapp.grading import dispatch, wait_for_verdict
from quizapp.services import submissions


def _wait_seconds() -> float:
    """The `wait` query parameter: seconds to wait for a verdict, 0 (the default) to answer at once."""
    raw = request.args.get("wait")
    if raw is None:
        return 0.0
    limit = float(current_app.config["LONG_POLL_MAX_WAIT"])
    try:
        seconds = float(raw)
    except ValueError:
        seconds = math.nan
    if not 0 <= seconds <= limit:
        raise BadRequest(f"wait must be a number of seconds from 0 to {limit:g}.", code="bad_wait")
    return seconds


@bp.get("/submissions/<int:submission_id>")
@login_required
def show_submission(submission_id: int) -> ResponseReturnValue:
    """Status and verdict; with ``?wait=S``, answered as soon as the verdict is stored (at most S s).

    Only the owner and instructors may read it; anyone else gets 404.
    """
    seconds, viewer = _wait_seconds(), api_user()
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
