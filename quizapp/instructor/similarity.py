"""The similarity report of an exercise, and one pair of submissions side by side."""

from __future__ import annotations

from flask import render_template, request
from werkzeug.wrappers import Response

from quizapp.auth.guards import instructor_page
from quizapp.errors import NotFound
from quizapp.extensions import db
from quizapp.instructor import bp
from quizapp.models import Submission, User
from quizapp.services import exercises, similarity, similarity_jobs, similarity_pairs

THRESHOLDS = (0.3, 0.5, 0.7, 0.9)
# Lines kept around each matching region on the side-by-side page (``?whole=1`` shows everything).
CONTEXT_LINES = 3


def _threshold() -> float:
    """The ``min`` query parameter as a share (0..1); the default when absent or not a number in range."""
    try:
        value = float(request.args.get("min", similarity.DEFAULT_THRESHOLD))
    except ValueError:
        return similarity.DEFAULT_THRESHOLD
    return value if 0.0 <= value <= 1.0 else similarity.DEFAULT_THRESHOLD


@bp.get("/exercises/<slug>/similarity")
@instructor_page
def similarity_page(slug: str) -> Response:
    """Pairs of students above a threshold, most similar first; progress while the job runs."""
    exercise = exercises.get(slug)
    threshold = _threshold()
    report = similarity_jobs.ensure_report(exercise.slug)
    body = similarity.report_json(exercise.slug, report, threshold)
    html = render_template(
        "instructor/similarity.html",
        exercise=exercise,
        report=report,
        body=body,
        threshold=threshold,
        thresholds=sorted({*THRESHOLDS, threshold}),
    )
    response = Response(html, mimetype="text/html")
    if report.status == "running":
        response.headers["Refresh"] = "3"
    return response


def _pair_submission(slug: str, submission_id: int) -> Submission:
    submission = db.session.get(Submission, submission_id)
    if submission is None or submission.exercise_slug != slug:
        raise NotFound(f"There is no submission {submission_id} to {slug!r}.", code="unknown_submission")
    return submission


@bp.get("/exercises/<slug>/similarity/<int:a_id>/<int:b_id>")
@instructor_page
def similarity_pair(slug: str, a_id: int, b_id: int) -> str:
    """Two submissions side by side with the regions that match highlighted."""
    exercise = exercises.get(slug)
    a, b = _pair_submission(exercise.slug, a_id), _pair_submission(exercise.slug, b_id)
    whole = request.args.get("whole") == "1"
    return render_template(
        "instructor/similarity_pair.html",
        exercise=exercise,
        a=a,
        b=b,
        detail=similarity_pairs.pair_detail(exercise.slug, a, b, context=None if whole else CONTEXT_LINES),
        whole=whole,
        owners={s.id: db.session.get(User, s.user_id) for s in (a, b)},
    )
