"""Item analysis on stored attempts: one sitting per student, first or best, students only."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask

from quizapp.content.quizzes import get_quiz
from quizapp.services import quiz_statistics
from tests.instructor import factories as f


def test_first_and_best_attempts_give_different_figures(app: Flask) -> None:
    """Ann got q1 wrong first and right later; Bob got it right once: facility 50% first, 100% best."""
    with app.app_context():
        ann, bob = f.user("ann@example.com"), f.user("bob@example.com")
        teacher = f.user("teacher@example.com", role="instructor")
        f.attempt(ann, {"q1": (["b"], 0.0), "q2": (["a"], 1.0)})
        f.attempt(ann, {"q1": (["a"], 1.0), "q2": (["a"], 1.0)}, started=f.T0 + timedelta(hours=1))
        f.attempt(ann, {"q1": (["c"], 0.0)}, status="open", started=f.T0 + timedelta(hours=2))
        f.attempt(bob, {"q1": (["a"], 1.0), "q2": (["b"], 0.0)})
        f.attempt(teacher, {"q1": (["d"], 0.0)})
        quiz = get_quiz("rnn-week1")
        first = {i.id: i for i in quiz_statistics.analyse_quiz(quiz, "first").items}
        best = {i.id: i for i in quiz_statistics.analyse_quiz(quiz, "best").items}
        students = quiz_statistics.analyse_quiz(quiz, "best").students
    assert students == 2
    assert first["q1"].facility == pytest.approx(50.0)
    assert best["q1"].facility == pytest.approx(100.0)
    assert [row.count for row in first["q1"].options] == [1, 1, 0, 0]  # a: bob, b: ann's first try
    assert best["q10"].blank == 2 and best["q10"].facility == 0.0
