"""Manual score overrides: an instructor sets a graded submission's score, with a reason on record."""

from __future__ import annotations

import math

from quizapp.errors import Conflict, Forbidden, NotFound, ValidationFailed
from quizapp.extensions import db
from quizapp.models import Grading, Submission, User
from quizapp.models.types import utcnow
from quizapp.services import audit

MAX_REASON_LENGTH = 2000


def override_score(submission_id: int, instructor: User, score: float, reason: str) -> Grading:
    """Record a new ``override`` grading and make its score the submission's current score.

    The reason is required; the score must lie between 0 and the submission's maximum. Earlier gradings
    stay as history. A later regrade records a newer grading and so supersedes the override.
    """
    if not instructor.is_instructor:
        raise Forbidden("Only instructors may override scores.")
    submission = db.session.get(Submission, submission_id)
    if submission is None:
        raise NotFound(f"There is no submission {submission_id}.", code="unknown_submission")
    if submission.status != "graded" or submission.max_score is None:
        raise Conflict("Only a graded submission can be overridden; wait for its grading.", code="not_graded")
    reason = reason.strip()
    if not reason:
        raise ValidationFailed("Give a reason for the override.", code="reason_required")
    if len(reason) > MAX_REASON_LENGTH:
        raise ValidationFailed(
            f"Keep the reason under {MAX_REASON_LENGTH} characters.", code="reason_too_long"
        )
    if not isinstance(score, int | float) or not math.isfinite(score):
        raise ValidationFailed("The score must be a number.", code="bad_score")
    maximum = submission.max_score
    if not 0 <= score <= maximum:
        raise ValidationFailed(f"The score must be between 0 and {maximum:g}.", code="score_out_of_range")
    grading = Grading(
        submission=submission,
        kind="override",
        verdict_status=None,
        score=float(score),
        max_score=maximum,
        verdict=None,
        grader_version=None,
        content_version=submission.content_version,
        created_at=utcnow(),
        created_by_id=instructor.id,
        reason=reason,
    )
    db.session.add(grading)
    previous = submission.score
    submission.score = float(score)  # days_late stays: the penalty still applies to the new score
    audit.record(
        instructor,
        "score.override",
        f"submission {submission.id} ({submission.exercise_slug})",
        reason,
        {"submission": submission.id, "from": previous, "to": float(score)},
    )
    db.session.commit()
    return grading


def current_override(submission: Submission) -> Grading | None:
    """The override setting the submission's current score; None if never overridden or regraded since."""
    gradings = submission.gradings
    if gradings and gradings[-1].kind == "override":
        latest: Grading = gradings[-1]
        return latest
    return None
