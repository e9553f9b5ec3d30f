"""lstm_cell_backward: NumPy reference (the corrected 2021 course formulas), cases and graded outputs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from graders.exercise import Case, fixed_outputs, profile_cases

Draw = Callable[[tuple[int, ...]], np.ndarray]
KEYS = ("dxt", "da_prev", "dc_prev", "dWf", "dWi", "dWc", "dWo", "dbf", "dbi", "dbc", "dbo")


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-z))


def forward_cache(xt: np.ndarray, a_prev: np.ndarray, c_prev: np.ndarray,
                  p: dict[str, np.ndarray]) -> tuple[Any, ...]:
    """lstm_cell_forward's cache: (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters)."""
    concat = np.concatenate((a_prev, xt), axis=0)
    ft = _sigmoid(p["Wf"] @ concat + p["bf"])
    it = _sigmoid(p["Wi"] @ concat + p["bi"])
    cct = np.tanh(p["Wc"] @ concat + p["bc"])
    c_next = ft * c_prev + it * cct
    ot = _sigmoid(p["Wo"] @ concat + p["bo"])
    a_next = ot * np.tanh(c_next)
    return (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, p)


def reference(da_next: np.ndarray, dc_next: np.ndarray, cache: tuple[Any, ...]) -> dict[str, np.ndarray]:
    """One LSTM step backwards; dc_next excludes the path through a_next = ot*tanh(c_next), added here."""
    a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, p = cache
    n_a = a_next.shape[0]
    dc = dc_next + ot * (1 - np.tanh(c_next) ** 2) * da_next  # everything that reaches c_next
    dot = da_next * np.tanh(c_next) * ot * (1 - ot)
    dcct = dc * it * (1 - cct**2)
    dit = dc * cct * it * (1 - it)
    dft = dc * c_prev * ft * (1 - ft)
    concat = np.concatenate((a_prev, xt), axis=0)
    dconcat = p["Wf"].T @ dft + p["Wi"].T @ dit + p["Wc"].T @ dcct + p["Wo"].T @ dot
    return {
        "dxt": dconcat[n_a:], "da_prev": dconcat[:n_a], "dc_prev": dc * ft,
        "dWf": dft @ concat.T, "dWi": dit @ concat.T, "dWc": dcct @ concat.T, "dWo": dot @ concat.T,
        "dbf": dft.sum(axis=1, keepdims=True), "dbi": dit.sum(axis=1, keepdims=True),
        "dbc": dcct.sum(axis=1, keepdims=True), "dbo": dot.sum(axis=1, keepdims=True),
    }


def _case(name: str, draw: Draw, n_x: int, n_a: int, n_y: int, m: int,
          *, hidden: bool = False, large: bool = False) -> Case:
    """Draw in the notebook's order: xt, a_prev, c_prev, Wf, bf, Wi, bi, Wo, bo, Wc, bc, Wy, by,
    run the forward step, then draw da_next and dc_next."""
    xt, a_prev, c_prev = draw((n_x, m)), draw((n_a, m)), draw((n_a, m))
    p: dict[str, np.ndarray] = {}
    for gate in "fioc":
        p["W" + gate], p["b" + gate] = draw((n_a, n_a + n_x)), draw((n_a, 1))
    p["Wy"], p["by"] = draw((n_y, n_a)), draw((n_y, 1))
    cache = forward_cache(xt, a_prev, c_prev, p)
    da_next, dc_next = draw((n_a, m)), draw((n_a, m))
    note = f"n_x={n_x}, n_a={n_a}, m={m}"
    if large:
        da_next, dc_next = 1000 * da_next, 1000 * dc_next
        note += "; upstream gradients around 1000"
    return Case(name, (da_next, dc_next, cache), hidden=hidden, note=note)


def public_cases() -> list[Case]:
    """Two fixed cases; the first is built like the notebook's own test (seed 1)."""
    rs1, rs2 = np.random.RandomState(1), np.random.RandomState(2)
    return [
        _case("course example (seed 1)", lambda s: rs1.randn(*s), 3, 5, 2, 10),
        _case("small, n_x > n_a", lambda s: rs2.randn(*s), 4, 2, 3, 3),
    ]


_PROFILES: tuple[tuple[str, dict[str, Any]], ...] = (
    ("m=1", {"m": 1}),
    ("n_a=1", {"n_a": 1}),
    ("large gradients", {"large": True}),
    ("random shapes", {}),
)


def hidden_cases(rng: np.random.Generator, count: int) -> list[Case]:
    """Randomised cases cycling through the edge profiles; n_x differs from n_a throughout."""
    sizes = {"n_x": (2, 6), "n_a": (2, 6), "n_y": (2, 5), "m": (2, 6)}
    return profile_cases(rng, count, _PROFILES, sizes, _case, distinct=("n_x", "n_a"))


outputs = fixed_outputs({key: (key,) for key in KEYS})
