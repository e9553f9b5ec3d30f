"""The dashboard overview: who has started, how the quizzes went, and how each exercise is going."""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol

from sqlalchemy import ColumnElement, distinct, select

from quizapp.extensions import db
from quizapp.models import QuizAttempt, Submission, User

MAX_DAYS_SHOWN = 90


class QuizInfo(Protocol):
    """What the overview needs to know about a quiz."""

    @property
    def slug(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def max_score(self) -> float: ...
    @property
    def pass_score(self) -> float: ...


class ExerciseInfo(Protocol):
    """What the overview needs to know about an exercise."""

    @property
    def slug(self) -> str: ...
    @property
    def title(self) -> str: ...


@dataclass(frozen=True)
class QuizSummary:
    """How one quiz went, over each student's best submitted attempt."""

    slug: str
    title: str
    max_score: float
    pass_score: float
    attempts: int
    open_attempts: int
    students: int
    best_scores: list[float]
    mean: float | None
    median: float | None
    pass_rate: float | None


@dataclass(frozen=True)
class ExerciseSummary:
    """How one exercise is going: submissions, and who has passed it (a ``passed`` verdict)."""

    slug: str
    title: str
    submissions: int
    graded: int
    passed_submissions: int
    students: int
    passed_students: int

    @property
    def submission_pass_rate(self) -> float | None:
        """Share of graded submissions whose verdict is ``passed``."""
        return self.passed_submissions / self.graded if self.graded else None

    @property
    def pass_rate(self) -> float | None:
        """Share of the students who submitted that have passed."""
        return self.passed_students / self.students if self.students else None


@dataclass(frozen=True)
class Overview:
    """Everything on the dashboard's front page."""

    students: int
    started: int
    quizzes: list[QuizSummary]
    exercises: list[ExerciseSummary]
    per_day: list[tuple[date, int]]

    @property
    def quiz_attempts(self) -> int:
        """Quiz attempts of every kind and status."""
        return sum(q.attempts + q.open_attempts for q in self.quizzes)


def _student_ids() -> set[int]:
    return set(db.session.scalars(select(User.id).where(User.role == "student")))


def started_count(students: set[int]) -> int:
    """How many students have begun a quiz attempt or sent a submission."""
    quiz_takers = set(db.session.scalars(select(distinct(QuizAttempt.user_id))))
    submitters = set(db.session.scalars(select(distinct(Submission.user_id))))
    return len(students & (quiz_takers | submitters))


def quiz_summary(quiz: QuizInfo, students: set[int]) -> QuizSummary:
    """Attempt counts, and mean, median and pass rate of the students' best scores."""
    rows = db.session.execute(
        select(QuizAttempt.user_id, QuizAttempt.status, QuizAttempt.score).where(
            QuizAttempt.quiz_slug == quiz.slug
        )
    ).all()
    rows = [r for r in rows if r.user_id in students]
    best: dict[int, float] = {}
    for user_id, status, score in rows:
        if status == "submitted" and score is not None:
            best[user_id] = max(best.get(user_id, score), score)
    scores = sorted(best.values())
    return QuizSummary(
        slug=quiz.slug,
        title=quiz.title,
        max_score=quiz.max_score,
        pass_score=quiz.pass_score,
        attempts=sum(1 for r in rows if r.status == "submitted"),
        open_attempts=sum(1 for r in rows if r.status != "submitted"),
        students=len(scores),
        best_scores=scores,
        mean=statistics.fmean(scores) if scores else None,
        median=statistics.median(scores) if scores else None,
        pass_rate=sum(1 for s in scores if s >= quiz.pass_score - 1e-9) / len(scores) if scores else None,
    )


def verdict_status(model: type[Submission]) -> ColumnElement[str]:
    """The ``status`` inside the stored verdict JSON, as SQL (works on SQLite and PostgreSQL)."""
    status: ColumnElement[str] = model.verdict["status"].as_string()
    return status


def exercise_summary(exercise: ExerciseInfo, students: set[int]) -> ExerciseSummary:
    """Submission and pass counts for one exercise, counting students only."""
    rows = db.session.execute(
        select(Submission.user_id, Submission.status, verdict_status(Submission)).where(
            Submission.exercise_slug == exercise.slug
        )
    ).all()
    rows = [r for r in rows if r.user_id in students]
    graded = [r for r in rows if r.status == "graded"]
    passed = [r for r in graded if r[2] == "passed"]
    return ExerciseSummary(
        slug=exercise.slug,
        title=exercise.title,
        submissions=len(rows),
        graded=len(graded),
        passed_submissions=len(passed),
        students=len({r.user_id for r in rows}),
        passed_students=len({r.user_id for r in passed}),
    )


def submissions_per_day(students: set[int], max_days: int = MAX_DAYS_SHOWN) -> list[tuple[date, int]]:
    """Submissions per UTC day from the first to the last, empty days included (the latest ``max_days``)."""
    stamps = db.session.execute(select(Submission.user_id, Submission.queued_at)).all()
    counts = Counter(queued.date() for user_id, queued in stamps if user_id in students)
    if not counts:
        return []
    last = max(counts)
    first = max(min(counts), last - timedelta(days=max_days - 1))
    days = (last - first).days + 1
    return [(first + timedelta(days=i), counts.get(first + timedelta(days=i), 0)) for i in range(days)]


def build_overview(quizzes: Sequence[QuizInfo], exercises: Sequence[ExerciseInfo]) -> Overview:
    """The overview over every student account (instructors' own tries are left out)."""
    students = _student_ids()
    return Overview(
        students=len(students),
        started=started_count(students),
        quizzes=[quiz_summary(q, students) for q in quizzes],
        exercises=[exercise_summary(e, students) for e in exercises],
        per_day=submissions_per_day(students),
    )
