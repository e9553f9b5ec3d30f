"""gru_cell_forward: NumPy reference (the lecture's GRU), cases and graded outputs."""

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


def reference(xt: np.ndarray, c_prev: np.ndarray, parameters: dict[str, np.ndarray]) -> tuple[Any, ...]:
    """Γr, Γu = σ(W[c⟨t−1⟩; x⟨t⟩] + b); c̃ = tanh(Wc[Γr*c⟨t−1⟩; x⟨t⟩] + bc); c⟨t⟩ = Γu*c̃ + (1−Γu)*c⟨t−1⟩."""
    p = parameters
    concat = np.concatenate((c_prev, xt), axis=0)
    rt = _sigmoid(p["Wr"] @ concat + p["br"])
    ut = _sigmoid(p["Wu"] @ concat + p["bu"])
    cct = np.tanh(p["Wc"] @ np.concatenate((rt * c_prev, xt), axis=0) + p["bc"])
    c_next = ut * cct + (1 - ut) * c_prev
    yt_pred = _softmax(p["Wy"] @ c_next + p["by"])
    return c_next, yt_pred, (c_next, c_prev, rt, ut, cct, xt, parameters)


def _case(name: str, draw: Draw, n_x: int, n_c: int, n_y: int, m: int,
          *, hidden: bool = False, large: bool = False) -> Case:
    """Draw xt, c_prev, then Wr, br, Wu, bu, Wc, bc, Wy, by."""
    xt, c_prev = draw((n_x, m)), draw((n_c, m))
    p: dict[str, np.ndarray] = {}
    for gate in "ruc":
        p["W" + gate], p["b" + gate] = draw((n_c, n_c + n_x)), draw((n_c, 1))
    p["Wy"], p["by"] = draw((n_y, n_c)), draw((n_y, 1))
    note = f"n_x={n_x}, n_c={n_c}, n_y={n_y}, m={m}"
    if large:  # logits near 750 overflow a softmax without the max shift; nothing else is scaled:
        # a saturated gate or softmax can hide a bug (a missing tanh where o⟨t⟩ ≈ 0, a missing bias)
        p["by"] = p["by"] + 750.0
        note += "; logits around 750"
    return Case(name, (xt, c_prev, p), hidden=hidden, note=note)


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
    ("large logits", {"large": True}),
    ("random shapes", {}),
)


def hidden_cases(rng: np.random.Generator, count: int) -> list[Case]:
    """Randomised cases cycling through the edge profiles; n_x differs from n_c throughout."""
    sizes = {"n_x": (2, 6), "n_c": (2, 6), "n_y": (2, 5), "m": (2, 6)}
    return profile_cases(rng, count, _PROFILES, sizes, _case, distinct=("n_x", "n_c"))


outputs = fixed_outputs({"c_next": (0,), "yt_pred": (1,)})
