import numpy as np
from rnn_utils import *

# GRADED FUNCTION: brnn_forward

def brnn_forward(x, a0_f, a0_b, parameters):
    """
    Implement the forward propagation of a bidirectional recurrent neural network with tanh cells.

    Arguments:
    x -- Input data for every time-step, of shape (n_x, m, T_x).
    a0_f -- Initial hidden state of the forward direction (before t = 0), of shape (n_a, m)
    a0_b -- Initial hidden state of the backward direction (after the last step), of shape (n_a, m)
    parameters -- python dictionary containing:
                        Waa_f -- forward direction's hidden-to-hidden weights, numpy array of shape (n_a, n_a)
                        Wax_f -- forward direction's input-to-hidden weights, numpy array of shape (n_a, n_x)
                        ba_f --  forward direction's bias, numpy array of shape (n_a, 1)
                        Waa_b -- backward direction's hidden-to-hidden weights, numpy array of shape (n_a, n_a)
                        Wax_b -- backward direction's input-to-hidden weights, numpy array of shape (n_a, n_x)
                        ba_b --  backward direction's bias, numpy array of shape (n_a, 1)
                        Wy -- Weight matrix relating [a_f; a_b] to the output, numpy array of shape (n_y, 2 * n_a)
                        by -- Bias relating the hidden states to the output, numpy array of shape (n_y, 1)

    Returns:
    a_f -- Hidden states of the forward direction for every time-step, numpy array of shape (n_a, m, T_x)
    a_b -- Hidden states of the backward direction for every time-step, numpy array of shape (n_a, m, T_x)
    y_pred -- Predictions for every time-step, numpy array of shape (n_y, m, T_x)
    """
    Waa_f = parameters["Waa_f"]
    Wax_f = parameters["Wax_f"]
    ba_f = parameters["ba_f"]
    Waa_b = parameters["Waa_b"]
    Wax_b = parameters["Wax_b"]
    ba_b = parameters["ba_b"]
    Wy = parameters["Wy"]
    by = parameters["by"]

    ### START CODE HERE ###
    # Retrieve dimensions from the shapes of x, Wy and a0_f (≈3 lines)
    n_x, m, T_x = None
    n_y = None
    n_a = None

    # initialize "a_f", "a_b" and "y_pred" with zeros (≈3 lines)
    a_f = None
    a_b = None
    y_pred = None

    # Forward direction: start from a0_f and loop over t = 0, 1, ..., T_x - 1 (≈4 lines)
    a_next = None
    for t in range(None):
        a_next = None
        a_f[:, :, t] = None

    # Backward direction: start from a0_b and loop over t = T_x - 1, ..., 0 (≈4 lines)
    a_next = None
    for t in reversed(range(None)):
        a_next = None
        a_b[:, :, t] = None

    # Output: stack a_f above a_b at each step, then apply Wy, by and the softmax (≈3 lines)
    for t in range(None):
        a_both = None
        y_pred[:, :, t] = None
    ### END CODE HERE ###

    return a_f, a_b, y_pred
