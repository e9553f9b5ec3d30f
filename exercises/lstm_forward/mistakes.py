"""lstm_forward: known mistakes, each a small variant of the reference."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from graders.exercise import Mistake, mistake

A = np.ndarray
P = dict[str, np.ndarray]
Fn = Callable[[A], A]
CONCAT = "[a⟨t−1⟩; x⟨t⟩]"


def _sigmoid(z: A) -> A:
    return 1 / (1 + np.exp(-z))


def _softmax(z: A, axis: int = 0, naive: bool = False) -> A:
    e = np.exp(z if naive else z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def _forward(x: A, a0: A, p: P, *, carry_a: bool = True, carry_c: bool = True, c0_is_a0: bool = False,
             x_first: bool = False, o_reads_c: bool = False, swap_fi: bool = False,
             tanh_on_c: bool = True, cand: Fn = np.tanh, axis: int = 0,
             naive: bool = False) -> tuple[Any, ...]:
    _, m, T_x = x.shape
    n_y, n_a = p["Wy"].shape
    a, c, y = np.zeros((n_a, m, T_x)), np.zeros((n_a, m, T_x)), np.zeros((n_y, m, T_x))
    caches = []
    a_prev, c_prev = a0, (a0 if c0_is_a0 else np.zeros_like(a0))
    for t in range(T_x):
        xt = x[:, :, t]
        concat = np.concatenate((xt, a_prev) if x_first else (a_prev, xt), axis=0)
        ft = _sigmoid(p["Wf"] @ concat + p["bf"])
        it = _sigmoid(p["Wi"] @ concat + p["bi"])
        cct = cand(p["Wc"] @ concat + p["bc"])
        c_next = it * c_prev + ft * cct if swap_fi else ft * c_prev + it * cct
        ot = _sigmoid(p["Wo"] @ (np.concatenate((c_prev, xt)) if o_reads_c else concat) + p["bo"])
        a_next = ot * (np.tanh(c_next) if tanh_on_c else c_next)
        y[:, :, t] = _softmax(p["Wy"] @ a_next + p["by"], axis, naive)
        a[:, :, t], c[:, :, t] = a_next, c_next
        caches.append((a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, p))
        a_prev = a_next if carry_a else a0
        c_prev = c_next if carry_c else np.zeros_like(a0)
    return a, y, c, (caches, x)


def _variant(id: str, message: str, **flags: Any) -> Mistake:
    def variant(x: A, a0: A, parameters: P) -> tuple[Any, ...]:
        return _forward(x, a0, parameters, **flags)

    return mistake(id, message)(variant)


a0_every_step = _variant(
    "a0_every_step", "Every step starts again from a0. a⟨t−1⟩ must be the previous step's a⟨t⟩: "
    "set a_next = a0 once before the loop, then pass a_next into lstm_cell_forward at each step.",
    carry_a=False)
c_not_carried = _variant(
    "c_not_carried", "The memory cell is not carried between steps: every step starts from c = 0. "
    "Set c_next to zeros once before the loop and pass the c_next of step t into step t+1: "
    "c⟨t⟩ = Γf*c⟨t−1⟩ + Γu*c̃⟨t⟩.", carry_c=False)
c0_is_a0 = _variant(
    "c0_is_a0", "The memory cell starts from a0. It starts from zeros, c⟨0⟩ = 0 (c_next = np.zeros(a0.shape)); "
    "only the hidden state starts from a0.", c0_is_a0=True)
concat_order = _variant(
    "concat_order", f"The concatenation is in the wrong order. The course stacks a⟨t−1⟩ above x⟨t⟩: "
    f"concat = {CONCAT}, and every gate's W acts on that.", x_first=True)
output_gate_c_prev = _variant(
    "output_gate_c_prev", f"The output gate reads c⟨t−1⟩. Like the other gates it reads a⟨t−1⟩: "
    f"Γo = σ(Wo {CONCAT} + bo). (The c⟨t−1⟩ in the lecture notes' formula is a typo.)", o_reads_c=True)
forget_update_swapped = _variant(
    "forget_update_swapped", "The forget and update gates are swapped: c⟨t⟩ = Γf*c⟨t−1⟩ + Γu*c̃⟨t⟩. "
    "The forget gate ft scales the old memory c_prev; the update gate it scales the candidate cct.",
    swap_fi=True)
missing_tanh_c_next = _variant(
    "missing_tanh_c_next", "a⟨t⟩ is missing the tanh on the memory cell: a⟨t⟩ = Γo*tanh(c⟨t⟩).",
    tanh_on_c=False)
sigmoid_for_tanh = _variant(
    "sigmoid_for_tanh", f"The candidate uses sigmoid where tanh belongs: c̃⟨t⟩ = tanh(Wc {CONCAT} + bc).",
    cand=_sigmoid)
softmax_wrong_axis = _variant(
    "softmax_wrong_axis", "The softmax normalises over the wrong axis. ŷ⟨t⟩ = softmax(Wy a⟨t⟩ + by) sums "
    "over the n_y classes (axis 0, each column sums to 1), not over the m examples.", axis=1)
naive_softmax_overflow = _variant(
    "naive_softmax_overflow", "The softmax overflows for large logits: exp of a large number is inf, and inf/inf is NaN. "
    "Subtract each column's maximum first, softmax(z) = exp(z − max(z)) / Σ exp(z − max(z)), "
    "or use softmax from rnn_utils.", naive=True)
