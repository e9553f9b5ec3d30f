"""Case-message rendering: identifiers keep their case, repeats are shown once, sizes are capped."""

from __future__ import annotations

import numpy as np

from graders.compare import Mismatch
from graders.present import MAX_CASE_MESSAGE, case_summary, fit, show_inputs


def test_summary_never_capitalises_an_output_name() -> None:
    """Sentences start with "Output ..." so c_next and dby keep their lower-case first letter."""
    wrong = [
        Mismatch("c_next", "c_next differs: largest error 0.5 at index (0, 1); 1 of 4 values outside"),
        Mismatch("dby", "dby has shape (3,); expected (3, 1)"),
    ]
    text = case_summary(wrong, ["a_next", "dba"])
    assert text.startswith("Output c_next differs: largest error 0.5")
    assert "Output dby has shape (3,); expected (3, 1)." in text
    assert text.endswith("Outputs a_next and dba are right.")
    assert case_summary(wrong[1:], ["dWaa"]).endswith("Output dWaa is right.")
    assert not any(word in text for word in ("C_next", "Dby", "A_next", "Dba"))


def test_a_problem_about_the_whole_value_is_kept_as_written() -> None:
    """A problem that does not start with its output's name is not prefixed and not re-cased."""
    text = case_summary([Mismatch("a_next", "The returned value is None; expected a tuple")], [])
    assert text == "The returned value is None; expected a tuple."


def test_repeated_objects_in_the_inputs_are_shown_once() -> None:
    """The same dict or array held twice is printed once, then referred to by where it was shown."""
    params = {"Wax": np.ones((2, 3)), "ba": np.zeros((2, 1))}
    a1, a2 = np.full((2, 1), 0.25), np.full((2, 1), 0.75)
    caches = ([(a1, np.zeros((2, 1)), params), (a2, a1, params)], np.ones((3, 1, 2)))
    text = show_inputs(("da", "caches"), (np.ones((2, 1, 2)), caches))
    assert text.count("['Wax'] =") == 1
    assert "[2] = (same dict as caches[0][0][2])" in text
    assert "[1] = (same array as caches[0][0][0])" in text


def test_equal_but_distinct_objects_are_both_shown() -> None:
    """Only the same object is abbreviated: two equal arrays are each printed."""
    text = show_inputs(("x", "y"), (np.ones((2, 2)), np.ones((2, 2))))
    assert "same" not in text and text.count("array of shape (2, 2)") == 2


def test_fit_keeps_short_parts_whole_and_cuts_long_ones_at_lines() -> None:
    """Over the limit, the summary survives intact and the long blocks are cut with a note."""
    summary = "Output dx differs: largest error 1.5."
    inputs = "Inputs:\n" + "\n".join(f"  line {i} " + "x" * 60 for i in range(400))
    expected = "Expected dx = ...\n" + "\n".join("  " + "y" * 70 for _ in range(300))
    text = fit([summary, inputs, expected], 5000)
    assert len(text) <= 5000
    assert text.startswith(summary + "\nInputs:\n  line 0 ")
    assert "Expected dx = ..." in text
    assert text.count("more lines not shown]") == 2
    assert fit([summary, "short"]) == summary + "\nshort"


def test_fit_cuts_a_single_huge_line() -> None:
    """A part that is one enormous line is cut inside it, still within the limit."""
    text = fit(["x" * (3 * MAX_CASE_MESSAGE)])
    assert len(text) <= MAX_CASE_MESSAGE and text.endswith("…")
