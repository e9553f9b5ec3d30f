"""Named mistakes: each known bug is recognised; correct code and unrelated bugs are not misnamed."""

from __future__ import annotations

from typing import Any

import pytest

from tests.graders.conftest import SOLUTION, solution_with

NAIVE = "e = np.exp(np.dot(Wya, a_next) + by)\n    yt_pred = e / e.sum(axis=0, keepdims=True)"
BUGS = {
    "sigmoid_for_tanh": SOLUTION.replace("np.tanh(", "sigmoid("),
    "missing_ba": SOLUTION.replace(" + ba)", ")"),
    "missing_by": SOLUTION.replace("a_next) + by)", "a_next))"),
    "softmax_wrong_axis": SOLUTION.replace(
        "softmax(np.dot(Wya, a_next) + by)", "softmax((np.dot(Wya, a_next) + by).T).T"
    ),
    "naive_softmax_overflow": SOLUTION.replace("yt_pred = softmax(np.dot(Wya, a_next) + by)", NAIVE),
    "cache_order": solution_with(returns="a_next, yt_pred, (a_prev, a_next, xt, parameters)"),
}


@pytest.mark.parametrize("mistake", sorted(BUGS))
def test_each_mistake_is_named(grade: Any, mistake: str) -> None:
    """A submission with exactly this bug fails and is diagnosed as this mistake only."""
    verdict = grade(BUGS[mistake])
    assert verdict.status == "failed"
    assert verdict.mistakes == (mistake,)


def test_naive_softmax_passes_small_cases_and_fails_the_overflow_case(grade: Any) -> None:
    """A softmax without the max shift is right on ordinary inputs but NaN on the large-values case."""
    verdict = grade(BUGS["naive_softmax_overflow"])
    failing = [c for c in verdict.cases if not c.passed]
    assert [c.name for c in failing] == ["hidden: large values (a naive softmax overflows)"]
    assert "yt_pred contains NaN" in failing[0].message


def test_correct_code_names_no_mistake(grade: Any) -> None:
    """Correct code has no diagnosed mistakes."""
    assert grade(SOLUTION).mistakes == ()


def test_two_bugs_are_only_named_by_mistakes_really_present(grade: Any) -> None:
    """Code with sigmoid AND no ba is never named as a mistake it does not have."""
    verdict = grade(SOLUTION.replace("np.tanh(", "sigmoid(").replace(" + ba)", ")"))
    assert verdict.status == "failed" and set(verdict.mistakes) <= {"sigmoid_for_tanh", "missing_ba"}


def test_unrelated_wrong_output_does_not_borrow_a_name(grade: Any) -> None:
    """Doubling a_next matches no variant, so nothing is named even though cache outputs are also wrong."""
    verdict = grade(solution_with(returns="a_next * 2, yt_pred, (a_next * 2, a_prev, xt, parameters)"))
    assert verdict.status == "failed" and verdict.mistakes == ()
