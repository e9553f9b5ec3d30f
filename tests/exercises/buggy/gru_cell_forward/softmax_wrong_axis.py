# ruff: noqa  (student-style code, kept as a student would write it)
# expect: softmax_wrong_axis
import numpy as np


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def softmax(z):
    e = np.exp(z - np.max(z))
    return e / np.sum(e, axis=1, keepdims=True)


def gru_cell_forward(xt, c_prev, parameters):
    concat = np.concatenate([c_prev, xt])
    r = sigmoid(parameters["Wr"] @ concat + parameters["br"])
    u = sigmoid(parameters["Wu"] @ concat + parameters["bu"])
    c_hat = np.tanh(parameters["Wc"] @ np.concatenate([r * c_prev, xt]) + parameters["bc"])
    c_next = u * c_hat + (1 - u) * c_prev
    return c_next, softmax(parameters["Wy"] @ c_next + parameters["by"]), (c_next, c_prev, r, u, c_hat)
