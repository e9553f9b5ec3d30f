"""One grading job, the same for every backend: claim, grade in the sandbox, record under the claim."""

from __future__ import annotations

import logging

from flask import current_app

from quizapp.grading import grading_for
from quizapp.services import exercises, submissions
from quizapp.services.submissions import Claim

log = logging.getLogger(__name__)


def _platform_failure(held: Claim) -> dict[str, object]:
    """The verdict recorded when the platform itself failed this submission too many times."""
    exercise = exercises.find(held.exercise)
    return {
        "exercise": held.exercise,
        "status": "error",
        "score": 0,
        "max_score": exercise.max_score if exercise else 0,
        "cases": [],
        "feedback": [
            "The grading platform failed repeatedly on this submission, so it could not be graded. "
            "This is not necessarily a problem with your code: ask your instructor for a regrade."
        ],
        "output": "",
    }


def _text(value: object) -> str | None:
    return str(value)[:40] if value is not None else None


def _integer(value: object) -> int | None:
    # Stored in a signed 64-bit column; anything else is not a usable seed or version.
    if isinstance(value, int) and not isinstance(value, bool) and -(2**63) <= value < 2**63:
        return value
    return None


def grade_claim(held: Claim) -> bool:
    """Grade a claimed submission and record the verdict; True if this call's result was stored."""
    if held.delivery_count > current_app.config["GRADING_MAX_DELIVERIES"]:
        log.error("submission %s: %s deliveries, recording an error", held.submission_id, held.delivery_count)
        return _record(held, _platform_failure(held), grader_version=None, content_version=None, seed=None)
    try:
        import graders  # imported on first use: `flask db ...` and the web's start-up never need it

        verdict = graders.grade(held.exercise, held.code)
    except Exception:
        # The platform failed, not the student's code: hand the job back for another delivery.
        log.exception("grading submission %s failed", held.submission_id)
        submissions.release(held)
        return False
    data = verdict.to_dict()
    return _record(
        held,
        data,
        grader_version=_text(data.get("grader_version")),
        content_version=_integer(data.get("exercise_version")),
        seed=_integer(data.get("seed")),
    )


def _record(
    held: Claim,
    data: dict[str, object],
    *,
    grader_version: str | None,
    content_version: int | None,
    seed: int | None,
) -> bool:
    """Store a verdict under the claim and wake this process's long polls; False if the claim was lost."""
    stored = submissions.record_result(
        held, data, grader_version=grader_version, content_version=content_version, seed=seed
    )
    if stored:
        grading_for().announce(held.submission_id)
    else:
        log.info("submission %s: result discarded, the claim was lost meanwhile", held.submission_id)
    return stored


def run_one(submission_id: int) -> bool:
    """Grade one named submission if it can be claimed (a queue message's job)."""
    held = submissions.claim(submission_id, current_app.config["GRADING_STALE_AFTER"])
    if held is None:
        return False
    return grade_claim(held)


def run_next() -> bool:
    """Grade the next queued submission, if any; False when idle (as a pool thread does between handovers)."""
    held = submissions.claim_next()
    if held is None:
        return False
    grade_claim(held)
    return True
