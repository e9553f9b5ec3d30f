"""rnn_backward: known mistakes, each a small variant of the reference."""

from __future__ import annotations

from typing import Any

import numpy as np

from graders.exercise import Mistake, mistake

A = np.ndarray
FLOW = "gradients = rnn_cell_backward(da[:, :, t] + da_prevt, caches[t])"


def _bptt(da: A, caches: tuple[Any, ...], *, carry: bool = True, deriv: str = "1-a2",
          accumulate: bool = True, reverse: bool = True, set_da0: bool = True) -> dict[str, A]:
    steps, x = caches
    n_a, m, T_x = da.shape
    p = steps[0][3]
    dx = np.zeros((x.shape[0], m, T_x))
    dWax, dWaa, dba = np.zeros_like(p["Wax"]), np.zeros_like(p["Waa"]), np.zeros((n_a, 1))
    da_prevt = np.zeros((n_a, m))
    for t in reversed(range(T_x)) if reverse else range(T_x):
        a_next, a_prev, xt, _ = steps[t]
        local = {"1-a2": 1 - a_next**2, "1-a": 1 - a_next, "none": 1.0}[deriv]
        dz = local * (da[:, :, t] + (da_prevt if carry else 0))
        dx[:, :, t] = p["Wax"].T @ dz
        da_prevt = p["Waa"].T @ dz
        if accumulate:
            dWax, dWaa, dba = dWax + dz @ xt.T, dWaa + dz @ a_prev.T, dba + dz.sum(axis=1, keepdims=True)
        else:
            dWax, dWaa, dba = dz @ xt.T, dz @ a_prev.T, dz.sum(axis=1, keepdims=True)
    da0 = da_prevt if set_da0 else np.zeros((n_a, m))
    return {"dx": dx, "da0": da0, "dWax": dWax, "dWaa": dWaa, "dba": dba}


def _variant(id: str, message: str, **flags: Any) -> Mistake:
    def variant(da: A, caches: tuple[Any, ...]) -> dict[str, A]:
        return _bptt(da, caches, **flags)

    return mistake(id, message)(variant)


later_gradient_dropped = _variant(
    "later_gradient_dropped", "The gradient from later steps is dropped. a⟨t⟩ affects the loss directly "
    f"and through a⟨t+1⟩, so step t must receive both: {FLOW}, where da_prevt is the da_prev "
    "returned by step t+1.", carry=False)
forward_time_order = _variant(
    "forward_time_order", "The loop runs forward in time. Backpropagation through time starts at the last "
    f"step: for t in reversed(range(T_x)), so that da_prevt comes from step t+1 when {FLOW} is called.",
    reverse=False)
weights_not_accumulated = _variant(
    "weights_not_accumulated", "dWax, dWaa and dba keep only one step's gradient. The weights are shared by "
    "all steps, so add each step's gradients: dWax += dWaxt, dWaa += dWaat, dba += dbat.",
    accumulate=False)
da0_not_set = _variant(
    "da0_not_set", "da0 is left at zeros. After the loop, da0 is the da_prev of the first step: da0 = da_prevt.",
    set_da0=False)
tanh_derivative_1_minus_a = _variant(
    "tanh_derivative_1_minus_a", "The tanh derivative is written as (1 − a). Since a⟨t⟩ = tanh(z), "
    "da⟨t⟩/dz = 1 − a⟨t⟩², so dz = (1 − a⟨t⟩²) * da_next in rnn_cell_backward (square a_next).",
    deriv="1-a")
tanh_derivative_missing = _variant(
    "tanh_derivative_missing", "The gradient skips the tanh: in rnn_cell_backward go back through "
    "a⟨t⟩ = tanh(z) with dz = (1 − a⟨t⟩²) * da_next before the products.", deriv="none")
