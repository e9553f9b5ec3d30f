"""rnn_cell_backward: known mistakes, each a small variant of the reference."""

from __future__ import annotations

from typing import Any

import numpy as np

from graders.exercise import Mistake, mistake

A = np.ndarray
DZ = "dz = (1 − a⟨t⟩²) * da_next"


def _backward(da_next: A, cache: tuple[Any, ...], *, deriv: str = "1-a2", dba: str = "ok",
              dWaa_from_next: bool = False) -> dict[str, A]:
    a_next, a_prev, xt, p = cache
    local = {"1-a2": 1 - a_next**2, "1-a": 1 - a_next, "none": 1.0, "1-aprev2": 1 - a_prev**2}[deriv]
    dz = local * da_next
    sums = {"ok": lambda: dz.sum(axis=1, keepdims=True), "no_keepdims": lambda: dz.sum(axis=1),
            "axis0": lambda: dz.sum(axis=0, keepdims=True), "axis0_flat": lambda: dz.sum(axis=0),
            "not_summed": lambda: dz}
    return {"dxt": p["Wax"].T @ dz, "da_prev": p["Waa"].T @ dz, "dWax": dz @ xt.T,
            "dWaa": dz @ (a_next if dWaa_from_next else a_prev).T, "dba": sums[dba]()}


def _variant(id: str, message: str, **flags: Any) -> Mistake:
    def variant(da_next: A, cache: tuple[Any, ...]) -> dict[str, A]:
        return _backward(da_next, cache, **flags)

    return mistake(id, message)(variant)


tanh_derivative_1_minus_a = _variant(
    "tanh_derivative_1_minus_a", f"The tanh derivative is written as (1 − a). Since a⟨t⟩ = tanh(z), "
    f"da⟨t⟩/dz = 1 − a⟨t⟩², so {DZ} (square a_next).", deriv="1-a")
tanh_derivative_missing = _variant(
    "tanh_derivative_missing", f"The gradient skips the tanh: before the products, go back through "
    f"a⟨t⟩ = tanh(z) with {DZ}.", deriv="none")
derivative_at_a_prev = _variant(
    "derivative_at_a_prev", f"The tanh derivative uses a⟨t−1⟩. The tanh produced a⟨t⟩, so {DZ} uses a_next.",
    deriv="1-aprev2")
dWaa_from_a_next = _variant(
    "dWaa_from_a_next", "dWaa uses a⟨t⟩. Waa multiplied a⟨t−1⟩ in the forward step, so dWaa = dz · a⟨t−1⟩ᵀ "
    "(a_prev.T).", dWaa_from_next=True)
dba_no_keepdims = _variant(
    "dba_no_keepdims", "dba has shape (n_a,) instead of (n_a, 1): sum dz over the examples with keepdims, "
    "dba = np.sum(dz, axis=1, keepdims=True).", dba="no_keepdims")
dba_wrong_axis = _variant(
    "dba_wrong_axis", "dba is summed over the wrong axis. ba is shared by all m examples (the columns), so "
    "dba = np.sum(dz, axis=1, keepdims=True), of shape (n_a, 1).", dba="axis0")
dba_wrong_axis_no_keepdims = _variant(
    "dba_wrong_axis_no_keepdims", "dba is summed over the wrong axis and loses its second dimension: "
    "dba = np.sum(dz, axis=1, keepdims=True), of shape (n_a, 1).", dba="axis0_flat")
dba_not_summed = _variant(
    "dba_not_summed", "dba is not summed over the examples: ba is shared by all m columns, so "
    "dba = np.sum(dz, axis=1, keepdims=True), of shape (n_a, 1).", dba="not_summed")
