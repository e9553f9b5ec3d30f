"""brnn_forward: NumPy reference (a bidirectional tanh RNN), cases and graded outputs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from graders.exercise import Case, fixed_outputs, profile_cases

Draw = Callable[[tuple[int, ...]], np.ndarray]


def _softmax(z: np.ndarray) -> np.ndarray:
    """Softmax over axis 0, shifted by each column's max so it never overflows."""
    e = np.exp(z - z.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


def reference(x: np.ndarray, a0_f: np.ndarray, a0_b: np.ndarray,
              parameters: dict[str, np.ndarray]) -> tuple[np.ndarray, ...]:
    """Forward direction from a0_f at t = 0 upwards, backward direction from a0_b at T_x − 1 downwards;
    y⟨t⟩ = softmax(Wy [a_f⟨t⟩; a_b⟨t⟩] + by)."""
    p = parameters
    _, m, T_x = x.shape
    n_a, n_y = a0_f.shape[0], p["Wy"].shape[0]
    a_f, a_b, y = np.zeros((n_a, m, T_x)), np.zeros((n_a, m, T_x)), np.zeros((n_y, m, T_x))
    h = a0_f
    for t in range(T_x):
        h = np.tanh(p["Waa_f"] @ h + p["Wax_f"] @ x[:, :, t] + p["ba_f"])
        a_f[:, :, t] = h
    h = a0_b
    for t in reversed(range(T_x)):
        h = np.tanh(p["Waa_b"] @ h + p["Wax_b"] @ x[:, :, t] + p["ba_b"])
        a_b[:, :, t] = h
    for t in range(T_x):
        y[:, :, t] = _softmax(p["Wy"] @ np.concatenate((a_f[:, :, t], a_b[:, :, t])) + p["by"])
    return a_f, a_b, y


def _case(name: str, draw: Draw, n_x: int, n_a: int, n_y: int, m: int, T_x: int,
          *, hidden: bool = False, large: bool = False) -> Case:
    """Draw x, a0_f, a0_b, then Waa_f, Wax_f, ba_f, Waa_b, Wax_b, ba_b, Wy, by."""
    x, a0_f, a0_b = draw((n_x, m, T_x)), draw((n_a, m)), draw((n_a, m))
    p: dict[str, np.ndarray] = {}
    for d in "fb":
        p["Waa_" + d], p["Wax_" + d], p["ba_" + d] = draw((n_a, n_a)), draw((n_a, n_x)), draw((n_a, 1))
    p["Wy"], p["by"] = draw((n_y, 2 * n_a)), draw((n_y, 1))
    note = f"n_x={n_x}, n_a={n_a}, n_y={n_y}, m={m}, T_x={T_x}"
    if large:  # logits near 750 overflow a softmax without the max shift
        p["by"] = p["by"] + 750.0
        note += "; logits around 750"
    return Case(name, (x, a0_f, a0_b, p), hidden=hidden, note=note)


def public_cases() -> list[Case]:
    """Two fixed cases drawn from seeded generators."""
    rs1, rs2 = np.random.RandomState(1), np.random.RandomState(2)
    return [
        _case("seed 1", lambda s: rs1.randn(*s), 3, 5, 2, 10, 4),
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


outputs = fixed_outputs({"a_f": (0,), "a_b": (1,), "y_pred": (2,)})
