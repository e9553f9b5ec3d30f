"""The gradebook service: best scores, totals, ranking, sorting, search and CSV."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask

from quizapp.services import gradebook
from tests.instructor import factories as f

EXERCISES = ("rnn_cell_forward", "rnn_forward")
QUIZZES = ("rnn-week1",)


def build() -> dict[str, gradebook.GradebookRow]:
    """The gradebook keyed by email."""
    return {row.email: row for row in gradebook.build_gradebook(EXERCISES, QUIZZES)}


def test_best_submitted_quiz_attempt_counts(app: Flask) -> None:
    """The quiz column is the best submitted attempt; open attempts and other students do not count."""
    with app.app_context():
        ann = f.user("ann@example.com")
        f.attempt(ann, {"q1": (["a"], 6.0)})
        f.attempt(ann, {"q1": (["a"], 9.0)}, started=f.T0 + timedelta(hours=1))
        f.attempt(ann, {"q1": (["a"], 4.0)}, started=f.T0 + timedelta(hours=2))
        f.attempt(ann, {"q1": (["a"], 0.0)}, status="open", started=f.T0 + timedelta(hours=3))
        bob = f.user("bob@example.com")
        f.attempt(bob, {}, status="open")
        rows = build()
    assert rows["ann@example.com"].quiz == 9.0
    assert rows["bob@example.com"].quiz is None


def test_best_exercise_score_uses_current_scores_and_ignores_ungraded(app: Flask) -> None:
    """Each exercise shows the best current submission score; queued work and untouched exercises are null."""
    with app.app_context():
        ann = f.user("ann@example.com")
        f.graded(ann, "rnn_cell_forward", f.verdict("rnn_cell_forward", "failed", 4.0))
        f.graded(ann, "rnn_cell_forward", f.verdict("rnn_cell_forward", "failed", 7.5))
        f.queued(ann, "rnn_forward")
        f.graded(ann, "not_in_the_catalogue", f.verdict("not_in_the_catalogue", "passed", 10.0))
        row = build()["ann@example.com"]
    assert row.exercises == {"rnn_cell_forward": 7.5, "rnn_forward": None}
    assert row.total == 7.5


def test_total_ranks_and_nulls(app: Flask) -> None:
    """Totals add quiz and exercises; ties share a rank; a student who did nothing is last with total 0."""
    with app.app_context():
        ann, bob, cy = f.user("ann@example.com"), f.user("bob@example.com"), f.user("cy@example.com")
        f.user("teacher@example.com", role="instructor")
        f.attempt(ann, {"q1": (["a"], 10.0)})
        f.graded(ann, "rnn_cell_forward", f.verdict("rnn_cell_forward", "passed", 10.0))
        f.attempt(bob, {"q1": (["a"], 9.0)})
        f.graded(bob, "rnn_forward", f.verdict("rnn_forward", "failed", 5.0))
        f.attempt(cy, {"q1": (["a"], 4.0)})
        f.graded(cy, "rnn_cell_forward", f.verdict("rnn_cell_forward", "passed", 10.0))
        f.user("dee@example.com")
        rows = gradebook.build_gradebook(EXERCISES, QUIZZES)
    assert [(r.email, r.total, r.rank) for r in rows] == [
        ("ann@example.com", 20.0, 1),
        ("bob@example.com", 14.0, 2),
        ("cy@example.com", 14.0, 2),
        ("dee@example.com", 0.0, 4),
    ]
    dee = rows[-1].to_json()
    assert dee == {
        "email": "dee@example.com",
        "quiz": None,
        "exercises": {"rnn_cell_forward": None, "rnn_forward": None},
        "total": 0.0,
    }


def test_sort_puts_empty_cells_last_in_both_directions(app: Flask) -> None:
    """Sorting by a column orders by value either way, with missing scores always at the bottom."""
    rows = [
        gradebook.GradebookRow(1, "b@x.org", 3.0, {"e": None}),
        gradebook.GradebookRow(2, "a@x.org", None, {"e": 2.0}),
        gradebook.GradebookRow(3, "c@x.org", 8.0, {"e": 1.0}),
    ]
    assert [r.email for r in gradebook.sort_rows(rows, "quiz", True)] == ["c@x.org", "b@x.org", "a@x.org"]
    assert [r.email for r in gradebook.sort_rows(rows, "quiz", False)] == ["b@x.org", "c@x.org", "a@x.org"]
    assert [r.email for r in gradebook.sort_rows(rows, "e", False)] == ["c@x.org", "a@x.org", "b@x.org"]
    assert [r.email for r in gradebook.sort_rows(rows, "email", False)] == ["a@x.org", "b@x.org", "c@x.org"]


def test_search_matches_part_of_the_email_case_insensitively() -> None:
    """Searching 'ANN' finds ann@ and joanna@ but not bob@."""
    rows = [
        gradebook.GradebookRow(i, e, None, {})
        for i, e in enumerate(["ann@x.org", "joanna@x.org", "bob@x.org"])
    ]
    assert [r.email for r in gradebook.search_rows(rows, " ANN ")] == ["ann@x.org", "joanna@x.org"]
    assert len(gradebook.search_rows(rows, "")) == 3


def test_csv_has_the_contract_header_and_compact_numbers() -> None:
    """CSV: header email,quiz,<slugs>,total; empty cells for null; 9.0 written as 9, 7.5 as 7.5."""
    rows = gradebook.rank_rows(
        [
            gradebook.GradebookRow(1, "ann@x.org", 9.0, {"rnn_cell_forward": 7.5, "rnn_forward": None}),
            gradebook.GradebookRow(2, "=evil@x.org", None, {"rnn_cell_forward": None, "rnn_forward": None}),
        ]
    )
    text = gradebook.gradebook_csv(rows, EXERCISES)
    assert text.splitlines() == [
        "email,quiz,rnn_cell_forward,rnn_forward,total",
        "ann@x.org,9,7.5,,16.5",
        "'=evil@x.org,,,,0",
    ]
