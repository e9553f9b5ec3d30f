"""Loads students' quiz attempts and runs the (pure) item analysis on them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from quizapp.extensions import db
from quizapp.models import QuizAttempt, User
from quizapp.services import item_analysis
from quizapp.services.item_analysis import QuestionLike, QuizAnalysis, Which


class _Quiz(Protocol):
    @property
    def slug(self) -> str: ...
    @property
    def questions(self) -> Sequence[QuestionLike]: ...


def student_attempts(quiz_slug: str) -> list[tuple[QuizAttempt, str]]:
    """Every submitted attempt of a quiz by a student, with the student's email, answers loaded."""
    rows = db.session.execute(
        select(QuizAttempt, User.email)
        .join(User, User.id == QuizAttempt.user_id)
        .where(QuizAttempt.quiz_slug == quiz_slug, QuizAttempt.status == "submitted", User.role == "student")
        .options(selectinload(QuizAttempt.answers))
        .order_by(QuizAttempt.id)
    ).all()
    return [(attempt, email) for attempt, email in rows]


def analyse_quiz(quiz: _Quiz, which: Which) -> QuizAnalysis:
    """Item analysis over each student's first or best submitted attempt."""
    attempts = student_attempts(quiz.slug)
    emails = {attempt.user_id: email for attempt, email in attempts}
    chosen = item_analysis.choose_attempts([attempt for attempt, _ in attempts], which)
    sittings = [item_analysis.sitting_from_attempt(a, emails[a.user_id]) for a in chosen]
    return item_analysis.analyse(item_analysis.specs_from_questions(quiz.questions), sittings)
