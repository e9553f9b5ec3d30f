# ruff: noqa  (student-style code, kept as a student would write it)
# expect: missing_tanh
import numpy as np
from rnn_utils import *


def rnn_cell_forward(xt, a_prev, parameters):
    Wax = parameters["Wax"]
    Waa = parameters["Waa"]
    Wya = parameters["Wya"]
    ba = parameters["ba"]
    by = parameters["by"]
    a_next = np.dot(Waa, a_prev) + np.dot(Wax, xt) + ba
    yt_pred = softmax(np.dot(Wya, a_next) + by)
    cache = (a_next, a_prev, xt, parameters)
    return a_next, yt_pred, cache
