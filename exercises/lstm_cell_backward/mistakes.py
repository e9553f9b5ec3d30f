"""lstm_cell_backward: known mistakes, each a small variant of the reference."""

from __future__ import annotations

from typing import Any

import numpy as np

from graders.exercise import Mistake, mistake

A = np.ndarray
DC = "dc = dc_next + ot * (1 − tanh(c_next)²) * da_next"


def _backward(da_next: A, dc_next: A, cache: tuple[Any, ...], *, dtanh_c: bool = True,
              cand_gate: str = "it", keepdims: bool = True, dxt_rows: str = "bottom",
              dc_prev_a_path: bool = True, gate_derivs: bool = True, cand_deriv: bool = True,
              db_axis: int = 1) -> dict[str, Any]:
    a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, p = cache
    n_a, n_x = a_next.shape[0], xt.shape[0]
    local = (1 - np.tanh(c_next) ** 2) if dtanh_c else 1.0
    from_a = ot * local * da_next
    dc = dc_next + from_a
    gate = {"it": it, "ot": ot}[cand_gate]
    dot = da_next * np.tanh(c_next) * (ot * (1 - ot) if gate_derivs else 1.0)
    dcct = dc * gate * ((1 - cct**2) if cand_deriv else 1.0)
    dit = dc * cct * (it * (1 - it) if gate_derivs else 1.0)
    dft = dc * c_prev * (ft * (1 - ft) if gate_derivs else 1.0)
    concat = np.concatenate((a_prev, xt), axis=0)
    dconcat = p["Wf"].T @ dft + p["Wi"].T @ dit + p["Wc"].T @ dcct + p["Wo"].T @ dot
    dxt = dconcat[n_a:] if dxt_rows == "bottom" else dconcat[:n_x]
    dc_prev = dc * ft if dc_prev_a_path else dc_next * ft

    def db(d: A) -> A:
        return d.sum(axis=db_axis, keepdims=True) if keepdims else d.sum(axis=db_axis)

    return {
        "dxt": dxt, "da_prev": dconcat[:n_a], "dc_prev": dc_prev,
        "dWf": dft @ concat.T, "dWi": dit @ concat.T, "dWc": dcct @ concat.T, "dWo": dot @ concat.T,
        "dbf": db(dft), "dbi": db(dit), "dbc": db(dcct), "dbo": db(dot),
    }


def _variant(id: str, message: str, **flags: Any) -> Mistake:
    def variant(da_next: A, dc_next: A, cache: tuple[Any, ...]) -> dict[str, Any]:
        return _backward(da_next, dc_next, cache, **flags)

    return mistake(id, message)(variant)


tanh_derivative_c_next_missing = _variant(
    "tanh_derivative_c_next_missing", "The path from a_next to c_next misses the tanh derivative. Since "
    f"a_next = ot * tanh(c_next), the gradient reaching c_next is {DC}.", dtanh_c=False)
ot_for_it = _variant(
    "ot_for_it", "dcct uses ot where it belongs. The candidate enters c_next as it * cct, so "
    f"dcct = dc * it * (1 − cct²), with {DC}.", cand_gate="ot")
db_no_keepdims = _variant(
    "db_no_keepdims", "The bias gradients lost their second axis: sum with keepdims, "
    "dbf = np.sum(dft, axis=1, keepdims=True), so each has shape (n_a, 1) like bf.", keepdims=False)
db_wrong_axis = _variant(
    "db_wrong_axis", "The bias gradients are summed over the wrong axis. Sum over the m examples: "
    "dbf = np.sum(dft, axis=1, keepdims=True) (shape (n_a, 1)).", db_axis=0)
dxt_wrong_rows = _variant(
    "dxt_wrong_rows", "dxt takes the wrong rows of the concat gradient. concat = [a_prev; xt] has a_prev on "
    "top, so dxt is the bottom n_x rows: dxt = Wf[:, n_a:].T @ dft + Wi[:, n_a:].T @ dit + "
    "Wc[:, n_a:].T @ dcct + Wo[:, n_a:].T @ dot.", dxt_rows="top")
dc_prev_without_a_path = _variant(
    "dc_prev_without_a_path", "dc_prev misses the path through a_next. c_next also feeds "
    f"a_next = ot * tanh(c_next), so dc_prev = ({DC}) * ft.", dc_prev_a_path=False)
gate_derivatives_missing = _variant(
    "gate_derivatives_missing", "The gate gradients skip the sigmoid derivative: for a gate Γ = σ(z), "
    "dz = dΓ * Γ * (1 − Γ), e.g. dft = dc * c_prev * ft * (1 − ft).", gate_derivs=False)
candidate_derivative_missing = _variant(
    "candidate_derivative_missing", "dcct skips the tanh derivative of the candidate: "
    f"cct = tanh(z), so dcct = dc * it * (1 − cct²), with {DC}.", cand_deriv=False)
