import numpy as np
from rnn_utils import *


def brnn_forward(x, a0_f, a0_b, parameters):
    """Forward pass of a bidirectional tanh RNN: returns a_f, a_b and y_pred."""
    Waa_f = parameters["Waa_f"]
    Wax_f = parameters["Wax_f"]
    ba_f = parameters["ba_f"]
    Waa_b = parameters["Waa_b"]
    Wax_b = parameters["Wax_b"]
    ba_b = parameters["ba_b"]
    Wy = parameters["Wy"]
    by = parameters["by"]

    m, T_x = x.shape[1], x.shape[2]
    n_y = Wy.shape[0]
    n_a = a0_f.shape[0]

    a_f = np.zeros((n_a, m, T_x))
    a_b = np.zeros((n_a, m, T_x))
    y_pred = np.zeros((n_y, m, T_x))

    # Forward direction: t = 0, 1, ..., T_x - 1, starting from a0_f.
    a_next = a0_f
    for t in range(T_x):
        a_next = np.tanh(np.dot(Waa_f, a_next) + np.dot(Wax_f, x[:, :, t]) + ba_f)
        a_f[:, :, t] = a_next

    # Backward direction: t = T_x - 1, ..., 0, starting from a0_b.
    a_next = a0_b
    for t in reversed(range(T_x)):
        a_next = np.tanh(np.dot(Waa_b, a_next) + np.dot(Wax_b, x[:, :, t]) + ba_b)
        a_b[:, :, t] = a_next

    # Output: both directions, forward stacked above backward.
    for t in range(T_x):
        a_both = np.concatenate((a_f[:, :, t], a_b[:, :, t]), axis=0)
        y_pred[:, :, t] = softmax(np.dot(Wy, a_both) + by)

    return a_f, a_b, y_pred
