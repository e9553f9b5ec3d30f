"""rnn_cell_backward: NumPy reference, cases (caches built by the reference forward) and graded outputs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from graders.exercise import Case, fixed_outputs, profile_cases

Draw = Callable[[tuple[int, ...]], np.ndarray]
KEYS = ("dxt", "da_prev", "dWax", "dWaa", "dba")


def _forward_cache(xt: np.ndarray, a_prev: np.ndarray, p: dict[str, np.ndarray]) -> tuple[Any, ...]:
    """rnn_cell_forward's cache (a_next, a_prev, xt, parameters); the softmax output is not needed."""
    a_next = np.tanh(p["Waa"] @ a_prev + p["Wax"] @ xt + p["ba"])
    return a_next, a_prev, xt, p


def reference(da_next: np.ndarray, cache: tuple[Any, ...]) -> dict[str, np.ndarray]:
    """Back through a⟨t⟩ = tanh(z): dz = (1 − a⟨t⟩²) * da_next, then the products of the forward step."""
    a_next, a_prev, xt, p = cache
    dz = (1 - a_next**2) * da_next
    return {"dxt": p["Wax"].T @ dz, "da_prev": p["Waa"].T @ dz, "dWax": dz @ xt.T,
            "dWaa": dz @ a_prev.T, "dba": dz.sum(axis=1, keepdims=True)}


def _case(name: str, draw: Draw, n_x: int, n_a: int, n_y: int, m: int,
          *, hidden: bool = False, large: bool = False) -> Case:
    """Draw in the notebook's order: xt, a_prev, Wax, Waa, Wya, ba, by, run the forward, then da_next."""
    xt, a_prev = draw((n_x, m)), draw((n_a, m))
    p = {"Wax": draw((n_a, n_x)), "Waa": draw((n_a, n_a)), "Wya": draw((n_y, n_a)),
         "ba": draw((n_a, 1)), "by": draw((n_y, 1))}
    cache = _forward_cache(xt, a_prev, p)
    da_next = draw((n_a, m))
    note = f"n_x={n_x}, n_a={n_a}, m={m}"
    if large:
        da_next = 1000 * da_next
        note += "; da_next around 1000"
    return Case(name, (da_next, cache), hidden=hidden, note=note)


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
