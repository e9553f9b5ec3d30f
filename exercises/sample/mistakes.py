"""sample: known mistakes, each a small variant of the reference (none touches the global generator)."""

from __future__ import annotations

from typing import Any

import numpy as np

from graders.exercise import Mistake, mistake

A = np.ndarray
SEED = "np.random.seed(counter + seed) just before each np.random.choice, and seed += 1 after it"


def _softmax(z: A) -> A:
    e = np.exp(z - z.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


def _sample(p: dict[str, A], char_to_ix: dict[str, int], seed: int, *, reseed: bool = True,
            seed_step: int = 2, update_x: str = "one_hot", update_a: bool = True, argmax: bool = False,
            newline_at_50: str = "append", newline_index: int | None = None) -> list[int]:
    vocab_size, n_a = p["by"].shape[0], p["Waa"].shape[1]
    x, a_prev = np.zeros((vocab_size, 1)), np.zeros((n_a, 1))
    newline = char_to_ix["\n"] if newline_index is None else newline_index
    indices: list[int] = []
    idx, counter = -1, 0
    once = np.random.RandomState(seed)
    while idx != newline and counter != 50:
        a = np.tanh(p["Wax"] @ x + p["Waa"] @ a_prev + p["b"])
        y = _softmax(p["Wya"] @ a + p["by"])
        rs = np.random.RandomState(seed + seed_step * counter) if reseed else once
        idx = int(np.argmax(y)) if argmax else int(rs.choice(range(vocab_size), p=y.ravel()))
        indices.append(idx)
        if update_x == "one_hot":
            x = np.zeros((vocab_size, 1))
            x[idx] = 1
        elif update_x == "accumulate":
            x[idx] = 1
        if update_a:
            a_prev = a
        counter += 1
    reached = counter == 50
    if (newline_at_50 == "always" or (reached and newline_at_50 == "append")
            or (reached and newline_at_50 == "unless_drawn" and idx != newline)):
        indices.append(newline)
    return indices


def _variant(id: str, message: str, **flags: Any) -> Mistake:
    def variant(parameters: dict[str, A], char_to_ix: dict[str, int], seed: int) -> list[int]:
        return _sample(parameters, char_to_ix, seed, **flags)

    return mistake(id, message)(variant)


seeded_once = _variant(
    "seeded_once", "The generator is seeded only once, before the loop. The grading contract reseeds before "
    f"every draw: {SEED}.", reseed=False)
seed_not_incremented = _variant(
    "seed_not_incremented", "seed is not incremented, so draw k is seeded with seed + k instead of seed + 2k. "
    f"Keep both lines of the course: {SEED}.", seed_step=1)
x_not_updated = _variant(
    "x_not_updated", "x is never set to the sampled character, so every step reads the zero vector. After "
    "each draw: x = np.zeros((vocab_size, 1)); x[idx] = 1.", update_x="none")
x_not_reset = _variant(
    "x_not_reset", "x keeps the ones of earlier characters. It must be the one-hot vector of the last "
    "character only: x = np.zeros((vocab_size, 1)); x[idx] = 1.", update_x="accumulate")
a_prev_not_updated = _variant(
    "a_prev_not_updated", "a_prev is never updated, so every step starts from zeros. After each draw: "
    "a_prev = a.", update_a=False)
argmax_instead_of_sampling = _variant(
    "argmax_instead_of_sampling", "The most likely character is taken instead of a sampled one. Draw it "
    "from y: idx = np.random.choice(range(vocab_size), p=y.ravel()).", argmax=True)
newline_missing_at_50 = _variant(
    "newline_missing_at_50", "When 50 characters are reached, the newline is not appended. After the loop: "
    "if counter == 50: indices.append(char_to_ix['\\n']).", newline_at_50="never")
newline_always_appended = _variant(
    "newline_always_appended", "A newline is appended even when the sampler stopped at a newline. Append "
    "it only when 50 characters were reached: if counter == 50: indices.append(char_to_ix['\\n']).",
    newline_at_50="always")
second_newline_missing_at_50 = _variant(
    "second_newline_missing_at_50", "When the 50th draw is itself the newline, the course still appends "
    "a newline (51 indices): the rule is only the count, if counter == 50: indices.append(char_to_ix['\\n']).",
    newline_at_50="unless_drawn")
newline_index_hardcoded = _variant(
    "newline_index_hardcoded", "The newline's index is taken to be 0. Read it from the vocabulary: "
    "newline_character = char_to_ix['\\n'].", newline_index=0)
