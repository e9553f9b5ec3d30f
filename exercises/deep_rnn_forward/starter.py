import numpy as np
from rnn_utils import *

# GRADED FUNCTION: deep_rnn_forward

def deep_rnn_forward(x, a0, parameters):
    """
    Implement the forward propagation of a deep RNN: L stacked layers of tanh cells.

    Arguments:
    x -- Input data for every time-step, of shape (n_x, m, T_x).
    a0 -- list of L initial hidden states, a0[l] of shape (n_a[l], m)
    parameters -- python dictionary containing:
                        layers -- list of L dictionaries, one per layer (first layer first), each with:
                                  Waa -- hidden-to-hidden weights, numpy array of shape (n_a[l], n_a[l])
                                  Wax -- input-to-hidden weights, numpy array of shape (n_a[l], n_in[l]),
                                         where n_in[0] = n_x and n_in[l] = n_a[l-1] above it
                                  ba -- bias, numpy array of shape (n_a[l], 1)
                        Wy -- Weight matrix relating the top layer to the output, numpy array of shape (n_y, n_a[L-1])
                        by -- Bias relating the top layer to the output, numpy array of shape (n_y, 1)

    Returns:
    a -- list of L arrays: a[l] holds layer l's hidden states for every time-step, of shape (n_a[l], m, T_x)
    y_pred -- Predictions for every time-step, numpy array of shape (n_y, m, T_x)
    """
    layers = parameters["layers"]
    Wy = parameters["Wy"]
    by = parameters["by"]

    ### START CODE HERE ###
    # Retrieve L and the dimensions from the shapes of x and Wy (≈3 lines)
    L = None
    n_x, m, T_x = None
    n_y = None

    # initialize "a" (a list of L arrays of zeros, one per layer) and "y_pred" with zeros (≈2 lines)
    a = None
    y_pred = None

    # Each layer's hidden state at the previous step, starting from a0 (≈1 line)
    a_prev = None

    # loop over all time-steps
    for t in range(None):
        # The first layer reads x at step t (≈1 line)
        layer_input = None
        # loop over the layers, from the first to the top
        for i in range(None):
            # Compute this layer's new hidden state, store it and pass it up (≈4 lines)
            a_next = None
            a[i][:, :, t] = None
            a_prev[i] = None
            layer_input = None
        # Compute the prediction from the top layer (≈1 line)
        y_pred[:, :, t] = None
    ### END CODE HERE ###

    return a, y_pred
