# ruff: noqa  (student-style code, kept as a student would write it)
# expect: naive_softmax_overflow
import numpy as np
from rnn_utils import *


def deep_rnn_forward(x, a0, parameters):
    """Forward pass of L stacked tanh RNN layers: returns a (a list of L arrays) and y_pred."""
    layers = parameters["layers"]
    Wy = parameters["Wy"]
    by = parameters["by"]

    L = len(layers)
    n_x, m, T_x = x.shape
    n_y = Wy.shape[0]

    a = [np.zeros((a0[l].shape[0], m, T_x)) for l in range(L)]
    y_pred = np.zeros((n_y, m, T_x))

    a_prev = list(a0)  # each layer's hidden state at the previous step

    for t in range(T_x):
        layer_input = x[:, :, t]
        for l in range(L):
            Waa = layers[l]["Waa"]
            Wax = layers[l]["Wax"]
            ba = layers[l]["ba"]
            a_next = np.tanh(np.dot(Waa, a_prev[l]) + np.dot(Wax, layer_input) + ba)
            a[l][:, :, t] = a_next
            a_prev[l] = a_next
            layer_input = a_next  # the next layer up reads this layer's new state
        e = np.exp(np.dot(Wy, layer_input) + by)
        y_pred[:, :, t] = e / e.sum(axis=0, keepdims=True)

    return a, y_pred
