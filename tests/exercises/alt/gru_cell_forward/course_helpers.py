# ruff: noqa  (student-style code, kept as a student would write it)
# Course-style with rnn_utils and an explicit helper for the concatenation.
import numpy as np
from rnn_utils import *


def stack(top, bottom):
    return np.concatenate((top, bottom), axis=0)


def gru_cell_forward(xt, c_prev, parameters):
    gamma_r = sigmoid(np.dot(parameters["Wr"], stack(c_prev, xt)) + parameters["br"])
    gamma_u = sigmoid(np.dot(parameters["Wu"], stack(c_prev, xt)) + parameters["bu"])
    c_tilde = np.tanh(np.dot(parameters["Wc"], stack(gamma_r * c_prev, xt)) + parameters["bc"])
    c_next = gamma_u * c_tilde + (1 - gamma_u) * c_prev
    yt_pred = softmax(np.dot(parameters["Wy"], c_next) + parameters["by"])
    return c_next, yt_pred, (c_next, c_prev, gamma_r, gamma_u, c_tilde, xt)
