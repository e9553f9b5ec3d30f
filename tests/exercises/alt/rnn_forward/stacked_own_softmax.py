# ruff: noqa  (student-style code, kept as a student would write it)
# Stacked weights Wa = [Waa | Wax] on [a; x], `@`, an own per-column softmax, outputs computed after the loop.
import numpy as np


def softmax_cols(z):
    z = z - z.max(axis=0, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=0, keepdims=True)


def rnn_cell_forward(xt, a_prev, parameters):
    Wa = np.hstack([parameters["Waa"], parameters["Wax"]])
    a_next = np.tanh(Wa @ np.vstack([a_prev, xt]) + parameters["ba"])
    return a_next, softmax_cols(parameters["Wya"] @ a_next + parameters["by"]), (a_next, a_prev, xt, parameters)


def rnn_forward(x, a0, parameters):
    steps = []
    h = a0
    for t in range(x.shape[2]):
        h, _, cache = rnn_cell_forward(x[:, :, t], h, parameters)
        steps.append(cache)
    a = np.stack([c[0] for c in steps], axis=2)
    logits = np.einsum("ya,amt->ymt", parameters["Wya"], a) + parameters["by"][:, :, None]
    y_pred = softmax_cols(logits)
    return a, y_pred, (steps, x)
