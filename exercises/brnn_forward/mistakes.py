"""brnn_forward: known mistakes, each a small variant of the reference."""

from __future__ import annotations

from typing import Any

import numpy as np

from graders.exercise import Mistake, mistake

A = np.ndarray
P = dict[str, np.ndarray]
BACK = "a_b⟨t⟩ = tanh(Waa_b a_b⟨t+1⟩ + Wax_b x⟨t⟩ + ba_b)"


def _softmax(z: A, axis: int = 0, naive: bool = False) -> A:
    e = np.exp(z if naive else z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def _brnn(x: A, a0_f: A, a0_b: A, p: P, *, back_order: str = "reverse", b_first: bool = False,
          back_weights: str = "_b", naive: bool = False, axis: int = 0) -> tuple[A, ...]:
    _, m, T_x = x.shape
    n_a, n_y = a0_f.shape[0], p["Wy"].shape[0]
    a_f, a_b, y = np.zeros((n_a, m, T_x)), np.zeros((n_a, m, T_x)), np.zeros((n_y, m, T_x))
    h = a0_f
    for t in range(T_x):
        h = np.tanh(p["Waa_f"] @ h + p["Wax_f"] @ x[:, :, t] + p["ba_f"])
        a_f[:, :, t] = h
    h, w = a0_b, back_weights
    steps = range(T_x) if back_order == "forward" else reversed(range(T_x))
    for k, t in enumerate(steps):
        h = np.tanh(p["Waa" + w] @ h + p["Wax" + w] @ x[:, :, t] + p["ba" + w])
        a_b[:, :, k if back_order == "stored_in_loop_order" else t] = h
    for t in range(T_x):
        pair = (a_b[:, :, t], a_f[:, :, t]) if b_first else (a_f[:, :, t], a_b[:, :, t])
        y[:, :, t] = _softmax(p["Wy"] @ np.concatenate(pair) + p["by"], axis, naive)
    return a_f, a_b, y


def _variant(id: str, message: str, **flags: Any) -> Mistake:
    def variant(x: A, a0_f: A, a0_b: A, parameters: P) -> tuple[A, ...]:
        return _brnn(x, a0_f, a0_b, parameters, **flags)

    return mistake(id, message)(variant)


backward_runs_forward = _variant(
    "backward_runs_forward", "The backward direction runs forward in time. It starts from a0_b at the last "
    f"step and goes down to t = 0 (for t in reversed(range(T_x))): {BACK}.", back_order="forward")
backward_stored_in_loop_order = _variant(
    "backward_stored_in_loop_order", "The backward direction is computed from the last step down but stored "
    "in loop order, so a_b is reversed in time. Store each state at its own step: a_b[:, :, t] = a_b_next, "
    f"with {BACK}.", back_order="stored_in_loop_order")
stack_order = _variant(
    "stack_order", "a_b is stacked above a_f. The output reads [a_f⟨t⟩; a_b⟨t⟩], forward on top: "
    "y⟨t⟩ = softmax(Wy np.concatenate((a_f[:, :, t], a_b[:, :, t])) + by).", b_first=True)
backward_uses_forward_weights = _variant(
    "backward_uses_forward_weights", "The backward direction uses the forward direction's weights. Each "
    f"direction has its own: {BACK}.", back_weights="_f")
softmax_wrong_axis = _variant(
    "softmax_wrong_axis", "The softmax normalises over the wrong axis. ŷ⟨t⟩ sums to 1 over the n_y classes "
    "(axis 0, each column sums to 1), not over the m examples: e = np.exp(z − z.max(axis=0)); "
    "y = e / e.sum(axis=0, keepdims=True), or softmax from rnn_utils.", axis=1)
naive_softmax_overflow = _variant(
    "naive_softmax_overflow", "The softmax overflows for large logits: exp of a large number is inf, and "
    "inf/inf is NaN. Subtract the maximum first, softmax(z) = exp(z − max(z)) / Σ exp(z − max(z)), "
    "or use softmax from rnn_utils.", naive=True)
