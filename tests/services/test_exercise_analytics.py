"""Exercise analytics: per-case failure rates, named mistakes with examples, attempts until a pass."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask

from quizapp.services import exercise_analytics as ea
from tests.instructor import factories as f

SLUG = "rnn_cell_forward"
PUBLIC = ("course example", "small")


def cases(public: tuple[bool, bool], hidden: tuple[bool, bool]) -> list[tuple[str, bool, bool]]:
    """Two public and two hidden cases with the given pass flags."""
    return [
        (PUBLIC[0], public[0], False),
        (PUBLIC[1], public[1], False),
        ("hidden 1: m=1", hidden[0], True),
        ("hidden 2: large logits", hidden[1], True),
    ]


def test_case_failure_rates_aggregate_by_name() -> None:
    """Over three verdicts 'small' fails 2 of 3 runs and 'hidden 2' 1 of 3; public cases are listed first."""
    verdicts = [
        f.verdict(SLUG, "failed", 5, list(reversed(cases((True, False), (True, False))))),
        f.verdict(SLUG, "failed", 7, cases((True, False), (True, True))),
        f.verdict(SLUG, "passed", 10, cases((True, True), (True, True))),
        f.verdict(SLUG, "error", 0),  # no cases ran
    ]
    stats = {s.name: s for s in ea.case_failure_rates(verdicts)}
    assert [s.hidden for s in ea.case_failure_rates(verdicts)] == [False, False, True, True]
    assert (stats["small"].runs, stats["small"].failures) == (3, 2)
    assert stats["small"].failure_rate == pytest.approx(2 / 3)
    assert stats["hidden 2: large logits"].failure_rate == pytest.approx(1 / 3)
    assert stats["course example"].failure_rate == 0.0


def test_unnamed_hidden_cases_are_aggregated_by_position() -> None:
    """Hidden cases without names are counted as hidden #1, #2 by their order among hidden cases."""
    verdict = {
        "cases": [
            {"passed": True, "hidden": False, "name": "p"},
            {"passed": False, "hidden": True},
            {"passed": True, "hidden": True, "name": ""},
        ]
    }
    stats = ea.case_failure_rates([verdict, verdict])
    assert [(s.name, s.runs, s.failures) for s in stats] == [
        ("p", 2, 0),
        ("hidden #1", 2, 2),
        ("hidden #2", 2, 0),
    ]


def test_common_mistakes_count_submissions_and_students_and_keep_the_latest_example() -> None:
    """sigmoid_for_tanh: 3 submissions by 2 students, latest example #7; missing_ba: 1, example #5."""
    subs = [
        ea.GradedSubmission(3, 1, {"mistakes": [{"id": "sigmoid_for_tanh", "message": "use tanh"}]}),
        ea.GradedSubmission(5, 2, {"mistakes": ["missing_ba", "sigmoid_for_tanh"]}),
        ea.GradedSubmission(7, 2, {"mistakes": [{"id": "sigmoid_for_tanh", "message": "use tanh"}]}),
        ea.GradedSubmission(8, 3, {"status": "passed"}),
    ]
    stats = ea.common_mistakes(subs)
    assert [(m.id, m.submissions, m.students, m.example_submission_id) for m in stats] == [
        ("sigmoid_for_tanh", 3, 2, 7),
        ("missing_ba", 1, 1, 5),
    ]
    assert stats[0].message == "use tanh"


def test_attempts_until_first_pass() -> None:
    """Passing on the 1st, 3rd and 3rd tries gives {1: 1, 3: 2}; a student still failing is counted apart."""
    histogram, never = ea.attempts_until_pass(
        {
            1: ["passed", "failed"],
            2: ["failed", "error", "passed"],
            3: ["error", "failed", "passed", "passed"],
            4: ["failed", "failed"],
        }
    )
    assert histogram == [(1, 1), (3, 2)]
    assert never == 1


def test_analyse_exercise_reads_students_current_verdicts(app: Flask) -> None:
    """From stored rows: ann passes on try 2, bob never; the instructor's and queued ones are left out."""
    with app.app_context():
        ann, bob = f.user("ann@example.com"), f.user("bob@example.com")
        teacher = f.user("teacher@example.com", role="instructor")
        buggy = f.verdict(
            SLUG, "failed", 6, cases((True, False), (False, True)), mistakes=["sigmoid_for_tanh"]
        )
        first = f.graded(ann, SLUG, buggy)
        f.graded(
            ann,
            SLUG,
            f.verdict(SLUG, "passed", 10, cases((True, True), (True, True))),
            at=f.T0 + timedelta(minutes=3),
        )
        latest = f.graded(bob, SLUG, buggy, at=f.T0 + timedelta(minutes=5))
        f.queued(bob, SLUG, at=f.T0 + timedelta(minutes=9))
        f.graded(teacher, SLUG, buggy)
        result = ea.analyse_exercise(SLUG)
    assert (result.submissions, result.graded, result.students) == (4, 3, 2)
    assert result.statuses == {"failed": 2, "passed": 1}
    assert result.attempts_to_pass == [(2, 1)] and result.never_passed == 1
    assert [(m.id, m.submissions, m.students, m.example_submission_id) for m in result.mistakes] == [
        ("sigmoid_for_tanh", 2, 2, latest)
    ]
    assert first < latest
    small = next(c for c in result.cases if c.name == "small")
    assert (small.runs, small.failures) == (3, 2)


def test_mistake_messages_fill_in_for_verdicts_that_carry_only_ids() -> None:
    """A verdict listing just 'missing_ba' gets its explanation from the exercise's mistake library."""
    subs = [ea.GradedSubmission(1, 1, {"mistakes": ["missing_ba"]})]
    (stat,) = ea.common_mistakes(subs, {"missing_ba": "Add the bias ba inside the tanh."})
    assert stat.message == "Add the bias ba inside the tanh."
    (bare,) = ea.common_mistakes(subs)
    assert bare.message == ""
