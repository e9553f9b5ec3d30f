"""Every hidden case can tell each known mistake from the reference (sample: every draw of hidden cases)."""

from __future__ import annotations

import pytest

from tests.exercises.helpers import content

FORWARD = ("rnn_cell_forward", "rnn_forward", "lstm_cell_forward", "lstm_forward", "gru_cell_forward",
           "lstm_cell_backward", "lstm_backward", "gru_forward", "gru_cell_backward", "brnn_forward",
           "deep_rnn_forward")
# Only the large-logit case can reveal a softmax without the max shift; that is its purpose.
EDGE_ONLY = {"naive_softmax_overflow"}
# With a single time step there is nothing to carry, so these mistakes cannot show; other cases catch them.
NOTHING_TO_CARRY = {"a0_every_step", "c_not_carried", "c0_every_step", "da_not_carried", "dc_not_carried",
                    "neither_carried", "weights_not_accumulated", "forward_time_order",
                    "backward_runs_forward", "backward_stored_in_loop_order"}
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
                actual = exercise.run_variant(variant, case)  # RAISED (never equal) where it cannot run
                if not exercise.differing(actual, expected, case):
                    hidden.append(f"{variant.id} on seed {seed}, {case.name}")
    assert not hidden, "cases that cannot see a mistake: " + "; ".join(sorted(set(hidden))[:10])


# Shown by a public case only: a 50th draw that is the newline is too rare to draw at random.
SAMPLE_PUBLIC_ONLY = {"second_newline_missing_at_50"}


def test_every_draw_of_sample_hidden_cases_reveals_each_mistake() -> None:
    """On 40 draws, sample's hidden cases (which stop early, reach 50, move the newline) reveal every mistake.

    A single case cannot: a run that stops at its first draw hides a missing reseed, one that stops early
    hides a missing newline at 50. So each draw of hidden cases as a whole must reveal each mistake.
    """
    exercise = content("sample")
    hidden: list[str] = []
    for seed in SEEDS:
        cases = [case for case in exercise.cases(seed) if case.hidden]
        for variant in exercise.mistakes:
            if variant.id in SAMPLE_PUBLIC_ONLY:
                continue
            if not any(exercise.differing(exercise.run_variant(variant, case),
                                          exercise.run(exercise.grading.reference, case), case)
                       for case in cases):
                hidden.append(f"{variant.id} on seed {seed}")
    assert not hidden, "draws that cannot see a mistake: " + "; ".join(hidden[:10])
