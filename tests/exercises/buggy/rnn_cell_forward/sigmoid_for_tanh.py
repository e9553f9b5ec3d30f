# ruff: noqa  (student-style code, kept as a student would write it)
# expect: sigmoid_for_tanh
import numpy as np
from rnn_utils import *


def rnn_cell_forward(xt, a_prev, parameters):
    z = np.dot(parameters["Wax"], xt) + np.dot(parameters["Waa"], a_prev) + parameters["ba"]
    a_next = sigmoid(z)
    yt_pred = softmax(np.dot(parameters["Wya"], a_next) + parameters["by"])
    return a_next, yt_pred, (a_next, a_prev, xt, parameters)
