"""Item analysis of a quiz and analytics of an exercise."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from quizapp import charts
from quizapp.auth.guards import instructor_page
from quizapp.content.quizzes import get_quiz
from quizapp.errors import NotFound
from quizapp.grading import dispatch
from quizapp.instructor import bp, catalogue
from quizapp.instructor.forms import ActionForm
from quizapp.services import exercise_analytics, item_analysis, quiz_statistics, submissions


@bp.get("/quizzes/<slug>")
@instructor_page
def quiz_analysis(slug: str) -> str:
    """Facility, discrimination, distractors and flags over first or best attempts (``?attempts=``)."""
    quiz = get_quiz(slug)
    which: item_analysis.Which = "first" if request.args.get("attempts") == "first" else "best"
    analysis = quiz_statistics.analyse_quiz(quiz, which)
    return render_template(
        "instructor/quiz.html",
        quiz=quiz,
        which=which,
        analysis=analysis,
        questions={q.id: q for q in quiz.questions},
        low=item_analysis.LOW_DISCRIMINATION,
    )


@bp.get("/exercises/<slug>")
@instructor_page
def exercise_page(slug: str) -> str:
    """Case failure rates, common named mistakes and attempts until the first pass."""
    entry = next((e for e in catalogue.exercises() if e.slug == slug), None)
    if entry is None:
        raise NotFound(f"There is no exercise {slug!r}.", code="unknown_exercise")
    result = exercise_analytics.analyse_exercise(slug, catalogue.mistake_messages(slug))
    chart = charts.attempts_chart(result.attempts_to_pass, result.never_passed) if result.graded else None
    return render_template(
        "instructor/exercise.html",
        exercise=entry,
        result=result,
        chart=chart,
        action_form=ActionForm(),
        regradable=submissions.regradable_count(slug),
    )


@bp.post("/exercises/<slug>/regrade")
@instructor_page
def regrade_exercise(slug: str) -> Response:
    """Queue every graded submission to the exercise for a regrade (after its reference or cases changed)."""
    here = url_for("instructor.exercise_page", slug=slug)
    if not ActionForm().validate_on_submit():
        flash("The form expired; please try again.", "error")
        return redirect(here)
    ids = submissions.regrade_exercise(slug, current_user._get_current_object(), request.form.get("reason"))
    dispatch(ids)
    flash(f"{len(ids)} submission{'' if len(ids) == 1 else 's'} queued for a regrade.", "success")
    return redirect(here)
