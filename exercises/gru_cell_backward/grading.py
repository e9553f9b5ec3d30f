"""gru_cell_backward: NumPy reference for the lecture's GRU cell, cases and graded outputs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from graders.exercise import Case, fixed_outputs, profile_cases

Draw = Callable[[tuple[int, ...]], np.ndarray]
KEYS = ("dxt", "dc_prev", "dWr", "dWu", "dWc", "dbr", "dbu", "dbc")


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-z))


def forward_cache(xt: np.ndarray, c_prev: np.ndarray, p: dict[str, np.ndarray]) -> tuple[Any, ...]:
    """The lecture GRU step's cache: (c_next, c_prev, rt, ut, cct, xt, parameters)."""
    concat = np.concatenate((c_prev, xt), axis=0)
    rt = _sigmoid(p["Wr"] @ concat + p["br"])
    ut = _sigmoid(p["Wu"] @ concat + p["bu"])
    cct = np.tanh(p["Wc"] @ np.concatenate((rt * c_prev, xt), axis=0) + p["bc"])
    c_next = ut * cct + (1 - ut) * c_prev
    return (c_next, c_prev, rt, ut, cct, xt, p)


def reference(dc_next: np.ndarray, cache: tuple[Any, ...]) -> dict[str, np.ndarray]:
    """Back through c⟨t⟩ = Γu*c̃ + (1−Γu)*c⟨t−1⟩, the candidate, and the reset gate inside it."""
    _, c_prev, rt, ut, cct, xt, p = cache
    n_c = c_prev.shape[0]
    dcct = dc_next * ut * (1 - cct**2)  # gradient at the candidate's pre-activation
    dut = dc_next * (cct - c_prev) * ut * (1 - ut)
    concat = np.concatenate((c_prev, xt), axis=0)
    concat_r = np.concatenate((rt * c_prev, xt), axis=0)
    dconcat_r = p["Wc"].T @ dcct
    drc = dconcat_r[:n_c]  # gradient at rt * c_prev
    drt = drc * c_prev * rt * (1 - rt)
    dconcat = p["Wr"].T @ drt + p["Wu"].T @ dut
    return {
        "dxt": dconcat[n_c:] + dconcat_r[n_c:],
        "dc_prev": dc_next * (1 - ut) + drc * rt + dconcat[:n_c],
        "dWr": drt @ concat.T, "dWu": dut @ concat.T, "dWc": dcct @ concat_r.T,
        "dbr": drt.sum(axis=1, keepdims=True), "dbu": dut.sum(axis=1, keepdims=True),
        "dbc": dcct.sum(axis=1, keepdims=True),
    }


def _case(name: str, draw: Draw, n_x: int, n_c: int, n_y: int, m: int,
          *, hidden: bool = False, large: bool = False) -> Case:
    """Draw xt, c_prev, Wr, br, Wu, bu, Wc, bc, Wy, by; run the forward step; draw dc_next."""
    xt, c_prev = draw((n_x, m)), draw((n_c, m))
    p: dict[str, np.ndarray] = {}
    for gate in "ruc":
        p["W" + gate], p["b" + gate] = draw((n_c, n_c + n_x)), draw((n_c, 1))
    p["Wy"], p["by"] = draw((n_y, n_c)), draw((n_y, 1))
    cache = forward_cache(xt, c_prev, p)
    dc_next = draw((n_c, m))
    note = f"n_x={n_x}, n_c={n_c}, m={m}"
    if large:
        dc_next = 1000 * dc_next
        note += "; dc_next around 1000"
    return Case(name, (dc_next, cache), hidden=hidden, note=note)


def public_cases() -> list[Case]:
    """Two fixed cases drawn from seeded generators."""
    rs1, rs2 = np.random.RandomState(1), np.random.RandomState(2)
    return [
        _case("seed 1", lambda s: rs1.randn(*s), 3, 5, 2, 10),
        _case("small, n_x > n_c", lambda s: rs2.randn(*s), 4, 2, 3, 3),
    ]


_PROFILES: tuple[tuple[str, dict[str, Any]], ...] = (
    ("m=1", {"m": 1}),
    ("n_c=1", {"n_c": 1}),
    ("large gradients", {"large": True}),
    ("random shapes", {}),
)


def hidden_cases(rng: np.random.Generator, count: int) -> list[Case]:
    """Randomised cases cycling through the edge profiles; n_x differs from n_c throughout."""
    sizes = {"n_x": (2, 6), "n_c": (2, 6), "n_y": (2, 5), "m": (2, 6)}
    return profile_cases(rng, count, _PROFILES, sizes, _case, distinct=("n_x", "n_c"))


outputs = fixed_outputs({key: (key,) for key in KEYS})
