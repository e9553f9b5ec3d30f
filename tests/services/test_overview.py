"""The overview: students, who started, quiz statistics over best scores, and per-exercise pass rates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from flask import Flask

from quizapp.services import overview
from tests.instructor import factories as f


@dataclass(frozen=True)
class Quiz:
    """A quiz as the overview sees it."""

    slug: str = "rnn-week1"
    title: str = "Week 1"
    max_score: float = 10.0
    pass_score: float = 8.0


@dataclass(frozen=True)
class Exercise:
    """An exercise as the overview sees it."""

    slug: str
    title: str = ""


def populate() -> None:
    """Four students (one idle) and an instructor whose own tries must not count.

    Best quiz scores: ann 10 (after a 6), bob 9, cy 4 → mean 23/3, median 9, pass rate (≥ 8) 2/3.
    rnn_cell_forward: ann failed then passed, bob failed → 3 graded, 1 passed; students 2, passed 1.
    """
    ann, bob, cy = f.user("ann@example.com"), f.user("bob@example.com"), f.user("cy@example.com")
    f.user("dee@example.com")
    teacher = f.user("teacher@example.com", role="instructor")
    f.attempt(ann, {"q1": (["a"], 6.0)})
    f.attempt(ann, {"q1": (["a"], 10.0)}, started=f.T0 + timedelta(hours=1))
    f.attempt(bob, {"q1": (["a"], 9.0)})
    f.attempt(cy, {"q1": (["a"], 4.0)})
    f.attempt(cy, {}, status="open", started=f.T0 + timedelta(hours=2))
    f.attempt(teacher, {"q1": (["a"], 1.0)})
    slug = "rnn_cell_forward"
    f.graded(ann, slug, f.verdict(slug, "failed", 5.0))
    f.graded(ann, slug, f.verdict(slug, "passed", 10.0), at=f.T0 + timedelta(days=2))
    f.graded(bob, slug, f.verdict(slug, "failed", 2.0))
    f.queued(bob, slug, at=f.T0 + timedelta(days=2))
    f.graded(teacher, slug, f.verdict(slug, "passed", 10.0))


def test_counts_and_quiz_statistics(app: Flask) -> None:
    """Students 4, started 3; mean 23/3, median 9, pass rate 2/3; 4 submitted + 1 open student attempts."""
    with app.app_context():
        populate()
        view = overview.build_overview([Quiz()], [Exercise("rnn_cell_forward"), Exercise("clip")])
    assert (view.students, view.started) == (4, 3)
    quiz = view.quizzes[0]
    assert quiz.best_scores == [4.0, 9.0, 10.0]
    assert quiz.mean == pytest.approx(23 / 3)
    assert quiz.median == 9.0
    assert quiz.pass_rate == pytest.approx(2 / 3)
    assert (quiz.attempts, quiz.open_attempts, view.quiz_attempts) == (4, 1, 5)


def test_exercise_pass_rates(app: Flask) -> None:
    """rnn_cell_forward: 4 submissions, 3 graded, 1 passed; 2 students, 1 passed; clip untouched."""
    with app.app_context():
        populate()
        view = overview.build_overview([Quiz()], [Exercise("rnn_cell_forward"), Exercise("clip")])
    cell, clip = view.exercises
    assert (cell.submissions, cell.graded, cell.passed_submissions) == (4, 3, 1)
    assert (cell.students, cell.passed_students) == (2, 1)
    assert cell.pass_rate == pytest.approx(0.5)
    assert cell.submission_pass_rate == pytest.approx(1 / 3)
    assert (clip.submissions, clip.pass_rate, clip.submission_pass_rate) == (0, None, None)


def test_submissions_per_day_fills_empty_days(app: Flask) -> None:
    """Students sent two submissions on day 0 (ann, bob) and two on day 2 (ann's pass, bob's queued one)."""
    with app.app_context():
        populate()
        days = overview.submissions_per_day(overview._student_ids())
    assert [(d.isoformat(), n) for d, n in days] == [("2026-03-02", 2), ("2026-03-03", 0), ("2026-03-04", 2)]


def test_empty_course(app: Flask) -> None:
    """With no students, every statistic is empty rather than an error."""
    with app.app_context():
        view = overview.build_overview([Quiz()], [Exercise("clip")])
    assert (view.students, view.started, view.per_day) == (0, 0, [])
    assert view.quizzes[0].mean is None and view.quizzes[0].pass_rate is None
