# ruff: noqa  (student-style code, kept as a student would write it)
# expect: concat_order
import numpy as np
from rnn_utils import *


def lstm_cell_forward(xt, a_prev, c_prev, parameters):
    # all four gates in one matrix product
    n_a = a_prev.shape[0]
    W = np.vstack([parameters["Wf"], parameters["Wi"], parameters["Wc"], parameters["Wo"]])
    b = np.vstack([parameters["bf"], parameters["bi"], parameters["bc"], parameters["bo"]])
    z = W @ np.vstack([xt, a_prev]) + b
    ft, it, ot = sigmoid(z[:n_a]), sigmoid(z[n_a:2 * n_a]), sigmoid(z[3 * n_a:])
    cct = np.tanh(z[2 * n_a:3 * n_a])
    c_next = ft * c_prev + it * cct
    a_next = ot * np.tanh(c_next)
    yt_pred = softmax(parameters["Wy"] @ a_next + parameters["by"])
    return a_next, c_next, yt_pred, (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters)
