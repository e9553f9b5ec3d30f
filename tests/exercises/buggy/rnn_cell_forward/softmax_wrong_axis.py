# ruff: noqa  (student-style code, kept as a student would write it)
# expect: softmax_wrong_axis
import numpy as np


def rnn_cell_forward(xt, a_prev, parameters):
    a_next = np.tanh(parameters["Waa"] @ a_prev + parameters["Wax"] @ xt + parameters["ba"])
    z = parameters["Wya"] @ a_next + parameters["by"]
    e = np.exp(z - z.max())
    yt_pred = e / e.sum(axis=1, keepdims=True)
    return a_next, yt_pred, (a_next, a_prev, xt, parameters)
