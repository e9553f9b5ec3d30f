"""lstm_backward: known mistakes, each a small variant of the reference."""

from __future__ import annotations

from typing import Any

import numpy as np

from graders.exercise import Mistake, mistake

A = np.ndarray
KEYS = ("dx", "da0", "dWf", "dbf", "dWi", "dbi", "dWc", "dbc", "dWo", "dbo")
CALL = "gradients = lstm_cell_backward(da[:, :, t] + da_prevt, dc_prevt, caches[t])"


def _cell_backward(da_next: A, dc_next: A, cache: tuple[Any, ...]) -> dict[str, A]:
    a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, p = cache
    n_a = a_next.shape[0]
    dc = dc_next + ot * (1 - np.tanh(c_next) ** 2) * da_next
    d = {"o": da_next * np.tanh(c_next) * ot * (1 - ot), "c": dc * it * (1 - cct**2),
         "i": dc * cct * it * (1 - it), "f": dc * c_prev * ft * (1 - ft)}
    concat = np.concatenate((a_prev, xt), axis=0)
    dconcat = sum(p["W" + g].T @ d[g] for g in "fico")
    out = {"dxt": dconcat[n_a:], "da_prev": dconcat[:n_a], "dc_prev": dc * ft}
    for g in "fico":
        out["dW" + g], out["db" + g] = d[g] @ concat.T, d[g].sum(axis=1, keepdims=True)
    return out


def _bptt(da: A, caches: tuple[Any, ...], *, carry_a: bool = True, carry_c: bool = True,
          accumulate: bool = True, reverse: bool = True, da0_late: bool = False) -> dict[str, A]:
    steps, x = caches
    n_a, m, T_x = da.shape
    p = steps[0][9]
    out: dict[str, A] = {"dx": np.zeros((x.shape[0], m, T_x))}
    for g in "fico":
        out["dW" + g], out["db" + g] = np.zeros_like(p["W" + g]), np.zeros((n_a, 1))
    da_prevt, dc_prevt = np.zeros((n_a, m)), np.zeros((n_a, m))
    da0 = np.zeros((n_a, m))
    for t in reversed(range(T_x)) if reverse else range(T_x):
        da0 = da_prevt  # what reaches a⟨t⟩ from later steps, before step t is processed
        grads = _cell_backward(da[:, :, t] + (da_prevt if carry_a else 0), dc_prevt if carry_c else
                               np.zeros((n_a, m)), steps[t])
        out["dx"][:, :, t] = grads["dxt"]
        da_prevt, dc_prevt = grads["da_prev"], grads["dc_prev"]
        for key in [k + g for g in "fico" for k in ("dW", "db")]:
            out[key] = out[key] + grads[key] if accumulate else grads[key]
    out["da0"] = da0 if da0_late else da_prevt
    return {key: out[key] for key in KEYS}


def _variant(id: str, message: str, **flags: Any) -> Mistake:
    def variant(da: A, caches: tuple[Any, ...]) -> dict[str, A]:
        return _bptt(da, caches, **flags)

    return mistake(id, message)(variant)


da_not_carried = _variant(
    "da_not_carried", "The hidden-state gradient is not carried between steps. a⟨t⟩ also feeds step t+1, so "
    f"step t must receive da[:, :, t] plus the da_prev returned by step t+1: {CALL}.", carry_a=False)
dc_not_carried = _variant(
    "dc_not_carried", "The memory-cell gradient is not carried between steps: every step gets dc_next = 0. "
    f"Start with dc_prevt = zeros, then pass the dc_prev returned by step t+1 into step t: {CALL}.",
    carry_c=False)
neither_carried = _variant(
    "neither_carried", "Neither da_prev nor dc_prev is carried between steps, as in the old (pre-2021) "
    f"notebook, whose expected values were wrong. Carry both: {CALL}, then da_prevt = "
    "gradients['da_prev'] and dc_prevt = gradients['dc_prev'].", carry_a=False, carry_c=False)
weights_not_accumulated = _variant(
    "weights_not_accumulated", "The weight and bias gradients keep only one step's value. The weights are "
    "shared by all steps, so add each step's gradients: dWf += gradients['dWf'], dbf += gradients['dbf'], "
    "and the same for i, c and o.", accumulate=False)
da0_wrong_step = _variant(
    "da0_wrong_step", "da0 comes from the wrong step. It is the da_prev returned by the last call of the "
    "loop (t = 0): after the loop, da0 = gradients['da_prev'].", da0_late=True)
forward_time_order = _variant(
    "forward_time_order", "The loop runs forward in time. Backpropagation through time starts at the last "
    f"step, for t in reversed(range(T_x)), so that {CALL} gets the gradients of step t+1.", reverse=False)
