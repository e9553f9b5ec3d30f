"""The gradebook: every student's best quiz score, best score per exercise, and total, late penalties applied.

* **quiz** — for each quiz, the best counted score among the student's submitted attempts; summed over
  the quizzes asked for. ``None`` when the student has submitted no attempt.
* **exercises** — for each exercise, the best counted score over the student's graded submissions
  (``Submission.score`` mirrors the latest grading, regrade or override). ``None`` when nothing is graded.
* **counted score** — ``score × max(0, 1 − late_penalty_per_day × days_late)``, with the lateness stored
  on the submission or attempt when it arrived. The raw score of the counted work is kept alongside, so
  pages can show both where they differ.
* **total** — quiz plus exercise points, with missing parts counting as 0.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import QuizAttempt, Submission, User
from quizapp.services import extensions, schedules

SORT_KEYS = ("rank", "email", "quiz", "total")
SCORE_DIGITS = 6


@dataclass(frozen=True)
class Cell:
    """The work that counts for one student and one quiz or exercise."""

    raw: float
    counted: float
    days_late: int


@dataclass(frozen=True)
class GradebookRow:
    """One student's line in the gradebook (scores are the counted, penalised ones)."""

    user_id: int
    email: str
    quiz: float | None
    exercises: dict[str, float | None]
    rank: int = 0
    raw_quiz: float | None = None
    raw_exercises: dict[str, float | None] = field(default_factory=dict)
    days_late: dict[str, int] = field(default_factory=dict)
    extended: frozenset[str] = frozenset()

    @property
    def total(self) -> float:
        """Quiz plus exercise points; nothing done counts as 0."""
        parts = [self.quiz, *self.exercises.values()]
        return round(float(sum(p for p in parts if p is not None)), SCORE_DIGITS)

    @property
    def raw_total(self) -> float:
        """The total before late penalties."""
        parts = [self.raw_quiz, *self.raw_exercises.values()]
        return round(float(sum(p for p in parts if p is not None)), SCORE_DIGITS)

    @property
    def late(self) -> bool:
        """Whether any counted work was late."""
        return any(days > 0 for days in self.days_late.values())

    def penalised(self, slug: str) -> bool:
        """Whether the late penalty changed this exercise's score."""
        raw, counted = self.raw_exercises.get(slug), self.exercises.get(slug)
        return raw is not None and counted is not None and abs(raw - counted) > 1e-9

    def to_json(self, details: bool = False) -> dict[str, Any]:
        """The row as the API returns it: exactly the contract's keys, plus (``details``) the raw scores
        before late penalties, the days late of the counted work and the slugs with an extension."""
        data: dict[str, Any] = {
            "email": self.email,
            "quiz": self.quiz,
            "exercises": dict(self.exercises),
            "total": self.total,
        }
        if details:
            data["raw"] = {
                "quiz": self.raw_quiz,
                "exercises": dict(self.raw_exercises),
                "total": self.raw_total,
            }
            data["days_late"] = dict(self.days_late)
            data["extensions"] = sorted(self.extended)
        return data


def _best(cells: Iterable[Cell]) -> Cell | None:
    """The work that counts most after its penalty (on ties, the less late, then the higher raw)."""
    return max(cells, key=lambda c: (c.counted, -c.days_late, c.raw), default=None)


def _cell(score: float, days_late: int, penalty: float) -> Cell:
    counted = round(float(score) * schedules.penalty_factor(penalty, days_late), SCORE_DIGITS)
    return Cell(raw=float(score), counted=counted, days_late=int(days_late))


def _penalties() -> dict[str, float]:
    return {w.slug: w.late_penalty_per_day for w in schedules.all_windows()}


def quiz_cells(quiz_slugs: Sequence[str]) -> dict[int, dict[str, Cell]]:
    """Per student and quiz, the submitted attempt that counts most after its late penalty."""
    penalties = _penalties()
    rows = db.session.execute(
        select(QuizAttempt.user_id, QuizAttempt.quiz_slug, QuizAttempt.score, QuizAttempt.days_late).where(
            QuizAttempt.status == "submitted",
            QuizAttempt.score.is_not(None),
            QuizAttempt.quiz_slug.in_(list(quiz_slugs)),
        )
    )
    found: dict[tuple[int, str], list[Cell]] = {}
    for user_id, slug, score, days_late in rows:
        found.setdefault((user_id, slug), []).append(_cell(score, days_late, penalties.get(slug, 0.0)))
    cells: dict[int, dict[str, Cell]] = {}
    for (user_id, slug), options in found.items():
        best = _best(options)
        if best is not None:
            cells.setdefault(user_id, {})[slug] = best
    return cells


def exercise_cells(exercise_slugs: Sequence[str]) -> dict[int, dict[str, Cell]]:
    """Per student and exercise, the graded submission that counts most after its late penalty."""
    penalties = _penalties()
    rows = db.session.execute(
        select(Submission.user_id, Submission.exercise_slug, Submission.score, Submission.days_late).where(
            Submission.score.is_not(None), Submission.exercise_slug.in_(list(exercise_slugs))
        )
    )
    found: dict[tuple[int, str], list[Cell]] = {}
    for user_id, slug, score, days_late in rows:
        found.setdefault((user_id, slug), []).append(_cell(score, days_late, penalties.get(slug, 0.0)))
    cells: dict[int, dict[str, Cell]] = {}
    for (user_id, slug), options in found.items():
        best = _best(options)
        if best is not None:
            cells.setdefault(user_id, {})[slug] = best
    return cells


def best_quiz_scores(quiz_slugs: Sequence[str]) -> dict[int, float]:
    """Per student, the sum over these quizzes of their best counted (penalised) score."""
    return {
        user_id: round(sum(c.counted for c in by_slug.values()), SCORE_DIGITS)
        for user_id, by_slug in quiz_cells(quiz_slugs).items()
    }


def best_exercise_scores(exercise_slugs: Sequence[str]) -> dict[int, dict[str, float]]:
    """Per student and exercise, the best counted (penalised) score over their graded submissions."""
    return {
        user_id: {slug: c.counted for slug, c in by_slug.items()}
        for user_id, by_slug in exercise_cells(exercise_slugs).items()
    }


def build_gradebook(exercise_slugs: Sequence[str], quiz_slugs: Sequence[str]) -> list[GradebookRow]:
    """Every student, ranked by total (highest first; ties share a rank and are listed by email)."""
    students = db.session.execute(select(User.id, User.email).where(User.role == "student")).all()
    quizzes = quiz_cells(quiz_slugs)
    work = exercise_cells(exercise_slugs)
    extended = extensions.extended_pairs()
    rows = []
    for user_id, email in students:
        quiz_parts = list(quizzes.get(user_id, {}).values())
        mine = work.get(user_id, {})
        late = {slug: c.days_late for slug, c in {**quizzes.get(user_id, {}), **mine}.items() if c.days_late}
        rows.append(
            GradebookRow(
                user_id=user_id,
                email=email,
                quiz=round(sum(c.counted for c in quiz_parts), SCORE_DIGITS) if quiz_parts else None,
                exercises={slug: mine[slug].counted if slug in mine else None for slug in exercise_slugs},
                raw_quiz=round(sum(c.raw for c in quiz_parts), SCORE_DIGITS) if quiz_parts else None,
                raw_exercises={slug: mine[slug].raw if slug in mine else None for slug in exercise_slugs},
                days_late=late,
                extended=frozenset(slug for uid, slug in extended if uid == user_id),
            )
        )
    return rank_rows(rows)


def filter_rows(
    rows: Iterable[GradebookRow], *, late: bool = False, extended: bool = False
) -> list[GradebookRow]:
    """Keep the students with late work (``late``) and/or an extension (``extended``)."""
    return [r for r in rows if (not late or r.late) and (not extended or r.extended)]


def rank_rows(rows: Iterable[GradebookRow]) -> list[GradebookRow]:
    """Sort by total descending then email, and number them with competition ranks (1, 2, 2, 4)."""
    ordered = sorted(rows, key=lambda r: (-r.total, r.email))
    ranked: list[GradebookRow] = []
    for position, row in enumerate(ordered, start=1):
        same_as_previous = ranked and ranked[-1].total == row.total
        rank = ranked[-1].rank if same_as_previous else position
        ranked.append(replace(row, rank=rank))
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
