# ruff: noqa  (student-style code, kept as a student would write it)
# expect: reset_gate_missing
import numpy as np
from rnn_utils import *


def gru_cell_forward(xt, c_prev, parameters):
    """One step of the lecture's GRU: returns c_next, yt_pred and a cache."""
    Wr = parameters["Wr"]
    br = parameters["br"]
    Wu = parameters["Wu"]
    bu = parameters["bu"]
    Wc = parameters["Wc"]
    bc = parameters["bc"]
    Wy = parameters["Wy"]
    by = parameters["by"]

    concat = np.concatenate((c_prev, xt), axis=0)

    rt = sigmoid(np.dot(Wr, concat) + br)
    ut = sigmoid(np.dot(Wu, concat) + bu)

    concat_reset = np.concatenate((c_prev, xt), axis=0)
    cct = np.tanh(np.dot(Wc, concat_reset) + bc)

    c_next = ut * cct + (1 - ut) * c_prev

    yt_pred = softmax(np.dot(Wy, c_next) + by)

    cache = (c_next, c_prev, rt, ut, cct, xt, parameters)
    return c_next, yt_pred, cache


def gru_forward(x, c0, parameters):
    """Forward pass of the lecture GRU over all T_x steps: returns c, y_pred and caches = (caches, x)."""
    caches = []

    Wy = parameters["Wy"]
    _, m, T_x = x.shape
    n_y, n_c = Wy.shape

    c = np.zeros((n_c, m, T_x))
    y_pred = np.zeros((n_y, m, T_x))

    c_next = c0

    for t in range(T_x):
        xt = x[:, :, t]
        c_next, yt_pred, cache = gru_cell_forward(xt, c_next, parameters)
        c[:, :, t] = c_next
        y_pred[:, :, t] = yt_pred
        caches.append(cache)

    caches = (caches, x)
    return c, y_pred, caches
