# ruff: noqa  (student-style code, kept as a student would write it)
# Stacked gate weights in the cell; the forward collects lists and stacks them at the end.
import numpy as np


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def softmax(z):
    z = z - z.max(0, keepdims=True)
    return np.exp(z) / np.exp(z).sum(0, keepdims=True)


def lstm_cell_forward(xt, a_prev, c_prev, parameters):
    p = parameters
    n = a_prev.shape[0]
    z = np.vstack([p["Wf"], p["Wi"], p["Wc"], p["Wo"]]) @ np.vstack([a_prev, xt]) \
        + np.vstack([p["bf"], p["bi"], p["bc"], p["bo"]])
    ft, it, cct, ot = sigmoid(z[:n]), sigmoid(z[n:2 * n]), np.tanh(z[2 * n:3 * n]), sigmoid(z[3 * n:])
    c_next = ft * c_prev + it * cct
    a_next = ot * np.tanh(c_next)
    return a_next, c_next, softmax(p["Wy"] @ a_next + p["by"]), (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, p)


def lstm_forward(x, a0, parameters):
    hs, cs, ys, caches = [], [], [], []
    h, c = a0, np.zeros_like(a0)
    for t in range(x.shape[2]):
        h, c, y, cache = lstm_cell_forward(x[:, :, t], h, c, parameters)
        hs.append(h)
        cs.append(c)
        ys.append(y)
        caches.append(cache)
    return np.stack(hs, -1), np.stack(ys, -1), np.stack(cs, -1), (caches, x)
