"""deep_rnn_forward: NumPy reference (L stacked tanh RNN layers), cases and graded outputs."""

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


def reference(x: np.ndarray, a0: list[np.ndarray], parameters: dict[str, Any]) -> tuple[Any, ...]:
    """Layer l at step t reads x⟨t⟩ (l = 0) or a[l−1]⟨t⟩ and its own a[l]⟨t−1⟩; y⟨t⟩ = softmax of the top layer."""
    layers = parameters["layers"]
    _, m, T_x = x.shape
    n_y = parameters["Wy"].shape[0]
    a = [np.zeros((a0_l.shape[0], m, T_x)) for a0_l in a0]
    y = np.zeros((n_y, m, T_x))
    state = list(a0)
    for t in range(T_x):
        below = x[:, :, t]
        for i, layer in enumerate(layers):
            state[i] = np.tanh(layer["Waa"] @ state[i] + layer["Wax"] @ below + layer["ba"])
            a[i][:, :, t] = below = state[i]
        y[:, :, t] = _softmax(parameters["Wy"] @ below + parameters["by"])
    return a, y


def _case(name: str, draw: Draw, n_x: int, widths: list[int], n_y: int, m: int, T_x: int,
          *, hidden: bool = False, large: bool = False) -> Case:
    """Draw x, then a0[l] for each layer, then each layer's Waa, Wax, ba, then Wy, by."""
    x = draw((n_x, m, T_x))
    a0 = [draw((n, m)) for n in widths]
    layers, below = [], n_x
    for n in widths:
        layers.append({"Waa": draw((n, n)), "Wax": draw((n, below)), "ba": draw((n, 1))})
        below = n
    p: dict[str, Any] = {"layers": layers, "Wy": draw((n_y, widths[-1])), "by": draw((n_y, 1))}
    note = f"n_x={n_x}, n_a={widths} (L={len(widths)}), n_y={n_y}, m={m}, T_x={T_x}"
    if large:  # logits near 750 overflow a softmax without the max shift
        p["by"] = p["by"] + 750.0
        note += "; logits around 750"
    return Case(name, (x, a0, p), hidden=hidden, note=note)


def public_cases() -> list[Case]:
    """Two fixed cases: three layers of different widths, and two layers as wide as the input."""
    rs1, rs2 = np.random.RandomState(1), np.random.RandomState(2)
    return [
        _case("seed 1, unequal widths", lambda s: rs1.randn(*s), 3, [5, 4, 2], 2, 4, 4),
        _case("equal widths", lambda s: rs2.randn(*s), 3, [3, 3], 4, 3, 3),
    ]


_PROFILES: tuple[tuple[str, dict[str, Any]], ...] = (
    ("m=1, unequal widths", {"m": 1}),
    ("T_x=1, n_a=1 in the top layer", {"T_x": 1, "one_unit": True}),
    ("large logits", {"large": True}),
    ("equal widths", {"equal": True}),
    ("unequal widths", {}),
)


def hidden_cases(rng: np.random.Generator, count: int) -> list[Case]:
    """Randomised cases cycling through the edge profiles, with L = 2 or 3 layers."""

    def build(name: str, draw: Draw, *, hidden: bool, n_x: int, L: int, width: int, n_y: int, m: int,
              T_x: int, equal: bool = False, one_unit: bool = False, large: bool = False) -> Case:
        if equal:
            widths = [n_x] * L
        else:  # strictly different widths, so no layer can take another's input by accident
            widths = [n_x + 1 + width + 2 * (L - 1 - i) for i in range(L)]
            if one_unit:
                widths[-1] = 1
        return _case(name, draw, n_x, widths, n_y, m, T_x, hidden=hidden, large=large)

    sizes = {"n_x": (2, 5), "L": (2, 4), "width": (0, 3), "n_y": (2, 5), "m": (2, 5), "T_x": (2, 5)}
    return profile_cases(rng, count, _PROFILES, sizes, build)


def outputs(case: Case) -> dict[str, OutputPath]:
    """a[l] for every layer, then y_pred."""
    out: dict[str, OutputPath] = {f"a[{i}]": (0, i) for i in range(len(case.args[1]))}
    out["y_pred"] = (1,)
    return out
