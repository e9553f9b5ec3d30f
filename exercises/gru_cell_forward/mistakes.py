"""gru_cell_forward: known mistakes, each a small variant of the reference."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from graders.exercise import Mistake, mistake

A = np.ndarray
P = dict[str, np.ndarray]
Fn = Callable[[A], A]
CONCAT = "[c⟨t−1⟩; x⟨t⟩]"
CAND = "c̃⟨t⟩ = tanh(Wc [Γr*c⟨t−1⟩; x⟨t⟩] + bc)"


def _sigmoid(z: A) -> A:
    return 1 / (1 + np.exp(-z))


def _softmax(z: A, axis: int = 0, naive: bool = False) -> A:
    e = np.exp(z if naive else z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def _cell(xt: A, c_prev: A, p: P, *, flip_u: bool = False, reset: bool = True, swap_ru: bool = False,
          x_first: bool = False, cand: Fn = np.tanh, gate: Fn = _sigmoid, axis: int = 0, drop: str = "",
          y_from_cand: bool = False, naive: bool = False) -> tuple[Any, ...]:
    def b(name: str) -> A | float:
        return 0.0 if name == drop else p[name]

    def cat(c: A) -> A:
        return np.concatenate((xt, c) if x_first else (c, xt), axis=0)

    rt = gate(p["Wr"] @ cat(c_prev) + b("br"))
    ut = gate(p["Wu"] @ cat(c_prev) + b("bu"))
    if swap_ru:
        rt, ut = ut, rt
    cct = cand(p["Wc"] @ cat(rt * c_prev if reset else c_prev) + b("bc"))
    c_next = (1 - ut) * cct + ut * c_prev if flip_u else ut * cct + (1 - ut) * c_prev
    yt_pred = _softmax(p["Wy"] @ (cct if y_from_cand else c_next) + b("by"), axis, naive)
    return c_next, yt_pred, (c_next, c_prev, rt, ut, cct, xt, p)


def _variant(id: str, message: str, **flags: Any) -> Mistake:
    def variant(xt: A, c_prev: A, parameters: P) -> tuple[Any, ...]:
        return _cell(xt, c_prev, parameters, **flags)

    return mistake(id, message)(variant)


update_gate_flipped = _variant(
    "update_gate_flipped", "The update gate is flipped: c⟨t⟩ = Γu*c̃⟨t⟩ + (1−Γu)*c⟨t−1⟩. Γu weights the "
    "new candidate c̃⟨t⟩ and 1−Γu keeps the old memory, not the other way round.", flip_u=True)
reset_gate_missing = _variant(
    "reset_gate_missing", f"The reset gate is missing from the candidate: {CAND}. Multiply c⟨t−1⟩ by Γr "
    "before concatenating it with x⟨t⟩.", reset=False)
reset_update_swapped = _variant(
    "reset_update_swapped", f"The reset and update gates are used in each other's place. Γr (from Wr, br) "
    f"scales c⟨t−1⟩ inside the candidate, {CAND}; Γu (from Wu, bu) mixes: c⟨t⟩ = Γu*c̃⟨t⟩ + (1−Γu)*c⟨t−1⟩.",
    swap_ru=True)
concat_order = _variant(
    "concat_order", f"The concatenation is in the wrong order. c⟨t−1⟩ goes above x⟨t⟩: "
    f"Γr = σ(Wr {CONCAT} + br), the same for Γu, and {CAND}.", x_first=True)
sigmoid_for_tanh = _variant(
    "sigmoid_for_tanh", f"The candidate uses sigmoid where tanh belongs: {CAND}.", cand=_sigmoid)
tanh_for_sigmoid = _variant(
    "tanh_for_sigmoid", f"The gates use tanh where sigmoid belongs: Γr = σ(Wr {CONCAT} + br) and "
    f"Γu = σ(Wu {CONCAT} + bu), values between 0 and 1.", gate=np.tanh)
softmax_wrong_axis = _variant(
    "softmax_wrong_axis", "The softmax normalises over the wrong axis. ŷ⟨t⟩ = softmax(Wy c⟨t⟩ + by) sums "
    "over the n_y classes (axis 0, each column sums to 1), not over the m examples.", axis=1)
output_from_candidate = _variant(
    "output_from_candidate", "ŷ⟨t⟩ is computed from the candidate c̃⟨t⟩; it reads the new memory: "
    "ŷ⟨t⟩ = softmax(Wy c⟨t⟩ + by).", y_from_cand=True)
missing_br = _variant("missing_br", f"The bias br is missing: Γr = σ(Wr {CONCAT} + br).", drop="br")
missing_bu = _variant("missing_bu", f"The bias bu is missing: Γu = σ(Wu {CONCAT} + bu).", drop="bu")
missing_bc = _variant("missing_bc", f"The bias bc is missing: {CAND}.", drop="bc")
missing_by = _variant("missing_by", "The bias by is missing: ŷ⟨t⟩ = softmax(Wy c⟨t⟩ + by).", drop="by")
naive_softmax_overflow = _variant(
    "naive_softmax_overflow", "The softmax overflows for large logits: exp of a large number is inf, and inf/inf is NaN. "
    "Subtract each column's maximum first, softmax(z) = exp(z − max(z)) / Σ exp(z − max(z)), "
    "or use softmax from rnn_utils.", naive=True)
