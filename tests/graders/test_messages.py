"""Case messages of real gradings: identifiers keep their case; long public inputs stay bounded."""

from __future__ import annotations

from typing import Any

from graders.present import MAX_CASE_MESSAGE
from tests.graders.conftest import REPO

BACKWARD = (REPO / "exercises" / "rnn_cell_backward" / "solution.py").read_text(encoding="utf-8")
BPTT = (REPO / "exercises" / "rnn_backward" / "solution.py").read_text(encoding="utf-8")


def test_output_names_are_never_capitalised(grade: Any) -> None:
    """dba with a lost dimension: every message says "dba", never "Dba", and sentences start with words."""
    code = BACKWARD.replace("np.sum(dtanh, axis=1, keepdims=True)", "np.sum(dtanh, axis=1)")
    verdict = grade(code, exercise="rnn_cell_backward")
    assert verdict.status == "failed"
    texts = [*verdict.feedback, *(c.message for c in verdict.cases)]
    for name in ("dxt", "da_prev", "dWax", "dWaa", "dba"):
        assert not any(name[0].upper() + name[1:] in text for text in texts), name
    assert all("Output dba has shape (" in c.message for c in verdict.cases)
    assert "Wrong output: dba in 6 of 6 cases." in verdict.feedback


def test_raised_exception_message_does_not_start_with_the_function_name(grade: Any) -> None:
    """An exception is reported as "Your rnn_cell_backward raised ...", keeping the function's name as is."""
    verdict = grade(BACKWARD.replace("    (a_next, a_prev", "    1 / 0\n    (a_next, a_prev"),
                    exercise="rnn_cell_backward")
    assert verdict.status == "error"
    assert verdict.cases[0].message.startswith("Your rnn_cell_backward raised an exception:")
    assert "Your rnn_cell_backward raised an exception in 6 of 6 cases (see the cases)." in verdict.feedback


def test_bptt_inputs_show_the_shared_parameters_once_and_messages_are_bounded(grade: Any) -> None:
    """rnn_backward's caches share one parameters dict and chain a_next into a_prev: each is printed once."""
    verdict = grade(BPTT.replace("dWax += dWaxt", "dWax = dWaxt"), exercise="rnn_backward")
    assert verdict.status == "failed"
    small = next(c for c in verdict.cases if c.name.startswith("small"))
    inputs = small.message.split("Inputs:")[1].split("\nExpected")[0]
    assert inputs.count("['Wax'] =") == 1
    assert inputs.count("(same dict as caches[0][0][3])") == 2  # T_x = 3 steps share it
    assert "[1] = (same array as caches[0][0][0])" in inputs
    assert all(len(c.message) <= MAX_CASE_MESSAGE for c in verdict.cases)
    course = verdict.cases[0].message
    assert course.startswith("(n_x=3, n_a=5, m=10, T_x=4) Output dWax differs")
    assert "Inputs:" in course and "Expected dWax =" in course
