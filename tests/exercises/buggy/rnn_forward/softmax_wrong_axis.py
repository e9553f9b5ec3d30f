# ruff: noqa  (student-style code, kept as a student would write it)
# expect: softmax_wrong_axis
import numpy as np


def my_softmax(z):
    z = z - np.max(z, axis=1, keepdims=True)
    return np.exp(z) / np.sum(np.exp(z), axis=1, keepdims=True)


def rnn_cell_forward(xt, a_prev, parameters):
    h = np.tanh(parameters["Waa"] @ a_prev + parameters["Wax"] @ xt + parameters["ba"])
    y = my_softmax(parameters["Wya"] @ h + parameters["by"])
    return h, y, (h, a_prev, xt, parameters)


def rnn_forward(x, a0, parameters):
    n_x, m, T_x = x.shape
    n_y, n_a = parameters["Wya"].shape
    a, y_pred, caches = np.zeros((n_a, m, T_x)), np.zeros((n_y, m, T_x)), []
    h = a0
    for t in range(T_x):
        h, y, cache = rnn_cell_forward(x[:, :, t], h, parameters)
        a[:, :, t], y_pred[:, :, t] = h, y
        caches.append(cache)
    return a, y_pred, (caches, x)
