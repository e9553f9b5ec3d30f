# ruff: noqa  (student-style code, kept as a student would write it)
# expect: missing_ba
import numpy as np
from rnn_utils import softmax


def rnn_cell_forward(xt, a_prev, parameters):
    z = np.dot(parameters["Waa"], a_prev) + np.dot(parameters["Wax"], xt)
    a_next = np.tanh(z)
    yt_pred = softmax(np.dot(parameters["Wya"], a_next) + parameters["by"])
    return a_next, yt_pred, (a_next, a_prev, xt, parameters)


def rnn_forward(x, a0, parameters):
    caches = []
    T_x = x.shape[2]
    a = np.zeros((a0.shape[0], x.shape[1], T_x))
    y_pred = np.zeros((parameters["Wya"].shape[0], x.shape[1], T_x))
    a_t = a0
    for t in range(T_x):
        a_t, y_t, c = rnn_cell_forward(x[:, :, t], a_t, parameters)
        a[:, :, t] = a_t
        y_pred[:, :, t] = y_t
        caches.append(c)
    return a, y_pred, (caches, x)
