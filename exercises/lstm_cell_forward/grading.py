"""lstm_cell_forward: NumPy reference, cases and graded outputs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from graders.exercise import Case, fixed_outputs, profile_cases

Draw = Callable[[tuple[int, ...]], np.ndarray]


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-z))


def _softmax(z: np.ndarray) -> np.ndarray:
    """Softmax over axis 0, shifted by each column's max so it never overflows."""
    e = np.exp(z - z.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


def reference(xt: np.ndarray, a_prev: np.ndarray, c_prev: np.ndarray,
              parameters: dict[str, np.ndarray]) -> tuple[Any, ...]:
    """One LSTM step on concat = [a⟨t−1⟩; x⟨t⟩], as in the course notebook."""
    p = parameters
    concat = np.concatenate((a_prev, xt), axis=0)
    ft = _sigmoid(p["Wf"] @ concat + p["bf"])
    it = _sigmoid(p["Wi"] @ concat + p["bi"])
    cct = np.tanh(p["Wc"] @ concat + p["bc"])
    c_next = ft * c_prev + it * cct
    ot = _sigmoid(p["Wo"] @ concat + p["bo"])
    a_next = ot * np.tanh(c_next)
    yt_pred = _softmax(p["Wy"] @ a_next + p["by"])
    cache = (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters)
    return a_next, c_next, yt_pred, cache


def _case(name: str, draw: Draw, n_x: int, n_a: int, n_y: int, m: int,
          *, hidden: bool = False, large: bool = False) -> Case:
    """Draw arguments in the notebook's order: xt, a_prev, c_prev, then Wf, bf, Wi, bi, Wo, bo, Wc, bc, Wy, by."""
    xt, a_prev, c_prev = draw((n_x, m)), draw((n_a, m)), draw((n_a, m))
    p: dict[str, np.ndarray] = {}
    for gate in "fioc":
        p["W" + gate], p["b" + gate] = draw((n_a, n_a + n_x)), draw((n_a, 1))
    p["Wy"], p["by"] = draw((n_y, n_a)), draw((n_y, 1))
    note = f"n_x={n_x}, n_a={n_a}, n_y={n_y}, m={m}"
    if large:  # logits near 750 overflow a softmax without the max shift; nothing else is scaled:
        # a saturated gate or softmax can hide a bug (a missing tanh where o⟨t⟩ ≈ 0, a missing bias)
        p["by"] = p["by"] + 750.0
        note += "; logits around 750"
    return Case(name, (xt, a_prev, c_prev, p), hidden=hidden, note=note)


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
    ("large logits", {"large": True}),
    ("random shapes", {}),
)


def hidden_cases(rng: np.random.Generator, count: int) -> list[Case]:
    """Randomised cases cycling through the edge profiles; n_x differs from n_a throughout."""
    sizes = {"n_x": (2, 6), "n_a": (2, 6), "n_y": (2, 5), "m": (2, 6)}
    return profile_cases(rng, count, _PROFILES, sizes, _case, distinct=("n_x", "n_a"))


_CACHE = ("a_next", "c_next", "a_prev", "c_prev", "ft", "it", "cct", "ot", "xt")
outputs = fixed_outputs({
    "a_next": (0,), "c_next": (1,), "yt_pred": (2,),
    **{f"cache[{k}] ({name})": (3, k) for k, name in enumerate(_CACHE)},
})
