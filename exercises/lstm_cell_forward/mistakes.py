"""lstm_cell_forward: known mistakes, each a small variant of the reference."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from graders.exercise import Mistake, mistake

A = np.ndarray
P = dict[str, np.ndarray]
Fn = Callable[[A], A]


def _sigmoid(z: A) -> A:
    return 1 / (1 + np.exp(-z))


def _softmax(z: A, axis: int = 0, naive: bool = False) -> A:
    e = np.exp(z if naive else z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def _cell(xt: A, a_prev: A, c_prev: A, p: P, *, x_first: bool = False, o_reads_c: bool = False,
          swap_fi: bool = False, tanh_on_c: bool = True, a_from_c_prev: bool = False,
          cand: Fn = np.tanh, gate: Fn = _sigmoid, axis: int = 0, drop: str = "",
          y_from_c: bool = False, cache_swap_fi: bool = False, naive: bool = False) -> tuple[Any, ...]:
    def b(name: str) -> A | float:
        return 0.0 if name == drop else p[name]

    concat = np.concatenate((xt, a_prev) if x_first else (a_prev, xt), axis=0)
    ft = gate(p["Wf"] @ concat + b("bf"))
    it = gate(p["Wi"] @ concat + b("bi"))
    cct = cand(p["Wc"] @ concat + b("bc"))
    c_next = it * c_prev + ft * cct if swap_fi else ft * c_prev + it * cct
    ot = gate(p["Wo"] @ (np.concatenate((c_prev, xt)) if o_reads_c else concat) + b("bo"))
    c_used = c_prev if a_from_c_prev else c_next
    a_next = ot * (np.tanh(c_used) if tanh_on_c else c_used)
    yt_pred = _softmax(p["Wy"] @ (c_next if y_from_c else a_next) + b("by"), axis, naive)
    gates = (it, ft) if cache_swap_fi else (ft, it)
    cache = (a_next, c_next, a_prev, c_prev, *gates, cct, ot, xt, p)
    return a_next, c_next, yt_pred, cache


def _variant(id: str, message: str, **flags: Any) -> Mistake:
    def variant(xt: A, a_prev: A, c_prev: A, parameters: P) -> tuple[Any, ...]:
        return _cell(xt, a_prev, c_prev, parameters, **flags)

    return mistake(id, message)(variant)


CONCAT = "[a⟨t−1⟩; x⟨t⟩]"

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
a_next_from_c_prev = _variant(
    "a_next_from_c_prev", "a⟨t⟩ is computed from the old memory c⟨t−1⟩; use the new one: "
    "a⟨t⟩ = Γo*tanh(c⟨t⟩).", a_from_c_prev=True)
sigmoid_for_tanh = _variant(
    "sigmoid_for_tanh", f"The candidate uses sigmoid where tanh belongs: c̃⟨t⟩ = tanh(Wc {CONCAT} + bc).",
    cand=_sigmoid)
tanh_for_sigmoid = _variant(
    "tanh_for_sigmoid", f"The gates use tanh where sigmoid belongs: Γf = σ(Wf {CONCAT} + bf), and Γu and Γo "
    "likewise, with values between 0 and 1.", gate=np.tanh)
softmax_wrong_axis = _variant(
    "softmax_wrong_axis", "The softmax normalises over the wrong axis. ŷ⟨t⟩ = softmax(Wy a⟨t⟩ + by) sums "
    "over the n_y classes (axis 0, each column sums to 1), not over the m examples.", axis=1)
output_from_c_next = _variant(
    "output_from_c_next", "ŷ⟨t⟩ is computed from c⟨t⟩; the prediction reads the hidden state: "
    "ŷ⟨t⟩ = softmax(Wy a⟨t⟩ + by).", y_from_c=True)
cache_order = _variant(
    "cache_order", "The cache has ft and it in each other's place. The course's order is "
    "cache = (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters).", cache_swap_fi=True)
missing_bf = _variant("missing_bf", f"The bias bf is missing: Γf = σ(Wf {CONCAT} + bf).", drop="bf")
missing_bi = _variant("missing_bi", f"The bias bi is missing: Γu = σ(Wi {CONCAT} + bi).", drop="bi")
missing_bc = _variant("missing_bc", f"The bias bc is missing: c̃⟨t⟩ = tanh(Wc {CONCAT} + bc).", drop="bc")
missing_bo = _variant("missing_bo", f"The bias bo is missing: Γo = σ(Wo {CONCAT} + bo).", drop="bo")
missing_by = _variant("missing_by", "The bias by is missing: ŷ⟨t⟩ = softmax(Wy a⟨t⟩ + by).", drop="by")
naive_softmax_overflow = _variant(
    "naive_softmax_overflow", "The softmax overflows for large logits: exp of a large number is inf, and inf/inf is NaN. "
    "Subtract each column's maximum first, softmax(z) = exp(z − max(z)) / Σ exp(z − max(z)), "
    "or use softmax from rnn_utils.", naive=True)
