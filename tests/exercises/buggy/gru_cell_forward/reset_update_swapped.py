# ruff: noqa  (student-style code, kept as a student would write it)
# expect: reset_update_swapped
import numpy as np
from rnn_utils import *


def gru_cell_forward(xt, c_prev, parameters):
    hx = np.vstack((c_prev, xt))
    gamma_u = sigmoid(parameters["Wr"] @ hx + parameters["br"])
    gamma_r = sigmoid(parameters["Wu"] @ hx + parameters["bu"])
    c_tilde = np.tanh(parameters["Wc"] @ np.vstack((gamma_r * c_prev, xt)) + parameters["bc"])
    c_next = gamma_u * c_tilde + (1 - gamma_u) * c_prev
    yt_pred = softmax(parameters["Wy"] @ c_next + parameters["by"])
    return c_next, yt_pred, (c_next, c_prev, gamma_r, gamma_u, c_tilde, xt, parameters)
