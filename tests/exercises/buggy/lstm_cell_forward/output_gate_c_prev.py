# ruff: noqa  (student-style code, kept as a student would write it)
# expect: output_gate_c_prev
import numpy as np
from rnn_utils import *


def lstm_cell_forward(xt, a_prev, c_prev, parameters):
    concat = np.vstack([a_prev, xt])
    ft = sigmoid(parameters["Wf"] @ concat + parameters["bf"])
    it = sigmoid(parameters["Wi"] @ concat + parameters["bi"])
    cct = np.tanh(parameters["Wc"] @ concat + parameters["bc"])
    c_next = ft * c_prev + it * cct
    # output gate as in the notes: Γo = σ(Wo [c<t-1>, x<t>] + bo)
    ot = sigmoid(parameters["Wo"] @ np.vstack([c_prev, xt]) + parameters["bo"])
    a_next = ot * np.tanh(c_next)
    yt_pred = softmax(parameters["Wy"] @ a_next + parameters["by"])
    return a_next, c_next, yt_pred, (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters)
