"""The similarity report of an exercise as JSON, for instructors only."""

from __future__ import annotations

from flask import jsonify, request
from flask.typing import ResponseReturnValue

from quizapp.api import bp
from quizapp.api.auth import instructor_required
from quizapp.errors import BadRequest
from quizapp.services import exercises, similarity, similarity_jobs


def min_similarity_arg() -> float:
    """The ``min_similarity`` query parameter (0..1, default 0: every stored pair)."""
    raw = request.args.get("min_similarity", "0")
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0.0 <= value <= 1.0:
        raise BadRequest("min_similarity must be a number from 0 to 1.", code="bad_min_similarity")
    return value


@bp.get("/exercises/<slug>/similarity")
@instructor_required
def get_similarity(slug: str) -> ResponseReturnValue:
    """Pairs of students' latest graded submissions, most similar first; 202 while the job still runs."""
    exercise = exercises.get(slug)
    threshold = min_similarity_arg()
    report = similarity_jobs.ensure_report(exercise.slug)
    body = similarity.report_json(exercise.slug, report, threshold)
    if report.status == "running":
        return jsonify(body), 202, {"Retry-After": "2"}
    return jsonify(body)
