"""The verdict's per-output facts (cases[].outputs): worst entries, first wrong step, the pooled grid."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from graders.compare import GRID_COLS, GRID_ROWS, Tolerance, difference
from graders.present import step_sentence

REPO = Path(__file__).resolve().parents[2]
TOL = Tolerance(rtol=1e-5, atol=1e-7)


def test_sequence_reports_the_first_wrong_step() -> None:
    """A 3-D output wrong from t = 2 on reports step 2, its worst entry and how many values are off."""
    expected = np.zeros((2, 3, 5))
    got = expected.copy()
    got[1, 0, 2:] = [0.5, 0.25, 1.0]
    diff = difference(got, expected, TOL)
    assert diff is not None
    assert diff.first_wrong_step == 2 and diff.worst_index == (1, 0, 4)
    assert diff.max_abs_error == 1.0 and diff.yours == 1.0 and diff.expected == 0.0
    assert diff.outside_count == 3 and [w.index for w in diff.worst] == [(1, 0, 4), (1, 0, 2), (1, 0, 3)]


def test_matrix_has_no_time_axis_and_right_output_has_no_step() -> None:
    """A 2-D output never has a step; a right sequence has none either and no grid."""
    wrong = difference(np.ones((3, 4)), np.zeros((3, 4)), TOL)
    assert wrong is not None and wrong.first_wrong_step is None and wrong.grid is not None
    assert wrong.grid.time_axis is False
    right = difference(np.ones((2, 2, 3)), np.ones((2, 2, 3)), TOL)
    assert right is not None and right.first_wrong_step is None and right.grid is None and right.worst == ()


def test_grid_is_pooled_and_capped() -> None:
    """A large array's grid is max-pooled to at most GRID_ROWS x GRID_COLS cells and keeps the worst value."""
    expected = np.zeros((40, 30, 200))
    got = expected.copy()
    got[39, 29, 199] = 3.0
    diff = difference(got, expected, TOL)
    assert diff is not None and diff.grid is not None
    grid = diff.grid
    assert len(grid.cells) <= GRID_ROWS and all(len(row) <= GRID_COLS for row in grid.cells)
    assert grid.cells[-1][-1] == 3.0 and grid.outside[-1][-1] == "1" and grid.outside[0][0] == "0"
    assert diff.first_wrong_step == 199


def test_nan_ranks_worst_and_stays_json_safe() -> None:
    """A NaN where a number was expected is the worst entry, shown as 'nan', with no NaN in the JSON."""
    expected = np.zeros((2, 2, 3))
    got = expected.copy()
    got[0, 1, 1] = np.nan
    got[1, 1, 2] = 5.0
    diff = difference(got, expected, TOL)
    assert diff is not None
    assert diff.worst_index == (0, 1, 1) and diff.yours == "nan" and diff.max_abs_error is None
    assert diff.first_wrong_step == 1
    assert diff.grid is not None
    json.dumps([diff.grid.cells, diff.worst[0].yours], allow_nan=False)


@pytest.mark.parametrize(("got", "expected"), [(None, np.zeros(3)), (np.zeros(4), np.zeros(3)), ("x", 1.0)])
def test_no_difference_for_incomparable_values(got: Any, expected: Any) -> None:
    """Missing values, other shapes or non-numbers give no difference (the message explains them)."""
    assert difference(got, expected, TOL) is None


def test_step_sentence_words() -> None:
    """The step line says where the sequence goes wrong, in the issue's words."""
    assert step_sentence("a", 1) == "Your a is right for t = 0 and wrong from t = 1 on."
    assert step_sentence("c", 3) == "Your c is right for t = 0 to 2 and wrong from t = 3 on."
    assert step_sentence("a", 0) == "Your a is wrong from the first step (t = 0) on."


def _buggy(exercise: str, name: str) -> str:
    return (REPO / "tests" / "exercises" / "buggy" / exercise / f"{name}.py").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("exercise", "bug", "outputs"),
    [("rnn_forward", "a0_every_step", ["a", "y_pred"]), ("lstm_forward", "c_not_carried", ["a", "y", "c"])],
)
def test_sequence_bugs_report_step_one(grader: Any, exercise: str, bug: str, outputs: list[str]) -> None:
    """Feeding a0 at every step (RNN) or resetting the memory cell (LSTM): the public case reports step 1."""
    verdict = grader.grade(exercise, _buggy(exercise, bug), seed=3).to_dict()
    assert verdict["status"] == "failed"
    case = verdict["cases"][0]
    found = {o["name"]: o for o in case["outputs"]}
    for name in outputs:
        assert found[name]["passed"] is False and found[name]["first_wrong_step"] == 1
        assert found[name]["diff_grid"]["time_axis"] is True and found[name]["worst"]
    assert f"Your {outputs[0]} is right for t = 0 and wrong from t = 1 on." in case["message"]
    assert len(json.dumps(verdict, allow_nan=False)) < 256 * 1024


def test_hidden_cases_keep_the_step_but_no_values(grader: Any) -> None:
    """Hidden cases give the summary and the step, never values, entries or grids."""
    verdict = grader.grade("rnn_forward", _buggy("rnn_forward", "a0_every_step"), seed=3).to_dict()
    hidden = [o for c in verdict["cases"] if c["hidden"] for o in c["outputs"]]
    assert hidden and any(o["first_wrong_step"] == 1 for o in hidden)
    assert all(o["yours"] is None and o["expected"] is None for o in hidden)
    assert all(o["worst"] == [] and o["diff_grid"] is None for o in hidden)


def test_errors_have_no_outputs(grader: Any) -> None:
    """A case whose call raised has no output facts (nothing came back to compare)."""
    code = "def rnn_cell_forward(xt, a_prev, parameters):\n    raise ValueError('no')\n"
    verdict = grader.grade("rnn_cell_forward", code, seed=1)
    assert verdict.status == "error" and all(case.outputs == () for case in verdict.cases)
