# ruff: noqa  (student-style code, kept as a student would write it)
# expect: missing_ba
import numpy as np
from rnn_utils import *


def rnn_cell_forward(xt, a_prev, parameters):
    a_next = np.tanh(np.dot(parameters["Waa"], a_prev) + np.dot(parameters["Wax"], xt))
    yt_pred = softmax(np.dot(parameters["Wya"], a_next) + parameters["by"])
    return a_next, yt_pred, (a_next, a_prev, xt, parameters)
