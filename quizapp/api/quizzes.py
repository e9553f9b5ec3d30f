"""Quiz endpoints: the catalogue, a quiz without its answers, attempts, autosave and submission."""

from __future__ import annotations

from typing import Any

from flask import jsonify
from flask.typing import ResponseReturnValue

from quizapp.api import bp
from quizapp.api.auth import api_user, json_body, login_required
from quizapp.content.quizzes import Option, Question, QuizDefinition, all_quizzes, get_quiz
from quizapp.models import QuizAttempt
from quizapp.services import quizzes as service


def question_json(question: Question, options: list[Option] | tuple[Option, ...]) -> dict[str, Any]:
    """A question as students see it before submitting: no key, no feedback, no explanation."""
    return {
        "id": question.id,
        "kind": question.kind,
        "points": question.points,
        "prompt_html": question.prompt_html,
        "options": [{"id": option.id, "html": option.html} for option in options],
    }


def settings_json(quiz: QuizDefinition) -> dict[str, Any]:
    """The attempt policy a student may know in advance."""
    settings = quiz.settings
    return {
        "max_attempts": settings.max_attempts,
        "window_hours": settings.window_hours,
        "time_limit_minutes": settings.time_limit_minutes,
        "pass_mark": settings.pass_mark,
        "counted_score": settings.counted_score,
        "review": settings.review,
        "scoring": quiz.scoring,
    }


def attempt_json(attempt: QuizAttempt, quiz: QuizDefinition) -> dict[str, Any]:
    """An attempt with its questions in its own shuffled order and its saved answers."""
    data: dict[str, Any] = {
        "id": attempt.id,
        "quiz": attempt.quiz_slug,
        "status": attempt.status,
        "started_at": attempt.started_at.isoformat(),
        "deadline_at": attempt.deadline_at.isoformat() if attempt.deadline_at else None,
        "questions": [question_json(q, options) for q, options in service.ordered_questions(attempt, quiz)],
        "answers": service.saved_answers(attempt),
        "late": attempt.days_late > 0,
        "days_late": attempt.days_late,
    }
    if attempt.status == "submitted":
        data["result"] = service.attempt_result(attempt, quiz).to_dict()
    return data


@bp.get("/quizzes")
@login_required
def list_quizzes() -> ResponseReturnValue:
    """Every quiz: slug, title and number of questions."""
    return jsonify(
        [
            {"slug": q.slug, "title": q.title, "question_count": len(q.questions), "max_score": q.max_score}
            for q in all_quizzes().values()
        ]
    )


@bp.get("/quizzes/<slug>")
@login_required
def show_quiz(slug: str) -> ResponseReturnValue:
    """One quiz in file order, never with answers or explanations."""
    quiz = get_quiz(slug)
    return jsonify(
        {
            "slug": quiz.slug,
            "title": quiz.title,
            "description_html": quiz.description_html,
            "max_score": quiz.max_score,
            "settings": settings_json(quiz),
            "questions": [question_json(q, q.options) for q in quiz.questions],
        }
    )


@bp.post("/quizzes/<slug>/attempts")
@login_required
def start_attempt(slug: str) -> ResponseReturnValue:
    """Start an attempt (201) with this attempt's own option order; 429 past the attempt limit."""
    quiz = get_quiz(slug)
    attempt = service.start_attempt(api_user().id, quiz)
    return jsonify(attempt_json(attempt, quiz)), 201


@bp.get("/attempts/<int:attempt_id>")
@login_required
def show_attempt(attempt_id: int) -> ResponseReturnValue:
    """The caller's attempt with its saved answers (and its result once submitted)."""
    attempt = service.load_attempt(api_user().id, attempt_id)
    return jsonify(attempt_json(attempt, get_quiz(attempt.quiz_slug)))


@bp.put("/attempts/<int:attempt_id>/answers")
@login_required
def save_answers(attempt_id: int) -> ResponseReturnValue:
    """Autosave some or all answers without submitting; 409 once the attempt is closed."""
    answers = service.parse_answers(json_body().get("answers"))
    saved = service.save_answers(api_user().id, attempt_id, answers)
    return jsonify({"id": saved.attempt_id, "status": saved.status, "answers": saved.answers})


@bp.post("/attempts/<int:attempt_id>/submit")
@login_required
def submit_attempt(attempt_id: int) -> ResponseReturnValue:
    """Submit (merging optional answers over the saved ones); submitting again returns the same result."""
    body = json_body(required=False)
    answers = service.parse_answers(body["answers"]) if "answers" in body else None
    result = service.submit_attempt(api_user().id, attempt_id, answers)
    return jsonify(result.to_dict())
