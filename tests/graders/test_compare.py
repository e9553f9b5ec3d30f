"""Trusted comparison: exact shapes, dtypes, finiteness and tolerance, in plain words."""

from __future__ import annotations

import numpy as np
import pytest

from graders import compare as compare_module
from graders.compare import Tolerance, compare, difference, resolve

TOL = Tolerance(rtol=1e-5, atol=1e-7)
EXPECTED = np.arange(1.0, 7.0).reshape(2, 3)


def test_equal_within_tolerance_passes() -> None:
    """Values within rtol/atol match."""
    assert compare(EXPECTED * (1 + 1e-7), EXPECTED, TOL, "a_next") is None


def test_broadcastable_shape_is_rejected() -> None:
    """A (2, 1) array that NumPy would broadcast against (2, 3) is a shape error, not a match."""
    got = EXPECTED[:, :1].copy()
    assert np.allclose(np.broadcast_to(got, EXPECTED.shape)[:, 0], EXPECTED[:, 0])
    m = compare(got, EXPECTED, TOL, "a_next")
    assert m is not None and "shape (2, 1); expected (2, 3)" in m.problem and "broadcasting" in m.problem


def test_scalar_where_array_expected_is_rejected() -> None:
    """np.allclose(2.0, full_of_twos) is True; the grader still wants the array."""
    m = compare(2.0, np.full((2, 2), 2.0), TOL, "x")
    assert m is not None and "expected an array of shape (2, 2)" in m.problem


def test_transposed_result_gets_a_hint() -> None:
    """A transposed 2-D result is reported with a hint."""
    m = compare(EXPECTED.T.copy(), EXPECTED, TOL, "yt_pred")
    assert m is not None and "transposed" in m.problem


def test_nan_is_rejected_with_its_index() -> None:
    """NaN where a finite value is expected is reported with its index."""
    got = EXPECTED.copy()
    got[1, 2] = np.nan
    m = compare(got, EXPECTED, TOL, "a_next")
    assert m is not None and m.problem == "a_next contains NaN at index (1, 2); expected finite values"


def test_largest_error_and_index_are_reported() -> None:
    """A numeric mismatch reports the largest absolute error, where it is, and how many values are off."""
    got = EXPECTED.copy()
    got[0, 1] += 0.5
    got[1, 0] += 0.01
    m = compare(got, EXPECTED, TOL, "c")
    assert m is not None and m.index == (0, 1) and m.max_error == 0.5
    assert "largest error 0.5 at index (0, 1); 2 of 6 values outside the tolerance" in m.problem


def test_integer_dtype_is_rejected_for_float_outputs() -> None:
    """Integers where floats are expected are a dtype problem, even if the values are close."""
    m = compare(EXPECTED.astype(np.int64), EXPECTED, TOL, "a")
    assert m is not None and "integers (dtype int64); expected floating-point numbers" in m.problem


def test_dict_keys_and_tuple_lengths_are_checked() -> None:
    """Missing dict keys and wrong tuple lengths are named."""
    m = compare({"a": EXPECTED}, {"a": EXPECTED, "b": EXPECTED}, TOL, "grads")
    assert m is not None and m.problem == "grads is missing the key 'b'"
    m = compare((EXPECTED,), (EXPECTED, EXPECTED), TOL, "cache")
    assert m is not None and m.problem == "cache has 1 item; expected 2"


def test_resolve_explains_missing_parts() -> None:
    """Following an output path into a too-short tuple or a non-dict says what is wrong."""
    assert (
        resolve((1, 2), (2, 0), "the returned value")[1]
        == "the returned value has 2 items; expected at least 3 items"
    )
    assert "expected a dict with the key 'W'" in resolve((5,), (0, "W"), "v")[1]
    assert "expected a tuple" in resolve(None, (0,), "the returned value")[1]


def test_integer_sequences_are_compared_draw_by_draw() -> None:
    """Sampled indices: the first differing draw is named with both values and how many matched before it."""
    tol = Tolerance(0.0, 0.0)
    found = compare([3, 1, 4, 1], [3, 1, 5, 1], tol, "indices")
    assert found is not None and found.index == (2,)
    assert "indices[2] is 4; expected 5 (the first 2 match)" in found.problem
    longer = compare([3, 1, 4], [3, 1], tol, "indices")
    assert longer is not None and "goes on after the last one (the first 2 match)" in longer.problem
    shorter = compare([3], [3, 1], tol, "indices")
    assert shorter is not None and "stops early (the first 1 match)" in shorter.problem
    assert compare([3, 1], (3, 1), tol, "indices") is None


def test_integer_sequence_difference_reports_the_first_wrong_draw() -> None:
    """The verdict's picture of a draw sequence: first_wrong_step is the first differing draw."""
    diff = difference([3, 1, 4, 1, 5], [3, 1, 5, 9], Tolerance(0.0, 0.0))
    assert diff is not None
    assert diff.first_wrong_step == 2 and diff.worst_index == (2,)
    assert (diff.yours, diff.expected) == (4.0, 5.0)
    assert diff.outside_count == 3  # draws 2 and 3 differ, draw 4 has no counterpart
    assert difference([1, 2], [1, 2], Tolerance(0.0, 0.0)) is None


def test_an_expected_infinity_is_matched_only_by_the_same_infinity() -> None:
    """A finite value or the opposite infinity where +inf is expected is wrong (the bound is infinite)."""
    tol = Tolerance(1e-5, 1e-7)
    expected = np.array([1.0, np.inf])
    assert compare(np.array([1.0, np.inf]), expected, tol, "x") is None
    for wrong in (5.0, -np.inf, np.nan):
        found = compare(np.array([1.0, wrong]), expected, tol, "x")
        assert found is not None and found.index == (1,), wrong


def test_a_right_output_gets_the_same_facts_as_the_full_computation(monkeypatch: pytest.MonkeyPatch) -> None:
    """The quick path for an output right everywhere gives what the full computation gives."""
    tol = Tolerance(1e-5, 1e-7)
    rng = np.random.default_rng(5)
    expected = rng.standard_normal((3, 4, 5))
    got = expected + rng.uniform(-1e-8, 1e-8, expected.shape)
    quick = difference(got, expected, tol)
    assert quick is not None and quick.outside_count == 0 and quick.grid is None
    monkeypatch.setattr(compare_module, "_within", lambda *args: None)
    assert difference(got, expected, tol) == quick
    assert quick.max_abs_error == float(f"{np.abs(got - expected).max():.3g}")
