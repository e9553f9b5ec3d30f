"""The gradebook and item analysis as JSON, for instructors only."""

from __future__ import annotations

from dataclasses import asdict

from flask import current_app, jsonify, request
from flask.typing import ResponseReturnValue

from quizapp.api import bp
from quizapp.api.auth import instructor_required
from quizapp.content.quizzes import get_quiz
from quizapp.errors import BadRequest, NotFound
from quizapp.instructor import catalogue
from quizapp.services import exercise_analytics, gradebook, quiz_statistics
from quizapp.services.item_analysis import Which


@bp.get("/gradebook")
@instructor_required
def get_gradebook() -> ResponseReturnValue:
    """Every student's best quiz score, best score per exercise (null where nothing) and total, ranked.

    Scores count late penalties; ``?details=1`` adds each student's raw scores, days late and extensions.
    """
    rows = gradebook.build_gradebook(catalogue.exercise_slugs(), catalogue.quiz_slugs())
    flag = request.args.get("details", "0")
    if flag not in ("0", "1", "true", "false", "yes", "no"):
        raise BadRequest('"details" is 1/true/yes or 0/false/no.', code="bad_parameter")
    details = flag in ("1", "true", "yes")
    # Keep the exercises in catalogue order rather than the app's default sorted keys.
    body = current_app.json.dumps({"students": [row.to_json(details) for row in rows]}, sort_keys=False)
    return current_app.response_class(body + "\n", mimetype="application/json")


@bp.get("/quizzes/<slug>/item-analysis")
@instructor_required
def get_item_analysis(slug: str) -> ResponseReturnValue:
    """Facility, discrimination, distractors and flags per question; ``?attempts=first`` or ``best``."""
    chosen = request.args.getlist("attempts")
    if len(chosen) > 1 or (chosen and chosen[0] not in ("best", "first")):
        raise BadRequest('"attempts" is "best" (the default) or "first".', code="bad_parameter")
    which: Which = "first" if chosen == ["first"] else "best"
    analysis = quiz_statistics.analyse_quiz(get_quiz(slug), which)
    return jsonify({"quiz": slug, "attempts": which, **asdict(analysis)})


@bp.get("/exercises/<slug>/analytics")
@instructor_required
def get_exercise_analytics(slug: str) -> ResponseReturnValue:
    """Case failure rates, common named mistakes and attempts until the first pass."""
    if slug not in catalogue.exercise_slugs():
        raise NotFound(f"There is no exercise {slug!r}.", code="unknown_exercise")
    return jsonify(asdict(exercise_analytics.analyse_exercise(slug, catalogue.mistake_messages(slug))))
