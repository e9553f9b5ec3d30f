"""Public cases are built once per process, and what derives from them alone is kept, read-only."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from graders import Grader
from graders.catalogue import ExerciseContent, fresh_copy
from graders.exercise import Case
from tests.graders.conftest import EXERCISE, SOLUTION


def toy_content(calls: list[str]) -> ExerciseContent:
    """A content whose reference and case generators record each call in ``calls``."""

    def reference(x: np.ndarray) -> np.ndarray:
        calls.append("reference")
        x *= 2  # a reference may write into its inputs: it gets a fresh copy
        return x

    def public_cases() -> list[Case]:
        calls.append("public")
        return [Case("one", (np.ones(3),)), Case("one", (np.arange(3.0),))]

    def hidden_cases(rng: np.random.Generator, count: int) -> list[Case]:
        return [Case("one", (rng.standard_normal(3),), hidden=True) for _ in range(count)]

    return ExerciseContent(
        reference=reference,
        public_cases=public_cases,
        hidden_cases=hidden_cases,
        outputs=lambda case: {"x": ()},
        mistakes=(),
        argument_names=("x",),
    )


def test_public_cases_are_built_once_and_read_only() -> None:
    """Every grading gets the same public case objects, with read-only arrays; hidden ones are new."""
    calls: list[str] = []
    content = toy_content(calls)
    first = content.cases(np.random.default_rng(1), 2)
    second = content.cases(np.random.default_rng(2), 2)
    assert calls.count("public") == 1
    assert [c.name for c in first] == ["one", "one #2", "one #3", "one #4"]
    assert first[0] is second[0] and first[1] is second[1]
    assert first[2] is not second[2]
    with pytest.raises(ValueError, match="read-only"):
        first[0].args[0][0] = 5.0


def test_expected_values_of_public_cases_are_kept_and_hidden_ones_computed() -> None:
    """The reference runs once per public case over many gradings, and on every hidden case each time."""
    calls: list[str] = []
    content = toy_content(calls)
    for seed in range(3):
        cases = content.cases(np.random.default_rng(seed), 1)
        values = [content.expected(case) for case in cases]
        np.testing.assert_array_equal(values[1], [0.0, 2.0, 4.0])
        np.testing.assert_array_equal(values[2], 2 * cases[2].args[0])
    assert calls.count("reference") == 2 + 3
    np.testing.assert_array_equal(cases[1].args[0], [0.0, 1.0, 2.0])  # the reference wrote into a copy
    assert not values[1].flags.writeable


def test_remember_computes_every_time_for_a_case_that_is_not_public() -> None:
    """A hidden case's derived values are never kept: they depend on the grading's seed."""
    content = toy_content([])
    hidden = content.cases(np.random.default_rng(0), 1)[-1]
    counter = iter(range(10))
    assert [content.remember(hidden, "k", lambda: next(counter)) for _ in range(2)] == [0, 1]
    public = content.cases(np.random.default_rng(0), 1)[0]
    assert [content.remember(public, "k", lambda: next(counter)) for _ in range(2)] == [2, 2]


def test_fresh_copy_keeps_aliasing_and_gives_writable_arrays() -> None:
    """Like copy.deepcopy: an object met twice is copied once, and read-only arrays come back writable."""
    shared = {"W": np.ones((2, 2))}
    shared["W"].flags.writeable = False
    args: tuple[Any, ...] = (shared, [shared, 3, "s", None], (np.float64(2.5),), {1, 2})
    copied = fresh_copy(args)
    assert copied[0] is copied[1][0] and copied[0] is not shared
    assert copied[0]["W"].flags.writeable and copied[0]["W"] is not shared["W"]
    assert copied[1][1:] == [3, "s", None] and copied[2] == (np.float64(2.5),)
    assert copied[3] == {1, 2} and copied[3] is not args[3]  # other kinds go through copy.deepcopy


def test_a_kept_grading_gives_the_same_verdict_as_the_first() -> None:
    """With the same seed, a buggy submission's verdict (mistakes named, case texts) is the same when
    the public cases' values are kept from an earlier grading as when they were first computed."""
    buggy = SOLUTION.replace("np.tanh(", "sigmoid(", 1)
    fresh = Grader(workers=1)
    try:
        first = fresh.grade(EXERCISE, buggy, seed=11)
        again = fresh.grade(EXERCISE, buggy, seed=11)
    finally:
        fresh.close()
    assert first == again  # every field but the timings
    assert first.status == "failed" and first.mistakes == ("sigmoid_for_tanh",)
    assert first.cases[0].message.count("Inputs:") == 1
