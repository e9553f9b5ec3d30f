"""What the course offers, as the dashboard lists it: quizzes, and exercises in catalogue order."""

from __future__ import annotations

import graders
from quizapp.content.quizzes import QuizDefinition, all_quizzes
from quizapp.services.exercises import ExerciseInfo, catalogue


def quizzes() -> list[QuizDefinition]:
    """Every quiz, in file order."""
    return list(all_quizzes().values())


def quiz_slugs() -> list[str]:
    """The quiz slugs."""
    return [quiz.slug for quiz in quizzes()]


def exercises() -> list[ExerciseInfo]:
    """Every exercise in catalogue order (the contract's eight first), as the exercise pages list them."""
    return catalogue()


def exercise_slugs() -> list[str]:
    """The exercise slugs in catalogue order: the gradebook's columns."""
    return [entry.slug for entry in exercises()]


def mistake_messages(slug: str) -> dict[str, str]:
    """The explanation of each named mistake of an exercise, by id (loaded on the trusted side)."""
    try:
        content = graders.get_exercise(slug).content()
    except (graders.UnknownExercise, graders.CatalogueError):
        return {}
    return {m.id: m.message for m in content.mistakes}
