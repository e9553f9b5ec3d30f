"""deep_rnn_forward: known mistakes, each a small variant of the reference.

Some of them only run when the layers are as wide as the input (x fed to every layer, y from the first
layer, every layer started from a0[0]); on other cases they raise, as the student's code does.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from graders.exercise import Mistake, mistake

A = np.ndarray
LAYER = "a[l]⟨t⟩ = tanh(Waa[l] a[l]⟨t−1⟩ + Wax[l] input + ba[l])"


def _softmax(z: A, axis: int = 0, naive: bool = False) -> A:
    e = np.exp(z if naive else z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def _deep(x: A, a0: list[A], p: dict[str, Any], *, x_every: bool = False, y_layer: int = -1,
          carry: bool = True, a0_first: bool = False, axis: int = 0, naive: bool = False) -> tuple[Any, ...]:
    layers = p["layers"]
    _, m, T_x = x.shape
    start = [a0[0] if a0_first else a0_l for a0_l in a0]
    a = [np.zeros((s.shape[0], m, T_x)) for s in start]
    y = np.zeros((p["Wy"].shape[0], m, T_x))
    state = list(start)
    for t in range(T_x):
        below = x[:, :, t]
        for i, layer in enumerate(layers):
            prev = state[i] if carry else start[i]
            state[i] = np.tanh(layer["Waa"] @ prev + layer["Wax"] @ (x[:, :, t] if x_every else below)
                               + layer["ba"])
            a[i][:, :, t] = below = state[i]
        y[:, :, t] = _softmax(p["Wy"] @ state[y_layer] + p["by"], axis, naive)
    return a, y


def _variant(id: str, message: str, **flags: Any) -> Mistake:
    def variant(x: A, a0: list[A], parameters: dict[str, Any]) -> tuple[Any, ...]:
        return _deep(x, a0, parameters, **flags)

    return mistake(id, message)(variant)


x_every_layer = _variant(
    "x_every_layer", "x⟨t⟩ is fed to every layer. Only the first layer reads x⟨t⟩; layer l above it reads "
    f"the layer below at the same step, input = a[l−1]⟨t⟩: {LAYER}.", x_every=True)
y_from_first_layer = _variant(
    "y_from_first_layer", "The prediction is taken from the first layer. It comes from the top layer: "
    "ŷ⟨t⟩ = softmax(Wy a[L−1]⟨t⟩ + by).", y_layer=0)
a0_every_step = _variant(
    "a0_every_step", "Every step starts each layer again from a0[l]. a[l]⟨t−1⟩ must be that layer's state "
    f"from the previous step: {LAYER}.", carry=False)
a0_first_layer_for_all = _variant(
    "a0_first_layer_for_all", "Every layer starts from a0[0]. Each layer has its own initial state: "
    "a[l]⟨0⟩ = a0[l].", a0_first=True)
softmax_wrong_axis = _variant(
    "softmax_wrong_axis", "The softmax normalises over the wrong axis. ŷ⟨t⟩ sums to 1 over the n_y classes "
    "(axis 0, each column sums to 1), not over the m examples: e = np.exp(z − z.max(axis=0)); "
    "y = e / e.sum(axis=0, keepdims=True), or softmax from rnn_utils.", axis=1)
naive_softmax_overflow = _variant(
    "naive_softmax_overflow", "The softmax overflows for large logits: exp of a large number is inf, and "
    "inf/inf is NaN. Subtract the maximum first, softmax(z) = exp(z − max(z)) / Σ exp(z − max(z)), "
    "or use softmax from rnn_utils.", naive=True)
