"""Known wrong implementations of rnn_cell_forward, recognised from a submission's outputs."""

from __future__ import annotations

from typing import Any

import numpy as np

from graders.exercise import mistake

Params = dict[str, np.ndarray]


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-z))


def _softmax(z: np.ndarray, axis: int = 0) -> np.ndarray:
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def _cell(
    xt: np.ndarray,
    a_prev: np.ndarray,
    p: Params,
    *,
    act: Any = np.tanh,
    out: Any = _softmax,
    ba: bool = True,
    by: bool = True,
) -> tuple[Any, ...]:
    a_next = act(p["Waa"] @ a_prev + p["Wax"] @ xt + (p["ba"] if ba else 0))
    yt_pred = out(p["Wya"] @ a_next + (p["by"] if by else 0))
    return a_next, yt_pred, (a_next, a_prev, xt, p)


@mistake("sigmoid_for_tanh", "a_next must use tanh, not sigmoid: a⟨t⟩ = tanh(Waa a⟨t−1⟩ + Wax x⟨t⟩ + ba).")
def sigmoid_for_tanh(xt: np.ndarray, a_prev: np.ndarray, parameters: Params) -> tuple[Any, ...]:
    return _cell(xt, a_prev, parameters, act=_sigmoid)


@mistake("missing_ba", "The bias ba is missing from a_next: add ba inside the tanh.")
def missing_ba(xt: np.ndarray, a_prev: np.ndarray, parameters: Params) -> tuple[Any, ...]:
    return _cell(xt, a_prev, parameters, ba=False)


@mistake("missing_by", "The bias by is missing from yt_pred: compute softmax(Wya a⟨t⟩ + by).")
def missing_by(xt: np.ndarray, a_prev: np.ndarray, parameters: Params) -> tuple[Any, ...]:
    return _cell(xt, a_prev, parameters, by=False)


@mistake(
    "softmax_wrong_axis",
    "yt_pred is normalised over the wrong axis: each column (one example) must sum to 1, "
    "so the softmax sums over axis 0 (use softmax from rnn_utils).",
)
def softmax_wrong_axis(xt: np.ndarray, a_prev: np.ndarray, parameters: Params) -> tuple[Any, ...]:
    return _cell(xt, a_prev, parameters, out=lambda z: _softmax(z, axis=1))


@mistake("sigmoid_for_softmax", "yt_pred must use softmax, not sigmoid: ŷ⟨t⟩ = softmax(Wya a⟨t⟩ + by).")
def sigmoid_for_softmax(xt: np.ndarray, a_prev: np.ndarray, parameters: Params) -> tuple[Any, ...]:
    return _cell(xt, a_prev, parameters, out=_sigmoid)


@mistake(
    "naive_softmax_overflow",
    "Your softmax overflows for large inputs (exp of a large number is inf, and inf/inf is NaN): "
    "subtract the maximum before exponentiating, or use softmax from rnn_utils.",
)
def naive_softmax_overflow(xt: np.ndarray, a_prev: np.ndarray, parameters: Params) -> tuple[Any, ...]:
    def naive(z: np.ndarray) -> np.ndarray:
        e = np.exp(z)
        return e / e.sum(axis=0, keepdims=True)

    return _cell(xt, a_prev, parameters, out=naive)


@mistake(
    "cache_order",
    "The cache must be (a_next, a_prev, xt, parameters), in that order.",
    outputs_only=("cache[0] (a_next)", "cache[1] (a_prev)", "cache[2] (xt)"),
)
def cache_order(xt: np.ndarray, a_prev: np.ndarray, parameters: Params) -> tuple[Any, ...]:
    a_next, yt_pred, _ = _cell(xt, a_prev, parameters)
    return a_next, yt_pred, (a_prev, a_next, xt, parameters)


@mistake("missing_tanh", "a_next is missing its activation: a⟨t⟩ = tanh(Waa a⟨t−1⟩ + Wax x⟨t⟩ + ba).")
def missing_tanh(xt: np.ndarray, a_prev: np.ndarray, parameters: Params) -> tuple[Any, ...]:
    return _cell(xt, a_prev, parameters, act=lambda z: z)


@mistake(
    "output_from_a_prev",
    "yt_pred is computed from a⟨t−1⟩; the prediction reads the new state: ŷ⟨t⟩ = softmax(Wya a⟨t⟩ + by).",
)
def output_from_a_prev(xt: np.ndarray, a_prev: np.ndarray, parameters: Params) -> tuple[Any, ...]:
    a_next, _, cache = _cell(xt, a_prev, parameters)
    return a_next, _softmax(parameters["Wya"] @ a_prev + parameters["by"]), cache
