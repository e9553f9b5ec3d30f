"""gru_cell_backward: known mistakes, each a small variant of the reference."""

from __future__ import annotations

from typing import Any

import numpy as np

from graders.exercise import Mistake, mistake

A = np.ndarray
CONCAT_R = "concat_r = [rt * c_prev; xt]"


def _backward(dc_next: A, cache: tuple[Any, ...], *, reset_path: bool = True, u_sign: float = 1.0,
              direct: bool = True, rt_factor: bool = True, wc_concat_r: bool = True,
              keepdims: bool = True, cand_deriv: bool = True) -> dict[str, Any]:
    _, c_prev, rt, ut, cct, xt, p = cache
    n_c = c_prev.shape[0]
    dcct = dc_next * ut * ((1 - cct**2) if cand_deriv else 1.0)
    dut = u_sign * dc_next * (cct - c_prev) * ut * (1 - ut)
    concat = np.concatenate((c_prev, xt), axis=0)
    concat_r = np.concatenate((rt * c_prev, xt), axis=0)
    dconcat_r = p["Wc"].T @ dcct
    drc = dconcat_r[:n_c]
    drt = drc * c_prev * rt * (1 - rt) if reset_path else np.zeros_like(rt)
    dconcat = p["Wr"].T @ drt + p["Wu"].T @ dut

    def db(d: A) -> A:
        return d.sum(axis=1, keepdims=True) if keepdims else d.sum(axis=1)

    return {
        "dxt": dconcat[n_c:] + dconcat_r[n_c:],
        "dc_prev": (dc_next * (1 - ut) if direct else 0) + drc * (rt if rt_factor else 1.0) + dconcat[:n_c],
        "dWr": drt @ concat.T, "dWu": dut @ concat.T, "dWc": dcct @ (concat_r if wc_concat_r else concat).T,
        "dbr": db(drt), "dbu": db(dut), "dbc": db(dcct),
    }


def _variant(id: str, message: str, **flags: Any) -> Mistake:
    def variant(dc_next: A, cache: tuple[Any, ...]) -> dict[str, Any]:
        return _backward(dc_next, cache, **flags)

    return mistake(id, message)(variant)


reset_path_dropped = _variant(
    "reset_path_dropped", "The path through the reset gate is dropped. rt depends on c_prev and xt, so "
    "drt = (Wc.T @ dcct)[:n_c] * c_prev * rt * (1 − rt), dWr = drt @ concat.T, dbr = Σ drt, and "
    "Wr.T @ drt adds to dc_prev (top rows) and dxt (bottom rows).", reset_path=False)
update_gate_sign_flipped = _variant(
    "update_gate_sign_flipped", "The update-gate gradient has the wrong sign. c⟨t⟩ = Γu*c̃ + (1 − Γu)*c⟨t−1⟩, "
    "so dΓu = dc_next * (cct − c_prev), and dut = dc_next * (cct − c_prev) * ut * (1 − ut).", u_sign=-1.0)
direct_path_missing = _variant(
    "direct_path_missing", "dc_prev misses the direct path: c⟨t⟩ contains (1 − Γu) * c⟨t−1⟩, so "
    "dc_prev = dc_next * (1 − ut) + (Wc.T @ dcct)[:n_c] * rt + (Wr.T @ drt + Wu.T @ dut)[:n_c].",
    direct=False)
reset_factor_missing = _variant(
    "reset_factor_missing", f"The candidate's path to c_prev misses the reset gate. The candidate reads "
    f"{CONCAT_R}, so that path gives (Wc.T @ dcct)[:n_c] * rt.", rt_factor=False)
dWc_without_reset = _variant(
    "dWc_without_reset", f"dWc uses the plain concat. Wc multiplies {CONCAT_R}, so dWc = dcct @ concat_r.T.",
    wc_concat_r=False)
db_no_keepdims = _variant(
    "db_no_keepdims", "The bias gradients lost their second axis: sum with keepdims, "
    "dbr = np.sum(drt, axis=1, keepdims=True), so each has shape (n_c, 1) like br.", keepdims=False)
candidate_derivative_missing = _variant(
    "candidate_derivative_missing", "dcct skips the tanh derivative: cct = tanh(z), so "
    "dcct = dc_next * ut * (1 − cct²).", cand_deriv=False)
