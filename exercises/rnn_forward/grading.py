"""rnn_forward: NumPy reference, cases and graded outputs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from graders.exercise import Case, OutputPath, profile_cases

Draw = Callable[[tuple[int, ...]], np.ndarray]


def _softmax(z: np.ndarray) -> np.ndarray:
    """Softmax over axis 0, shifted by each column's max so it never overflows."""
    e = np.exp(z - z.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


def _cell(xt: np.ndarray, a_prev: np.ndarray, p: dict[str, np.ndarray]) -> tuple[Any, ...]:
    a_next = np.tanh(p["Waa"] @ a_prev + p["Wax"] @ xt + p["ba"])
    yt_pred = _softmax(p["Wya"] @ a_next + p["by"])
    return a_next, yt_pred, (a_next, a_prev, xt, p)


def reference(x: np.ndarray, a0: np.ndarray, parameters: dict[str, np.ndarray]) -> tuple[Any, ...]:
    """a⟨t⟩ = tanh(Waa a⟨t−1⟩ + Wax x⟨t⟩ + ba), ŷ⟨t⟩ = softmax(Wya a⟨t⟩ + by), for t = 1..T_x."""
    _, m, T_x = x.shape
    n_y, n_a = parameters["Wya"].shape
    a, y_pred = np.zeros((n_a, m, T_x)), np.zeros((n_y, m, T_x))
    caches = []
    a_next = a0
    for t in range(T_x):
        a_next, y_pred[:, :, t], cache = _cell(x[:, :, t], a_next, parameters)
        a[:, :, t] = a_next
        caches.append(cache)
    return a, y_pred, (caches, x)


def _case(name: str, draw: Draw, n_x: int, n_a: int, n_y: int, m: int, T_x: int,
          *, hidden: bool = False, large: bool = False) -> Case:
    """Draw arguments in the course notebook's order: x, a0, Waa, Wax, Wya, ba, by."""
    x, a0 = draw((n_x, m, T_x)), draw((n_a, m))
    p = {"Waa": draw((n_a, n_a)), "Wax": draw((n_a, n_x)), "Wya": draw((n_y, n_a)),
         "ba": draw((n_a, 1)), "by": draw((n_y, 1))}
    note = f"n_x={n_x}, n_a={n_a}, n_y={n_y}, m={m}, T_x={T_x}"
    if large:  # logits near 750 overflow a softmax without the max shift; nothing else is scaled:
        # a saturated gate or softmax can hide a bug (a missing tanh where o⟨t⟩ ≈ 0, a missing bias)
        p["by"] = p["by"] + 750.0
        note += "; logits around 750"
    return Case(name, (x, a0, p), hidden=hidden, note=note)


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
    ("large logits", {"large": True}),
    ("random shapes", {}),
)


def hidden_cases(rng: np.random.Generator, count: int) -> list[Case]:
    """Randomised cases cycling through the edge profiles; n_x differs from n_a throughout."""
    sizes = {"n_x": (2, 6), "n_a": (2, 6), "n_y": (2, 5), "m": (2, 6), "T_x": (2, 6)}
    return profile_cases(rng, count, _PROFILES, sizes, _case, distinct=("n_x", "n_a"))


def outputs(case: Case) -> dict[str, OutputPath]:
    """a, y_pred, caches[1] (x) and the first and last cell caches (parameters excepted)."""
    T_x = case.args[0].shape[2]
    out: dict[str, OutputPath] = {"a": (0,), "y_pred": (1,), "caches[1] (x)": (2, 1)}
    for t in sorted({0, T_x - 1}):
        for k, part in enumerate(("a_next", "a_prev", "xt")):
            out[f"caches[0][{t}][{k}] ({part})"] = (2, 0, t, k)
    return out
