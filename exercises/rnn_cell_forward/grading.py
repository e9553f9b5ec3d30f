"""Trusted grading for rnn_cell_forward: reference, cases and graded outputs."""

from __future__ import annotations

from typing import Any

import numpy as np

from graders.exercise import Case, fixed_outputs

Params = dict[str, np.ndarray]


def _softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


def reference(xt: np.ndarray, a_prev: np.ndarray, parameters: Params) -> tuple[Any, ...]:
    """a_next = tanh(Waa a_prev + Wax xt + ba); yt_pred = softmax(Wya a_next + by) over axis 0."""
    a_next = np.tanh(parameters["Waa"] @ a_prev + parameters["Wax"] @ xt + parameters["ba"])
    yt_pred = _softmax(parameters["Wya"] @ a_next + parameters["by"])
    return a_next, yt_pred, (a_next, a_prev, xt, parameters)


def _case(
    name: str,
    rng: np.random.Generator,
    n_x: int,
    n_a: int,
    n_y: int,
    m: int,
    hidden: bool,
    shift: float = 0.0,
) -> Case:
    # `shift` lifts every logit to about 750, which overflows a softmax without the max shift. Nothing
    # else is scaled: a saturated tanh or softmax would make some bugs (a missing bias) invisible.
    parameters = {
        "Waa": rng.standard_normal((n_a, n_a)),
        "Wax": rng.standard_normal((n_a, n_x)),
        "Wya": rng.standard_normal((n_y, n_a)),
        "ba": rng.standard_normal((n_a, 1)),
        "by": rng.standard_normal((n_y, 1)) + shift,
    }
    xt = rng.standard_normal((n_x, m))
    a_prev = rng.standard_normal((n_a, m))
    note = f"n_x={n_x}, n_a={n_a}, n_y={n_y}, m={m}"
    return Case(name, (xt, a_prev, parameters), hidden=hidden, note=note)


def public_cases() -> list[Case]:
    """The course notebook's example (np.random.seed(1)) and a small second one."""
    rs = np.random.RandomState(1)
    xt, a_prev = rs.randn(3, 10), rs.randn(5, 10)
    parameters = {
        "Waa": rs.randn(5, 5),
        "Wax": rs.randn(5, 3),
        "Wya": rs.randn(2, 5),
        "ba": rs.randn(5, 1),
        "by": rs.randn(2, 1),
    }
    course = Case("course example", (xt, a_prev, parameters), note="n_x=3, n_a=5, n_y=2, m=10")
    return [course, _case("small example", np.random.default_rng(2024), 2, 3, 4, 2, hidden=False)]


_HIDDEN = (
    "hidden: a batch of one (m = 1)",
    "hidden: one hidden unit (n_a = 1)",
    "hidden: n_x different from n_a",
    "hidden: large values (a naive softmax overflows)",
)


def hidden_cases(rng: np.random.Generator, count: int) -> list[Case]:
    """Randomised edge shapes, plus logits near 750 where exp() overflows without the max shift."""
    cases = []
    for i in range(count):
        kind = i % len(_HIDDEN)
        n_x, n_y, m = int(rng.integers(2, 7)), int(rng.integers(2, 6)), int(rng.integers(2, 9))
        n_a = int(rng.integers(2, 7))
        if kind == 0:
            m = 1
        elif kind == 1:
            n_a = 1
        elif kind == 2:
            n_a = n_x + int(rng.integers(1, 4))
        shift = 750.0 if kind == 3 else 0.0
        cases.append(_case(_HIDDEN[kind], rng, n_x, n_a, n_y, m, hidden=True, shift=shift))
    return cases


outputs = fixed_outputs(
    {
        "a_next": (0,),
        "yt_pred": (1,),
        "cache[0] (a_next)": (2, 0),
        "cache[1] (a_prev)": (2, 1),
        "cache[2] (xt)": (2, 2),
        "cache[3] (parameters)": (2, 3),
    }
)
