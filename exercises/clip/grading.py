"""clip: NumPy reference, cases and graded outputs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from graders.exercise import Case, fixed_outputs

Draw = Callable[[tuple[int, ...]], np.ndarray]
KEYS = ("dWaa", "dWax", "dWya", "db", "dby")


def reference(gradients: dict[str, np.ndarray], maxValue: float) -> dict[str, np.ndarray]:
    """Each of dWaa, dWax, dWya, db, dby clipped element-wise to [−maxValue, maxValue] (inputs untouched)."""
    return {key: np.clip(gradients[key], -maxValue, maxValue) for key in KEYS}


def _case(name: str, draw: Draw, n_x: int, n_a: int, n_y: int, scale: float, max_value: float,
          *, hidden: bool = False) -> Case:
    """Draw in the notebook's order: dWax, dWaa, dWya, db, dby, each times ``scale``."""
    shapes = {"dWax": (n_a, n_x), "dWaa": (n_a, n_a), "dWya": (n_y, n_a), "db": (n_a, 1), "dby": (n_y, 1)}
    gradients = {key: scale * draw(shape) for key, shape in shapes.items()}
    note = f"n_x={n_x}, n_a={n_a}, n_y={n_y}, maxValue={max_value:g}, entries about ±{scale:g}"
    return Case(name, (gradients, max_value), hidden=hidden, note=note)


def public_cases() -> list[Case]:
    """The notebook's two checks: seed 3, gradients times 10, clipped at 10 and at 5."""
    rs1, rs2 = np.random.RandomState(3), np.random.RandomState(3)
    return [
        _case("course example (seed 3), maxValue=10", lambda s: rs1.randn(*s), 3, 5, 2, 10.0, 10.0),
        _case("course example (seed 3), maxValue=5", lambda s: rs2.randn(*s), 3, 5, 2, 10.0, 5.0),
    ]


_PROFILES: tuple[tuple[str, dict[str, Any]], ...] = (
    ("n_a=1", {"n_a": 1}),
    ("large gradients", {"scale": 1.0e4}),
    ("small maxValue", {"max_value": 0.25}),
    ("random shapes", {}),
)


def hidden_cases(rng: np.random.Generator, count: int) -> list[Case]:
    """Randomised cases cycling through the edge profiles."""
    cases = []
    for i in range(count):
        label, fixed = _PROFILES[i % len(_PROFILES)]
        args: dict[str, Any] = {k: int(rng.integers(lo, hi)) for k, (lo, hi) in
                                {"n_x": (2, 6), "n_a": (2, 6), "n_y": (2, 5)}.items()}
        args |= {"scale": 10.0, "max_value": float(rng.choice([1.0, 5.0, 10.0]))} | fixed
        cases.append(_case(f"hidden {i + 1}: {label}", lambda s: rng.standard_normal(s), hidden=True, **args))
    return cases


outputs = fixed_outputs({key: (key,) for key in KEYS})
