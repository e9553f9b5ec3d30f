import numpy as np
from rnn_utils import *


def deep_rnn_forward(x, a0, parameters):
    """Forward pass of L stacked tanh RNN layers: returns a (a list of L arrays) and y_pred."""
    layers = parameters["layers"]
    Wy = parameters["Wy"]
    by = parameters["by"]

    L = len(layers)
    _, m, T_x = x.shape
    n_y = Wy.shape[0]

    a = [np.zeros((a0[i].shape[0], m, T_x)) for i in range(L)]
    y_pred = np.zeros((n_y, m, T_x))

    a_prev = list(a0)  # each layer's hidden state at the previous step

    for t in range(T_x):
        layer_input = x[:, :, t]
        for i in range(L):
            Waa = layers[i]["Waa"]
            Wax = layers[i]["Wax"]
            ba = layers[i]["ba"]
            a_next = np.tanh(np.dot(Waa, a_prev[i]) + np.dot(Wax, layer_input) + ba)
            a[i][:, :, t] = a_next
            a_prev[i] = a_next
            layer_input = a_next  # the next layer up reads this layer's new state
        y_pred[:, :, t] = softmax(np.dot(Wy, layer_input) + by)

    return a, y_pred
