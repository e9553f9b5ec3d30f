"""Every hidden case of the forward exercises can tell each known mistake from the reference."""

from __future__ import annotations

import pytest

from tests.exercises.helpers import content

FORWARD = ("rnn_cell_forward", "rnn_forward", "lstm_cell_forward", "lstm_forward", "gru_cell_forward")
# Only the large-logit case can reveal a softmax without the max shift; that is its purpose.
EDGE_ONLY = {"naive_softmax_overflow"}
# With a single time step there is nothing to carry, so these mistakes cannot show; other cases catch them.
NOTHING_TO_CARRY = {"a0_every_step", "c_not_carried"}
SEEDS = range(40)


@pytest.mark.parametrize("slug", FORWARD)
def test_no_case_hides_a_known_mistake(slug: str) -> None:
    """On 40 draws of hidden cases, each mistake variant differs from the reference on every case."""
    exercise = content(slug)
    hidden: list[str] = []
    for seed in SEEDS:
        for case in exercise.cases(seed):
            expected = exercise.run(exercise.grading.reference, case)
            for variant in exercise.mistakes:
                if variant.id in EDGE_ONLY or (variant.id in NOTHING_TO_CARRY and "T_x=1" in case.name):
                    continue
                actual = exercise.run(variant.implementation, case)
                if not exercise.differing(actual, expected, case):
                    hidden.append(f"{variant.id} on seed {seed}, {case.name}")
    assert not hidden, "cases that cannot see a mistake: " + "; ".join(sorted(set(hidden))[:10])
