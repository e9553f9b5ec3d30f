# ruff: noqa  (student-style code, kept as a student would write it)
# expect: naive_softmax_overflow
import numpy as np
from rnn_utils import sigmoid


def gru_cell_forward(xt, c_prev, parameters):
    stacked = np.vstack([c_prev, xt])
    r = sigmoid(parameters["Wr"] @ stacked + parameters["br"])
    u = sigmoid(parameters["Wu"] @ stacked + parameters["bu"])
    c_cand = np.tanh(parameters["Wc"] @ np.vstack([r * c_prev, xt]) + parameters["bc"])
    c_next = u * c_cand + (1 - u) * c_prev
    scores = np.exp(parameters["Wy"] @ c_next + parameters["by"])
    yt_pred = scores / scores.sum(axis=0, keepdims=True)
    return c_next, yt_pred, (c_next, c_prev, r, u, c_cand, xt, parameters)
