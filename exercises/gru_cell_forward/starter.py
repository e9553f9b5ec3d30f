import numpy as np
from rnn_utils import *

# GRADED FUNCTION: gru_cell_forward

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
