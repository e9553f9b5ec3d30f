import numpy as np
from rnn_utils import *


# Your gru_cell_forward from the earlier exercise: gru_forward calls it at every step.
def gru_cell_forward(xt, c_prev, parameters):
    """
    Implement a single forward step of the GRU-cell, as in the lecture.

    Arguments:
    xt -- your input data at timestep "t", numpy array of shape (n_x, m).
    c_prev -- Memory cell at timestep "t-1", numpy array of shape (n_c, m)
    parameters -- python dictionary containing:
                        Wr -- Weight matrix of the reset gate, numpy array of shape (n_c, n_c + n_x)
                        br -- Bias of the reset gate, numpy array of shape (n_c, 1)
                        Wu -- Weight matrix of the update gate, numpy array of shape (n_c, n_c + n_x)
                        bu -- Bias of the update gate, numpy array of shape (n_c, 1)
                        Wc -- Weight matrix of the candidate, numpy array of shape (n_c, n_c + n_x)
                        bc -- Bias of the candidate, numpy array of shape (n_c, 1)
                        Wy -- Weight matrix relating the memory cell to the output, numpy array of shape (n_y, n_c)
                        by -- Bias relating the memory cell to the output, numpy array of shape (n_y, 1)

    Returns:
    c_next -- next memory cell (which is also the GRU's hidden state), of shape (n_c, m)
    yt_pred -- prediction at timestep "t", numpy array of shape (n_y, m)
    cache -- tuple of values for a backward pass (not graded), e.g. (c_next, c_prev, rt, ut, cct, xt, parameters)
    """
    # Retrieve parameters from "parameters"
    Wr = parameters["Wr"]  # reset gate weight
    br = parameters["br"]
    Wu = parameters["Wu"]  # update gate weight
    bu = parameters["bu"]
    Wc = parameters["Wc"]  # candidate value weight
    bc = parameters["bc"]
    Wy = parameters["Wy"]  # prediction weight
    by = parameters["by"]

    ### START CODE HERE ###
    # Concatenate c_prev and xt (≈1 line)
    concat = None

    # Compute the reset gate rt and the update gate ut (≈2 lines)
    rt = None
    ut = None

    # Compute the candidate cct from the reset memory rt * c_prev and xt (≈2 lines)
    concat_reset = None
    cct = None

    # Compute the next memory cell (≈1 line)
    c_next = None

    # Compute the prediction (≈1 line)
    yt_pred = None
    ### END CODE HERE ###

    cache = (c_next, c_prev, rt, ut, cct, xt, parameters)

    return c_next, yt_pred, cache


# GRADED FUNCTION: gru_forward

def gru_forward(x, c0, parameters):
    """
    Implement the forward propagation of the recurrent neural network using the lecture's GRU-cell.

    Arguments:
    x -- Input data for every time-step, of shape (n_x, m, T_x).
    c0 -- Initial memory cell, of shape (n_c, m)
    parameters -- python dictionary containing Wr, br, Wu, bu, Wc, bc, Wy, by
                  (shapes as in gru_cell_forward)

    Returns:
    c -- Memory cells (the hidden states) for every time-step, numpy array of shape (n_c, m, T_x)
    y_pred -- Predictions for every time-step, numpy array of shape (n_y, m, T_x)
    caches -- tuple of values needed for the backward pass (not graded): (list of all the caches, x)
    """
    # Initialize "caches", which will contain the list of all caches
    caches = []

    ### START CODE HERE ###
    Wy = parameters["Wy"]
    # Retrieve dimensions from shapes of x and parameters["Wy"] (≈2 lines)
    n_x, m, T_x = None
    n_y, n_c = None

    # initialize "c" and "y_pred" with zeros (≈2 lines)
    c = None
    y_pred = None

    # Initialize c_next (≈1 line)
    c_next = None

    # loop over all time-steps
    for t in range(None):
        # Get the 2D slice 'xt' from the 3D input 'x' at time step 't' (≈1 line)
        xt = None
        # Update the memory cell, compute the prediction, get the cache (≈1 line)
        c_next, yt_pred, cache = None
        # Save the value of the new memory cell in c (≈1 line)
        c[:, :, t] = None
        # Save the value of the prediction in y_pred (≈1 line)
        y_pred[:, :, t] = None
        # Append "cache" to "caches" (≈1 line)
        None
    ### END CODE HERE ###

    # store values needed for backward propagation in cache
    caches = (caches, x)

    return c, y_pred, caches
