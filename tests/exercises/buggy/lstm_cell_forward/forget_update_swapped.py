# ruff: noqa  (student-style code, kept as a student would write it)
# expect: forget_update_swapped
import numpy as np
from rnn_utils import *


def lstm_cell_forward(xt, a_prev, c_prev, parameters):
    concat = np.concatenate((a_prev, xt), axis=0)
    forget = sigmoid(np.dot(parameters["Wf"], concat) + parameters["bf"])
    update = sigmoid(np.dot(parameters["Wi"], concat) + parameters["bi"])
    candidate = np.tanh(np.dot(parameters["Wc"], concat) + parameters["bc"])
    c_next = update * c_prev + forget * candidate
    out = sigmoid(np.dot(parameters["Wo"], concat) + parameters["bo"])
    a_next = out * np.tanh(c_next)
    yt_pred = softmax(np.dot(parameters["Wy"], a_next) + parameters["by"])
    cache = (a_next, c_next, a_prev, c_prev, forget, update, candidate, out, xt, parameters)
    return a_next, c_next, yt_pred, cache
