"""Exercises in the API: the catalogue, one exercise, submitting code, and instructors' regrades."""

from __future__ import annotations

from flask import current_app, jsonify, url_for
from flask.typing import ResponseReturnValue

from quizapp.api import bp
from quizapp.api.auth import api_user, instructor_required, json_body, login_required, wait_seconds
from quizapp.auth.limits import configured_limit
from quizapp.errors import BadRequest
from quizapp.grading import dispatch, wait_for_verdict
from quizapp.grading import submit as submit_to_grader
from quizapp.services import drafts, exercises, submissions, submitting


@bp.get("/exercises")
@login_required
def list_exercises() -> ResponseReturnValue:
    """The exercises in catalogue order."""
    return jsonify([exercises.summary_dict(exercise) for exercise in exercises.catalogue()])


@bp.get("/exercises/<slug>")
@login_required
def show_exercise(slug: str) -> ResponseReturnValue:
    """One exercise with its statement as HTML (MathML for the formulas) and its starter code."""
    return jsonify(exercises.detail_dict(exercises.get(slug)))


@bp.post("/exercises/<slug>/submissions")
@login_required
def submit(slug: str) -> ResponseReturnValue:
    """Store the caller's code as a queued submission and hand it to a grader: 202 at once.

    With ``?wait=S``, the answer waits up to S s for the verdict, as the status long poll does, and
    saves the client that request: 201 with the graded submission, or 202 with its state by then.
    """
    exercise = exercises.get(slug)
    body = json_body()
    seconds = wait_seconds()
    if not isinstance(body.get("source", ""), str):
        raise BadRequest('"source" is a string ("web", "cli"; anything else counts as "api").')
    user, config = api_user(), current_app.config
    submission = submit_to_grader(
        lambda claim_token: submitting.accept(
            user,
            exercise.slug,
            body.get("code"),
            source=body["source"] if body.get("source") in ("web", "cli") else "api",
            capacity=config["GRADING_QUEUE_CAPACITY"],
            rate_limit=configured_limit("SUBMISSION_RATE_LIMIT"),
            claim_token=claim_token,
        )
    )
    location = url_for("api.show_submission", submission_id=submission.id)
    if seconds > 0:
        submission_id = submission.id
        current = wait_for_verdict(
            submission_id, seconds, lambda: submissions.visible_submission(submission_id, user)
        )
        response = jsonify(submissions.submission_dict(current))
        response.headers["Location"] = location
        return response, 201 if current.status == "graded" else 202
    response = jsonify({"id": submission.id, "status": "queued"})
    response.headers["Location"] = location
    return response, 202


@bp.get("/exercises/<slug>/submissions")
@login_required
def my_submissions(slug: str) -> ResponseReturnValue:
    """The caller's own submissions to this exercise, newest first, with their grading history."""
    exercise = exercises.get(slug)
    return jsonify(
        [submissions.submission_dict(item) for item in submissions.history(api_user(), exercise.slug)]
    )


@bp.get("/exercises/<slug>/draft")
@login_required
def show_draft(slug: str) -> ResponseReturnValue:
    """The caller's own draft for this exercise; 404 when there is none."""
    return jsonify(drafts.draft_dict(drafts.get(api_user(), slug)))


@bp.put("/exercises/<slug>/draft")
@login_required
def save_draft(slug: str) -> ResponseReturnValue:
    """Save the caller's code for this exercise without grading it (one draft per student and exercise)."""
    draft = drafts.save(api_user(), slug, json_body().get("code"))
    return jsonify(drafts.draft_dict(draft))


@bp.post("/exercises/<slug>/regrade")
@instructor_required
def regrade_exercise(slug: str) -> ResponseReturnValue:
    """Instructors: regrade every graded submission to this exercise through the queue."""
    body = json_body(required=False)
    reason = body.get("reason")
    if reason is not None and not isinstance(reason, str):
        raise BadRequest('"reason" is text, kept in the audit log.', code="bad_request")
    ids = submissions.regrade_exercise(slug, api_user(), reason)
    dispatch(ids)
    return jsonify({"exercise": slug, "queued": len(ids), "ids": ids}), 202
