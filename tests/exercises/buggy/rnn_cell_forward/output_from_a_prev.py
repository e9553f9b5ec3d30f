# ruff: noqa  (student-style code, kept as a student would write it)
# expect: output_from_a_prev
import numpy as np
from rnn_utils import softmax


def rnn_cell_forward(xt, a_prev, parameters):
    h = np.tanh(parameters["Waa"] @ a_prev + parameters["Wax"] @ xt + parameters["ba"])
    y = softmax(parameters["Wya"] @ a_prev + parameters["by"])
    return h, y, (h, a_prev, xt, parameters)
