"""Named mistakes: each known bug is recognised; correct code and unrelated bugs are not misnamed."""

from __future__ import annotations

from typing import Any

import pytest

from tests.graders.conftest import REPO, SOLUTION, solution_with

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


CLIP_FORGETS_DBY = (
    "import numpy as np\n\n"
    "def clip(gradients, maxValue):\n"
    "    for key in ['dWaa', 'dWax', 'dWya', 'db']:\n"
    "        gradients[key] = np.clip(gradients[key], -maxValue, maxValue)\n"
    "    return gradients\n"
)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_clip_forgetting_dby_names_exactly_that_mistake(grade: Any, seed: int) -> None:
    """Only dby left unclipped: one mistake is named, not the other clip mistakes leaving dby alone."""
    verdict = grade(CLIP_FORGETS_DBY, exercise="clip", seed=seed)
    assert verdict.status == "failed"
    assert verdict.mistakes == ("clip_skips_dby",)
    messages = ("not clipped", "Nothing is clipped", "upper bound")
    assert sum(any(m in f for m in messages) for f in verdict.feedback) == 1


def test_dba_over_the_wrong_axis_is_not_also_called_not_summed(grade: Any) -> None:
    """Summing dz over axis 0 equals not summing it when n_a = 1; only the wrong-axis mistake is named."""
    solution = (REPO / "exercises" / "rnn_cell_backward" / "solution.py").read_text(encoding="utf-8")
    code = solution.replace("np.sum(dtanh, axis=1, keepdims=True)", "np.sum(dtanh, axis=0, keepdims=True)")
    assert code != solution
    verdict = grade(code, exercise="rnn_cell_backward")
    assert any("n_a=1" in c.name and not c.passed for c in verdict.cases)
    assert verdict.mistakes == ("dba_wrong_axis",)
