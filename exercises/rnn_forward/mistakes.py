"""rnn_forward: known mistakes, each a small variant of the reference."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from graders.exercise import mistake

P = dict[str, np.ndarray]


def _softmax(z: np.ndarray, axis: int = 0, naive: bool = False) -> np.ndarray:
    e = np.exp(z if naive else z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-z))


def _forward(x: np.ndarray, a0: np.ndarray, p: P, *, act: Callable[[np.ndarray], np.ndarray] = np.tanh,
             axis: int = 0, ba: bool = True, by: bool = True, carry: bool = True,
             store_prev: bool = False, naive: bool = False) -> tuple[Any, ...]:
    _, m, T_x = x.shape
    n_y, n_a = p["Wya"].shape
    a, y = np.zeros((n_a, m, T_x)), np.zeros((n_y, m, T_x))
    caches = []
    a_prev = a0
    for t in range(T_x):
        xt = x[:, :, t]
        a_next = act(p["Waa"] @ a_prev + p["Wax"] @ xt + (p["ba"] if ba else 0))
        y[:, :, t] = _softmax(p["Wya"] @ a_next + (p["by"] if by else 0), axis, naive)
        a[:, :, t] = a_prev if store_prev else a_next
        caches.append((a_next, a_prev, xt, p))
        a_prev = a_next if carry else a0
    return a, y, (caches, x)


@mistake("a0_every_step", "Every step starts again from a0. a⟨t−1⟩ must be the previous step's a⟨t⟩: "
         "set a_next = a0 once before the loop, then pass a_next into rnn_cell_forward at each step.")
def a0_every_step(x: np.ndarray, a0: np.ndarray, parameters: P) -> tuple[Any, ...]:
    return _forward(x, a0, parameters, carry=False)


@mistake("stores_a_prev", "a[:, :, t] holds a⟨t−1⟩ instead of a⟨t⟩: after a_next, yt_pred, cache = "
         "rnn_cell_forward(xt, a_next, parameters), store a[:, :, t] = a_next.")
def stores_a_prev(x: np.ndarray, a0: np.ndarray, parameters: P) -> tuple[Any, ...]:
    return _forward(x, a0, parameters, store_prev=True)


@mistake("sigmoid_for_tanh", "The hidden state uses sigmoid where the RNN cell uses tanh: "
         "a⟨t⟩ = tanh(Waa a⟨t−1⟩ + Wax x⟨t⟩ + ba).")
def sigmoid_for_tanh(x: np.ndarray, a0: np.ndarray, parameters: P) -> tuple[Any, ...]:
    return _forward(x, a0, parameters, act=_sigmoid)


@mistake("softmax_wrong_axis", "The softmax normalises over the wrong axis. ŷ⟨t⟩ = softmax(Wya a⟨t⟩ + by) "
         "sums over the n_y classes (axis 0, each column sums to 1), not over the m examples.")
def softmax_wrong_axis(x: np.ndarray, a0: np.ndarray, parameters: P) -> tuple[Any, ...]:
    return _forward(x, a0, parameters, axis=1)


@mistake("missing_ba", "The bias ba is missing: a⟨t⟩ = tanh(Waa a⟨t−1⟩ + Wax x⟨t⟩ + ba).")
def missing_ba(x: np.ndarray, a0: np.ndarray, parameters: P) -> tuple[Any, ...]:
    return _forward(x, a0, parameters, ba=False)


@mistake("missing_by", "The bias by is missing: ŷ⟨t⟩ = softmax(Wya a⟨t⟩ + by).")
def missing_by(x: np.ndarray, a0: np.ndarray, parameters: P) -> tuple[Any, ...]:
    return _forward(x, a0, parameters, by=False)


@mistake("naive_softmax_overflow", "The softmax overflows for large logits: exp of a large number is inf, "
         "and inf/inf is NaN. Subtract each column's maximum first, softmax(z) = exp(z − max(z)) / Σ exp(z − max(z)), "
         "or use softmax from rnn_utils.")
def naive_softmax_overflow(x: np.ndarray, a0: np.ndarray, parameters: P) -> tuple[Any, ...]:
    return _forward(x, a0, parameters, naive=True)
