"""The gradebook: every student's best quiz score, best score per exercise, and total.

* **quiz** — for each quiz, the best score among the student's submitted attempts; summed over the
  quizzes asked for. ``None`` when the student has submitted no attempt.
* **exercises** — for each exercise, the best ``Submission.score`` over the student's submissions (that
  score mirrors the latest grading, regrade or override). ``None`` when nothing has been graded.
* **total** — quiz plus exercise points, with missing parts counting as 0.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.models import QuizAttempt, Submission, User

SORT_KEYS = ("rank", "email", "quiz", "total")


@dataclass(frozen=True)
class GradebookRow:
    """One student's line in the gradebook."""

    user_id: int
    email: str
    quiz: float | None
    exercises: dict[str, float | None]
    rank: int = 0

    @property
    def total(self) -> float:
        """Quiz plus exercise points; nothing done counts as 0."""
        parts = [self.quiz, *self.exercises.values()]
        return round(float(sum(p for p in parts if p is not None)), 6)

    def to_json(self) -> dict[str, Any]:
        """The row as the API returns it."""
        return {
            "email": self.email,
            "quiz": self.quiz,
            "exercises": dict(self.exercises),
            "total": self.total,
        }


def best_quiz_scores(quiz_slugs: Sequence[str]) -> dict[int, float]:
    """Per student, the sum over these quizzes of their best submitted score."""
    best = (
        select(QuizAttempt.user_id, QuizAttempt.quiz_slug, func.max(QuizAttempt.score).label("best"))
        .where(
            QuizAttempt.status == "submitted",
            QuizAttempt.score.is_not(None),
            QuizAttempt.quiz_slug.in_(list(quiz_slugs)),
        )
        .group_by(QuizAttempt.user_id, QuizAttempt.quiz_slug)
    )
    scores: dict[int, float] = {}
    for user_id, _slug, score in db.session.execute(best):
        scores[user_id] = scores.get(user_id, 0.0) + float(score)
    return scores


def best_exercise_scores(exercise_slugs: Sequence[str]) -> dict[int, dict[str, float]]:
    """Per student and exercise, the best current score over their graded submissions."""
    best = (
        select(Submission.user_id, Submission.exercise_slug, func.max(Submission.score))
        .where(Submission.score.is_not(None), Submission.exercise_slug.in_(list(exercise_slugs)))
        .group_by(Submission.user_id, Submission.exercise_slug)
    )
    scores: dict[int, dict[str, float]] = {}
    for user_id, slug, score in db.session.execute(best):
        scores.setdefault(user_id, {})[slug] = float(score)
    return scores


def build_gradebook(exercise_slugs: Sequence[str], quiz_slugs: Sequence[str]) -> list[GradebookRow]:
    """Every student, ranked by total (highest first; ties share a rank and are listed by email)."""
    students = db.session.execute(select(User.id, User.email).where(User.role == "student")).all()
    quiz = best_quiz_scores(quiz_slugs)
    exercises = best_exercise_scores(exercise_slugs)
    rows = [
        GradebookRow(
            user_id=user_id,
            email=email,
            quiz=quiz.get(user_id),
            exercises={slug: exercises.get(user_id, {}).get(slug) for slug in exercise_slugs},
        )
        for user_id, email in students
    ]
    return rank_rows(rows)


def rank_rows(rows: Iterable[GradebookRow]) -> list[GradebookRow]:
    """Sort by total descending then email, and number them with competition ranks (1, 2, 2, 4)."""
    ordered = sorted(rows, key=lambda r: (-r.total, r.email))
    ranked: list[GradebookRow] = []
    for position, row in enumerate(ordered, start=1):
        same_as_previous = ranked and ranked[-1].total == row.total
        rank = ranked[-1].rank if same_as_previous else position
        ranked.append(GradebookRow(row.user_id, row.email, row.quiz, row.exercises, rank))
    return ranked


def search_rows(rows: Iterable[GradebookRow], query: str) -> list[GradebookRow]:
    """The rows whose email contains ``query`` (case-insensitive); all rows for an empty query."""
    needle = query.strip().lower()
    return [row for row in rows if needle in row.email.lower()]


def sort_rows(rows: Iterable[GradebookRow], key: str, descending: bool) -> list[GradebookRow]:
    """Sort by ``rank``, ``email``, ``quiz``, ``total`` or an exercise slug; empty cells always go last."""
    items = list(rows)

    def value(row: GradebookRow) -> Any:
        if key == "email":
            return row.email
        if key == "rank":
            return row.rank
        if key == "total":
            return row.total
        if key == "quiz":
            return row.quiz
        return row.exercises.get(key)

    present = [r for r in items if value(r) is not None]
    missing = [r for r in items if value(r) is None]
    present.sort(key=lambda r: r.email)  # stable tie order before the main sort
    present.sort(key=value, reverse=descending)
    return present + sorted(missing, key=lambda r: r.email)


def format_number(value: float | None) -> str:
    """A score for the CSV: empty when missing, no trailing ``.0`` on whole numbers."""
    if value is None:
        return ""
    value = round(value, 4)
    return str(int(value)) if value.is_integer() else repr(value)


def csv_safe(text: str) -> str:
    """Keep a spreadsheet from reading a cell as a formula (an email may start with ``=`` or ``+``)."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text


def gradebook_csv(rows: Iterable[GradebookRow], exercise_slugs: Sequence[str]) -> str:
    """The gradebook as CSV: ``email,quiz,<exercise slugs>,total``."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["email", "quiz", *exercise_slugs, "total"])
    for row in rows:
        writer.writerow(
            [
                csv_safe(row.email),
                format_number(row.quiz),
                *(format_number(row.exercises.get(slug)) for slug in exercise_slugs),
                format_number(row.total),
            ]
        )
    return buffer.getvalue()
