"""gru_forward: known mistakes, each a small variant of the reference."""

from __future__ import annotations

from typing import Any

import numpy as np

from graders.exercise import Mistake, mistake

A = np.ndarray
P = dict[str, np.ndarray]
CAND = "c̃⟨t⟩ = tanh(Wc [Γr * c⟨t−1⟩; x⟨t⟩] + bc)"


def _sigmoid(z: A) -> A:
    return 1 / (1 + np.exp(-z))


def _softmax(z: A, axis: int = 0, naive: bool = False) -> A:
    e = np.exp(z if naive else z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def _forward(x: A, c0: A, p: P, *, carry: bool = True, reset: bool = True, flip_u: bool = False,
             x_first: bool = False, store_prev: bool = False, axis: int = 0,
             naive: bool = False) -> tuple[Any, ...]:
    _, m, T_x = x.shape
    n_y, n_c = p["Wy"].shape
    c, y = np.zeros((n_c, m, T_x)), np.zeros((n_y, m, T_x))
    caches, c_prev = [], c0
    for t in range(T_x):
        xt = x[:, :, t]
        concat = np.concatenate((xt, c_prev) if x_first else (c_prev, xt), axis=0)
        rt = _sigmoid(p["Wr"] @ concat + p["br"])
        ut = _sigmoid(p["Wu"] @ concat + p["bu"])
        gated = rt * c_prev if reset else c_prev
        cct = np.tanh(p["Wc"] @ np.concatenate((xt, gated) if x_first else (gated, xt), axis=0) + p["bc"])
        c_next = (1 - ut) * cct + ut * c_prev if flip_u else ut * cct + (1 - ut) * c_prev
        y[:, :, t] = _softmax(p["Wy"] @ c_next + p["by"], axis, naive)
        c[:, :, t] = c_prev if store_prev else c_next
        caches.append((c_next, c_prev, rt, ut, cct, xt, p))
        c_prev = c_next if carry else c0
    return c, y, (caches, x)


def _variant(id: str, message: str, **flags: Any) -> Mistake:
    def variant(x: A, c0: A, parameters: P) -> tuple[Any, ...]:
        return _forward(x, c0, parameters, **flags)

    return mistake(id, message)(variant)


c0_every_step = _variant(
    "c0_every_step", "Every step starts again from c0. c⟨t−1⟩ must be the previous step's c⟨t⟩: set "
    "c_next = c0 once before the loop, then pass c_next into gru_cell_forward at each step.", carry=False)
reset_gate_missing = _variant(
    "reset_gate_missing", f"The reset gate is forgotten: the candidate must use Γr * c⟨t−1⟩, {CAND}.",
    reset=False)
update_gate_flipped = _variant(
    "update_gate_flipped", "The update gate is applied the wrong way round: "
    "c⟨t⟩ = Γu * c̃⟨t⟩ + (1 − Γu) * c⟨t−1⟩ (Γu weights the candidate).", flip_u=True)
concat_order = _variant(
    "concat_order", "The concatenation is in the wrong order. The course stacks c⟨t−1⟩ above x⟨t⟩: "
    f"concat = [c⟨t−1⟩; x⟨t⟩], and {CAND}.", x_first=True)
stores_c_prev = _variant(
    "stores_c_prev", "c[:, :, t] holds the state before the step. Store the new state: c[:, :, t] = c_next.",
    store_prev=True)
softmax_wrong_axis = _variant(
    "softmax_wrong_axis", "The softmax normalises over the wrong axis. ŷ⟨t⟩ = softmax(Wy c⟨t⟩ + by) sums "
    "over the n_y classes (axis 0, each column sums to 1), not over the m examples.", axis=1)
naive_softmax_overflow = _variant(
    "naive_softmax_overflow", "The softmax overflows for large logits: exp of a large number is inf, and "
    "inf/inf is NaN. Subtract the maximum first, softmax(z) = exp(z − max(z)) / Σ exp(z − max(z)), "
    "or use softmax from rnn_utils.", naive=True)
