"""lstm_backward: NumPy reference (corrected 2021 course math), cases (caches from a correct forward)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from graders.exercise import Case, fixed_outputs, profile_cases

Draw = Callable[[tuple[int, ...]], np.ndarray]
KEYS = ("dx", "da0", "dWf", "dbf", "dWi", "dbi", "dWc", "dbc", "dWo", "dbo")


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-z))


def forward_caches(x: np.ndarray, a0: np.ndarray, p: dict[str, np.ndarray]) -> tuple[Any, ...]:
    """lstm_forward's caches: ([10-tuple cell cache per step], x), from c⟨0⟩ = 0."""
    caches, a_prev, c_prev = [], a0, np.zeros_like(a0)
    for t in range(x.shape[2]):
        xt = x[:, :, t]
        concat = np.concatenate((a_prev, xt), axis=0)
        ft = _sigmoid(p["Wf"] @ concat + p["bf"])
        it = _sigmoid(p["Wi"] @ concat + p["bi"])
        cct = np.tanh(p["Wc"] @ concat + p["bc"])
        c_next = ft * c_prev + it * cct
        ot = _sigmoid(p["Wo"] @ concat + p["bo"])
        a_next = ot * np.tanh(c_next)
        caches.append((a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, p))
        a_prev, c_prev = a_next, c_next
    return caches, x


def _cell_backward(da_next: np.ndarray, dc_next: np.ndarray, cache: tuple[Any, ...]) -> dict[str, np.ndarray]:
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


def reference(da: np.ndarray, caches: tuple[Any, ...]) -> dict[str, np.ndarray]:
    """From t = T_x down to 1, step t receives da[:, :, t] plus the carried da_prev, and the carried dc_prev."""
    steps, x = caches
    n_a, m, T_x = da.shape
    p = steps[0][9]
    out: dict[str, np.ndarray] = {"dx": np.zeros((x.shape[0], m, T_x))}
    for g in "fico":
        out["dW" + g], out["db" + g] = np.zeros_like(p["W" + g]), np.zeros((n_a, 1))
    da_prevt, dc_prevt = np.zeros((n_a, m)), np.zeros((n_a, m))
    for t in reversed(range(T_x)):
        grads = _cell_backward(da[:, :, t] + da_prevt, dc_prevt, steps[t])
        out["dx"][:, :, t] = grads["dxt"]
        da_prevt, dc_prevt = grads["da_prev"], grads["dc_prev"]
        for g in "fico":
            out["dW" + g] += grads["dW" + g]
            out["db" + g] += grads["db" + g]
    out["da0"] = da_prevt
    return {key: out[key] for key in KEYS}


def _case(name: str, draw: Draw, n_x: int, n_a: int, n_y: int, m: int, T_x: int,
          *, hidden: bool = False, large: bool = False) -> Case:
    """Draw in the notebook's order: x, a0, Wf, bf, Wi, bi, Wo, bo, Wc, bc, Wy, by; run the forward; draw da."""
    x, a0 = draw((n_x, m, T_x)), draw((n_a, m))
    p: dict[str, np.ndarray] = {}
    for gate in "fioc":
        p["W" + gate], p["b" + gate] = draw((n_a, n_a + n_x)), draw((n_a, 1))
    p["Wy"], p["by"] = draw((n_y, n_a)), draw((n_y, 1))
    caches = forward_caches(x, a0, p)
    da = draw((n_a, m, T_x))
    note = f"n_x={n_x}, n_a={n_a}, m={m}, T_x={T_x}"
    if large:
        da = 1000 * da
        note += "; da around 1000"
    return Case(name, (da, caches), hidden=hidden, note=note)


def public_cases() -> list[Case]:
    """Two fixed cases; the first is built like the notebook's test (seed 1), with da as long as x."""
    rs1, rs2 = np.random.RandomState(1), np.random.RandomState(2)
    return [
        _case("course example (seed 1)", lambda s: rs1.randn(*s), 3, 5, 2, 10, 7),
        _case("small, n_x > n_a", lambda s: rs2.randn(*s), 4, 2, 3, 3, 3),
    ]


_PROFILES: tuple[tuple[str, dict[str, Any]], ...] = (
    ("m=1", {"m": 1}),
    ("T_x=1, n_a=1", {"T_x": 1, "n_a": 1}),
    ("large gradients", {"large": True}),
    ("random shapes", {}),
)


def hidden_cases(rng: np.random.Generator, count: int) -> list[Case]:
    """Randomised cases cycling through the edge profiles; n_x differs from n_a throughout."""
    sizes = {"n_x": (2, 6), "n_a": (2, 6), "n_y": (2, 5), "m": (2, 6), "T_x": (2, 6)}
    return profile_cases(rng, count, _PROFILES, sizes, _case, distinct=("n_x", "n_a"))


outputs = fixed_outputs({key: (key,) for key in KEYS})
