"""rnn_backward: NumPy reference, cases (caches built by the reference forward) and graded outputs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from graders.exercise import Case, fixed_outputs, profile_cases

Draw = Callable[[tuple[int, ...]], np.ndarray]
KEYS = ("dx", "da0", "dWax", "dWaa", "dba")


def _forward_caches(x: np.ndarray, a0: np.ndarray, p: dict[str, np.ndarray]) -> tuple[Any, ...]:
    """rnn_forward's caches: ([(a_next, a_prev, xt, parameters) per step], x)."""
    caches, a_prev = [], a0
    for t in range(x.shape[2]):
        xt = x[:, :, t]
        a_next = np.tanh(p["Waa"] @ a_prev + p["Wax"] @ xt + p["ba"])
        caches.append((a_next, a_prev, xt, p))
        a_prev = a_next
    return caches, x


def reference(da: np.ndarray, caches: tuple[Any, ...]) -> dict[str, np.ndarray]:
    """BPTT from t = T_x down to 1; each step receives da[:, :, t] plus the gradient from step t+1."""
    steps, x = caches
    n_a, m, T_x = da.shape
    p = steps[0][3]
    dx = np.zeros((x.shape[0], m, T_x))
    dWax, dWaa, dba = np.zeros_like(p["Wax"]), np.zeros_like(p["Waa"]), np.zeros((n_a, 1))
    da_prevt = np.zeros((n_a, m))
    for t in reversed(range(T_x)):
        a_next, a_prev, xt, _ = steps[t]
        dz = (1 - a_next**2) * (da[:, :, t] + da_prevt)
        dx[:, :, t] = p["Wax"].T @ dz
        da_prevt = p["Waa"].T @ dz
        dWax += dz @ xt.T
        dWaa += dz @ a_prev.T
        dba += dz.sum(axis=1, keepdims=True)
    return {"dx": dx, "da0": da_prevt, "dWax": dWax, "dWaa": dWaa, "dba": dba}


def _case(name: str, draw: Draw, n_x: int, n_a: int, n_y: int, m: int, T_x: int,
          *, hidden: bool = False, large: bool = False) -> Case:
    """Draw in the notebook's order: x, a0, Wax, Waa, Wya, ba, by, run the forward, then da."""
    x, a0 = draw((n_x, m, T_x)), draw((n_a, m))
    p = {"Wax": draw((n_a, n_x)), "Waa": draw((n_a, n_a)), "Wya": draw((n_y, n_a)),
         "ba": draw((n_a, 1)), "by": draw((n_y, 1))}
    caches = _forward_caches(x, a0, p)
    da = draw((n_a, m, T_x))
    note = f"n_x={n_x}, n_a={n_a}, m={m}, T_x={T_x}"
    if large:
        da = 1000 * da
        note += "; da around 1000"
    return Case(name, (da, caches), hidden=hidden, note=note)


def public_cases() -> list[Case]:
    """Two fixed cases; the first is built like the notebook's own test (seed 1)."""
    rs1, rs2 = np.random.RandomState(1), np.random.RandomState(2)
    return [
        _case("course example (seed 1)", lambda s: rs1.randn(*s), 3, 5, 2, 10, 4),
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
