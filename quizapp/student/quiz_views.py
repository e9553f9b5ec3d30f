"""Quiz pages: overview, taking an attempt (works without JavaScript) and the review after submitting."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from quizapp.content.quizzes import get_quiz
from quizapp.errors import Closed, Conflict, TooManyRequests
from quizapp.services import quizzes as service
from quizapp.student import bp


@bp.app_context_processor
def quiz_list_context() -> dict[str, Any]:
    """Lets the course page's quiz section (templates/student/_quiz_list.html) load its summaries lazily."""

    def quiz_summaries() -> list[service.QuizSummary]:
        return service.summaries(current_user.id) if current_user.is_authenticated else []

    return {"quiz_summaries": quiz_summaries}


@bp.get("/quizzes/<slug>")
@login_required
def quiz_page(slug: str) -> str:
    """A quiz's description, rules and the student's attempts, with a start or continue button."""
    quiz = get_quiz(slug)
    summary = next(s for s in service.summaries(current_user.id) if s.quiz.slug == quiz.slug)
    return render_template("student/quiz.html", quiz=quiz, summary=summary)


@bp.post("/quizzes/<slug>/attempts")
@login_required
def start_quiz(slug: str) -> Response:
    """Start a new attempt and go to it; past the limit, explain when the next attempt frees up."""
    quiz = get_quiz(slug)
    try:
        attempt = service.start_attempt(current_user.id, quiz)
    except TooManyRequests as error:
        flash(error.message + _retry_text(error.retry_after), "error")
        return redirect(url_for("student.quiz_page", slug=slug), code=303)
    except Closed as error:  # outside the schedule's window: say so on the quiz page
        flash(error.message, "error")
        return redirect(url_for("student.quiz_page", slug=slug), code=303)
    return redirect(url_for("student.quiz_attempt", attempt_id=attempt.id), code=303)


def _retry_text(seconds: int | None) -> str:
    if not seconds:
        return ""
    hours, rest = divmod(seconds, 3600)
    minutes = -(-rest // 60)
    if minutes == 60:
        hours, minutes = hours + 1, 0
    parts = ([f"{hours} h"] if hours else []) + ([f"{minutes} min"] if minutes else [])
    return f" You can start another in {' '.join(parts)}."


@bp.get("/quizzes/attempts/<int:attempt_id>")
@login_required
def quiz_attempt(attempt_id: int) -> str | Response:
    """The questions of an open attempt in its own order, with the saved answers ticked."""
    attempt = service.load_attempt(current_user.id, attempt_id)
    if attempt.status != "open":
        return redirect(url_for("student.quiz_review", attempt_id=attempt.id))
    quiz = get_quiz(attempt.quiz_slug)
    return render_template(
        "student/quiz_attempt.html",
        quiz=quiz,
        attempt=attempt,
        items=service.ordered_questions(attempt, quiz),
        answers=service.saved_answers(attempt),
    )


@bp.post("/quizzes/attempts/<int:attempt_id>")
@login_required
def quiz_attempt_post(attempt_id: int) -> Response:
    """Save or submit the whole form (the no-JavaScript path); unticked questions are saved as empty."""
    attempt = service.load_attempt(current_user.id, attempt_id)
    quiz = get_quiz(attempt.quiz_slug)
    answers = {question.id: request.form.getlist(question.id) for question in quiz.questions}
    try:
        if request.form.get("action") == "submit":
            service.submit_attempt(current_user.id, attempt_id, answers)
            return redirect(url_for("student.quiz_review", attempt_id=attempt_id), code=303)
        service.save_answers(current_user.id, attempt_id, answers)
    except Conflict as error:
        flash(error.message, "error")
        return redirect(url_for("student.quiz_review", attempt_id=attempt_id), code=303)
    flash("Your answers are saved. You can come back and finish later.", "success")
    return redirect(url_for("student.quiz_attempt", attempt_id=attempt_id), code=303)


@bp.get("/quizzes/attempts/<int:attempt_id>/review")
@login_required
def quiz_review(attempt_id: int) -> str | Response:
    """The submitted attempt: score, each question right or wrong, explanations and feedback."""
    attempt = service.load_attempt(current_user.id, attempt_id)
    if attempt.status == "open":
        return redirect(url_for("student.quiz_attempt", attempt_id=attempt.id))
    quiz = get_quiz(attempt.quiz_slug)
    result = service.attempt_result(attempt, quiz)
    results = {item.question: item for item in result.results}
    return render_template(
        "student/quiz_review.html",
        quiz=quiz,
        attempt=attempt,
        result=result,
        items=[(q, options, results[q.id]) for q, options in service.ordered_questions(attempt, quiz)],
    )
