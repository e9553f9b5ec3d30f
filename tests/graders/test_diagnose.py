"""The named-mistake rule (graders.diagnose), on a tiny exercise run in-process."""

from __future__ import annotations

from typing import Any

import numpy as np

from graders.compare import Tolerance
from graders.diagnose import diagnose
from graders.exercise import Case, Mistake, fixed_outputs, mistake

TOL = Tolerance(rtol=1e-5, atol=1e-8)
OUTPUTS = fixed_outputs({"a": ("a",), "b": ("b",)})
# Case 0 is the only one with a single element: the edge case some variants get wrong.
CASES = [Case(f"case {i}", (np.arange(1.0, n + 1),)) for i, n in enumerate((1, 3, 4, 5))]


def reference(x: np.ndarray) -> dict[str, np.ndarray]:
    """The tiny exercise: a = x, b = 2x."""
    return {"a": x, "b": 2 * x}


def variant(id: str, fn: Any, outputs_only: tuple[str, ...] = ()) -> Mistake:
    """A named mistake computing ``fn(x)`` (a dict of outputs)."""
    return mistake(id, f"{id}.", outputs_only=outputs_only)(fn)


def run(fn: Any, mistakes: list[Mistake]) -> list[str]:
    """Diagnose a submission computing ``fn``: the ids named."""
    got = {i: fn(*case.args) for i, case in enumerate(CASES)}
    wrong = {}
    for i, case in enumerate(CASES):
        expected = reference(*case.args)
        names = [n for n in ("a", "b") if not np.allclose(got[i].get(n, np.nan), expected[n])]
        if names:
            wrong[i] = names
    return [m.id for m in diagnose(tuple(mistakes), CASES, got, wrong, OUTPUTS, TOL)]


B_TRIPLED = variant("b_tripled", lambda x: {"a": x, "b": 3 * x})
BOTH_OFF = variant("both_off", lambda x: {"a": x + 1, "b": 3 * x})
B_TRIPLED_ON_ONE = variant("b_tripled_on_one", lambda x: {"a": x, "b": (3 if x.size == 1 else 2) * x})
A_SHIFTED_ON_THREE = variant("a_shifted_on_three", lambda x: {"a": x + (x.size == 3), "b": 2 * x})


def test_outputs_the_student_got_right_refute_a_variant() -> None:
    """A variant that also changes an output the student got right is not named."""
    assert run(B_TRIPLED.implementation, [BOTH_OFF, B_TRIPLED]) == ["b_tripled"]
    assert run(B_TRIPLED.implementation, [BOTH_OFF]) == []


def test_a_variant_explaining_every_failing_case_is_preferred() -> None:
    """A variant that coincides with the student on one edge case only is not named next to the full one."""
    assert run(B_TRIPLED.implementation, [B_TRIPLED_ON_ONE, B_TRIPLED]) == ["b_tripled"]


def test_a_tie_goes_to_the_variant_consistent_on_the_most_cases() -> None:
    """Wrong only on the edge case: the edge-case variant wins, as the other is refuted by passing cases."""
    assert run(B_TRIPLED_ON_ONE.implementation, [B_TRIPLED, B_TRIPLED_ON_ONE]) == ["b_tripled_on_one"]


def test_indistinguishable_variants_are_named_together() -> None:
    """Two variants equal on every input of this grading (they differ only for negatives) are both named."""
    abs_variant = variant("b_abs_tripled", lambda x: {"a": x, "b": 3 * np.abs(x)})
    assert run(B_TRIPLED.implementation, [B_TRIPLED, abs_variant]) == ["b_tripled", "b_abs_tripled"]


def test_two_bugs_in_different_cases_are_both_named() -> None:
    """Each failing case is explained by some variant, so both are named, one per bug."""

    def student(x: np.ndarray) -> dict[str, np.ndarray]:
        return {"a": x + (x.size == 3), "b": (3 if x.size == 1 else 2) * x}

    assert sorted(run(student, [B_TRIPLED_ON_ONE, A_SHIFTED_ON_THREE, B_TRIPLED])) == [
        "a_shifted_on_three",
        "b_tripled_on_one",
    ]


def test_outputs_only_limits_the_comparison() -> None:
    """With outputs_only, the variant's other outputs are ignored; it must still explain a wrong output."""
    b_only = variant("b_only", lambda x: {"a": x * 0, "b": 3 * x}, outputs_only=("b",))
    a_only = variant("a_only", lambda x: {"a": x, "b": 3 * x}, outputs_only=("a",))
    assert run(B_TRIPLED.implementation, [b_only, a_only]) == ["b_only"]


def test_unknown_bug_and_raising_variants_name_nothing() -> None:
    """A bug no variant reproduces names nothing; a variant that raises is skipped."""

    def raises(x: np.ndarray) -> dict[str, np.ndarray]:
        raise ValueError("does not apply")

    assert run(lambda x: {"a": x, "b": 5 * x}, [B_TRIPLED, variant("raises", raises)]) == []
    assert run(reference, [B_TRIPLED]) == []


def test_an_output_the_variant_lacks_cannot_be_explained_by_it() -> None:
    """A variant without the output the student got wrong is not named; a missing right output is ignored."""
    no_b = variant("no_b", lambda x: {"a": x})
    no_a = variant("no_a", lambda x: {"b": 3 * x})
    assert run(B_TRIPLED.implementation, [no_b, no_a]) == ["no_a"]
