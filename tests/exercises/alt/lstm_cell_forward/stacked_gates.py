# ruff: noqa  (student-style code, kept as a student would write it)
# One stacked matrix for the four gates, `@`, np.split, an own stable softmax.
import numpy as np


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def _softmax(z):
    e = np.exp(z - np.max(z, axis=0, keepdims=True))
    return e / np.sum(e, axis=0, keepdims=True)


def lstm_cell_forward(xt, a_prev, c_prev, parameters):
    p = parameters
    W = np.concatenate([p["Wf"], p["Wi"], p["Wc"], p["Wo"]], axis=0)
    b = np.concatenate([p["bf"], p["bi"], p["bc"], p["bo"]], axis=0)
    zf, zi, zc, zo = np.split(W @ np.concatenate([a_prev, xt]) + b, 4, axis=0)
    ft, it, cct, ot = _sigmoid(zf), _sigmoid(zi), np.tanh(zc), _sigmoid(zo)
    c_next = ft * c_prev + it * cct
    a_next = ot * np.tanh(c_next)
    yt_pred = _softmax(p["Wy"] @ a_next + p["by"])
    return a_next, c_next, yt_pred, (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, p)
