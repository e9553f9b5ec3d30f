# ruff: noqa  (student-style code, kept as a student would write it)
# Splits Wy into the forward and backward halves instead of concatenating the states.
import numpy as np


def brnn_forward(x, a0_f, a0_b, parameters):
    n_x, m, T_x = x.shape
    n_a = a0_f.shape[0]
    Wy_f, Wy_b = parameters["Wy"][:, :n_a], parameters["Wy"][:, n_a:]
    a_f = np.zeros((n_a, m, T_x))
    a_b = np.zeros((n_a, m, T_x))
    prev_f, prev_b = a0_f, a0_b
    for k in range(T_x):
        t = T_x - 1 - k
        prev_f = np.tanh(parameters["Waa_f"] @ prev_f + parameters["Wax_f"] @ x[:, :, k] + parameters["ba_f"])
        prev_b = np.tanh(parameters["Waa_b"] @ prev_b + parameters["Wax_b"] @ x[:, :, t] + parameters["ba_b"])
        a_f[:, :, k] = prev_f
        a_b[:, :, t] = prev_b
    y = np.zeros((parameters["Wy"].shape[0], m, T_x))
    for t in range(T_x):
        z = Wy_f @ a_f[:, :, t] + Wy_b @ a_b[:, :, t] + parameters["by"]
        z = z - z.max(axis=0, keepdims=True)
        y[:, :, t] = np.exp(z) / np.exp(z).sum(axis=0, keepdims=True)
    return a_f, a_b, y
