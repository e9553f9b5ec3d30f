# ruff: noqa  (student-style code, kept as a student would write it)
# Weights split into their a- and x-parts instead of concatenating the inputs; sigmoid via tanh.
import numpy as np
from rnn_utils import softmax


def sig(z):
    return 0.5 * (1 + np.tanh(0.5 * z))


def lstm_cell_forward(xt, a_prev, c_prev, parameters):
    n_a = a_prev.shape[0]

    def lin(name):
        W = parameters["W" + name]
        return W[:, :n_a].dot(a_prev) + W[:, n_a:].dot(xt) + parameters["b" + name]

    ft, it, ot = sig(lin("f")), sig(lin("i")), sig(lin("o"))
    cct = np.tanh(lin("c"))
    c_next = np.multiply(ft, c_prev) + np.multiply(it, cct)
    a_next = np.multiply(ot, np.tanh(c_next))
    yt_pred = softmax(parameters["Wy"].dot(a_next) + parameters["by"])
    return a_next, c_next, yt_pred, (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters)
