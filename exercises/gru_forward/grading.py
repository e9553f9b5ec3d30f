"""gru_forward: NumPy reference (the lecture's GRU over a sequence), cases and graded outputs."""

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


def _cell(xt: np.ndarray, c_prev: np.ndarray, p: dict[str, np.ndarray]) -> tuple[Any, ...]:
    concat = np.concatenate((c_prev, xt), axis=0)
    rt = _sigmoid(p["Wr"] @ concat + p["br"])
    ut = _sigmoid(p["Wu"] @ concat + p["bu"])
    cct = np.tanh(p["Wc"] @ np.concatenate((rt * c_prev, xt), axis=0) + p["bc"])
    c_next = ut * cct + (1 - ut) * c_prev
    return c_next, _softmax(p["Wy"] @ c_next + p["by"]), (c_next, c_prev, rt, ut, cct, xt, p)


def reference(x: np.ndarray, c0: np.ndarray, parameters: dict[str, np.ndarray]) -> tuple[Any, ...]:
    """Run the lecture GRU cell over all T_x steps from c⟨0⟩ = c0: returns c, y_pred, (caches, x)."""
    _, m, T_x = x.shape
    n_y, n_c = parameters["Wy"].shape
    c, y = np.zeros((n_c, m, T_x)), np.zeros((n_y, m, T_x))
    caches, c_next = [], c0
    for t in range(T_x):
        c_next, y[:, :, t], cache = _cell(x[:, :, t], c_next, parameters)
        c[:, :, t] = c_next
        caches.append(cache)
    return c, y, (caches, x)


def _case(name: str, draw: Draw, n_x: int, n_c: int, n_y: int, m: int, T_x: int,
          *, hidden: bool = False, large: bool = False) -> Case:
    """Draw x, c0, then Wr, br, Wu, bu, Wc, bc, Wy, by."""
    x, c0 = draw((n_x, m, T_x)), draw((n_c, m))
    p: dict[str, np.ndarray] = {}
    for gate in "ruc":
        p["W" + gate], p["b" + gate] = draw((n_c, n_c + n_x)), draw((n_c, 1))
    p["Wy"], p["by"] = draw((n_y, n_c)), draw((n_y, 1))
    note = f"n_x={n_x}, n_c={n_c}, n_y={n_y}, m={m}, T_x={T_x}"
    if large:  # logits near 750 overflow a softmax without the max shift; nothing else is scaled
        p["by"] = p["by"] + 750.0
        note += "; logits around 750"
    return Case(name, (x, c0, p), hidden=hidden, note=note)


def public_cases() -> list[Case]:
    """Two fixed cases drawn from seeded generators."""
    rs1, rs2 = np.random.RandomState(1), np.random.RandomState(2)
    return [
        _case("seed 1", lambda s: rs1.randn(*s), 3, 5, 2, 10, 7),
        _case("small, n_x > n_c", lambda s: rs2.randn(*s), 4, 2, 3, 3, 3),
    ]


_PROFILES: tuple[tuple[str, dict[str, Any]], ...] = (
    ("m=1", {"m": 1}),
    ("T_x=1, n_c=1", {"T_x": 1, "n_c": 1}),
    ("large logits", {"large": True}),
    ("random shapes", {}),
)


def hidden_cases(rng: np.random.Generator, count: int) -> list[Case]:
    """Randomised cases cycling through the edge profiles; n_x differs from n_c throughout."""
    sizes = {"n_x": (2, 6), "n_c": (2, 6), "n_y": (2, 5), "m": (2, 6), "T_x": (2, 6)}
    return profile_cases(rng, count, _PROFILES, sizes, _case, distinct=("n_x", "n_c"))


outputs = fixed_outputs({"c": (0,), "y_pred": (1,)})
