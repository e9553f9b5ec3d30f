"""lstm_forward: NumPy reference, cases and graded outputs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from graders.exercise import Case, OutputPath, profile_cases

Draw = Callable[[tuple[int, ...]], np.ndarray]
_CACHE = ("a_next", "c_next", "a_prev", "c_prev", "ft", "it", "cct", "ot", "xt")


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-z))


def _softmax(z: np.ndarray) -> np.ndarray:
    """Softmax over axis 0, shifted by each column's max so it never overflows."""
    e = np.exp(z - z.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


def _cell(xt: np.ndarray, a_prev: np.ndarray, c_prev: np.ndarray, p: dict[str, np.ndarray]) -> tuple[Any, ...]:
    concat = np.concatenate((a_prev, xt), axis=0)
    ft = _sigmoid(p["Wf"] @ concat + p["bf"])
    it = _sigmoid(p["Wi"] @ concat + p["bi"])
    cct = np.tanh(p["Wc"] @ concat + p["bc"])
    c_next = ft * c_prev + it * cct
    ot = _sigmoid(p["Wo"] @ concat + p["bo"])
    a_next = ot * np.tanh(c_next)
    yt_pred = _softmax(p["Wy"] @ a_next + p["by"])
    return a_next, c_next, yt_pred, (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, p)


def reference(x: np.ndarray, a0: np.ndarray, parameters: dict[str, np.ndarray]) -> tuple[Any, ...]:
    """Run the LSTM cell over all T_x steps from a⟨0⟩ = a0 and c⟨0⟩ = 0."""
    _, m, T_x = x.shape
    n_y, n_a = parameters["Wy"].shape
    a, c, y = np.zeros((n_a, m, T_x)), np.zeros((n_a, m, T_x)), np.zeros((n_y, m, T_x))
    caches = []
    a_next, c_next = a0, np.zeros_like(a0)
    for t in range(T_x):
        a_next, c_next, y[:, :, t], cache = _cell(x[:, :, t], a_next, c_next, parameters)
        a[:, :, t], c[:, :, t] = a_next, c_next
        caches.append(cache)
    return a, y, c, (caches, x)


def _case(name: str, draw: Draw, n_x: int, n_a: int, n_y: int, m: int, T_x: int,
          *, hidden: bool = False, large: bool = False) -> Case:
    """Draw arguments in the notebook's order: x, a0, then Wf, bf, Wi, bi, Wo, bo, Wc, bc, Wy, by."""
    x, a0 = draw((n_x, m, T_x)), draw((n_a, m))
    p: dict[str, np.ndarray] = {}
    for gate in "fioc":
        p["W" + gate], p["b" + gate] = draw((n_a, n_a + n_x)), draw((n_a, 1))
    p["Wy"], p["by"] = draw((n_y, n_a)), draw((n_y, 1))
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
        _case("course example (seed 1)", lambda s: rs1.randn(*s), 3, 5, 2, 10, 7),
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
    """a, y, c, caches[1] (x) and the first and last cell caches (parameters excepted)."""
    T_x = case.args[0].shape[2]
    out: dict[str, OutputPath] = {"a": (0,), "y": (1,), "c": (2,), "caches[1] (x)": (3, 1)}
    for t in sorted({0, T_x - 1}):
        for k, part in enumerate(_CACHE):
            out[f"caches[0][{t}][{k}] ({part})"] = (3, 0, t, k)
    return out
