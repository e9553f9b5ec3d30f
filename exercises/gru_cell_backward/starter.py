import numpy as np
from rnn_utils import *

# GRADED FUNCTION: gru_cell_backward

def gru_cell_backward(dc_next, cache):
    """
    Implement the backward pass for the lecture's GRU-cell (single time-step).

    Arguments:
    dc_next -- Gradient of the loss with respect to c_next (everything that reaches it), of shape (n_c, m)
    cache -- tuple from the forward step: (c_next, c_prev, rt, ut, cct, xt, parameters)

    Returns:
    gradients -- python dictionary containing:
                        dxt -- Gradient of the input at time-step t, of shape (n_x, m)
                        dc_prev -- Gradient w.r.t. the previous memory cell, of shape (n_c, m)
                        dWr -- Gradient w.r.t. the reset gate's weights, of shape (n_c, n_c + n_x)
                        dWu -- Gradient w.r.t. the update gate's weights, of shape (n_c, n_c + n_x)
                        dWc -- Gradient w.r.t. the candidate's weights, of shape (n_c, n_c + n_x)
                        dbr -- Gradient w.r.t. the reset gate's bias, of shape (n_c, 1)
                        dbu -- Gradient w.r.t. the update gate's bias, of shape (n_c, 1)
                        dbc -- Gradient w.r.t. the candidate's bias, of shape (n_c, 1)
    """
    # Retrieve information from "cache"
    (c_next, c_prev, rt, ut, cct, xt, parameters) = cache

    Wr = parameters["Wr"]
    Wu = parameters["Wu"]
    Wc = parameters["Wc"]

    ### START CODE HERE ###
    # Retrieve n_c from c_prev's shape (≈1 line)
    n_c = None

    # Rebuild the two concatenations: [c_prev; xt] and [rt * c_prev; xt] (≈2 lines)
    concat = None
    concat_reset = None

    # Gradients at the pre-activations of the candidate and of the update gate (≈2 lines)
    dcct = None
    dut = None

    # Back through Wc; the top n_c rows reach rt * c_prev (≈2 lines)
    dconcat_reset = None
    dreset = None

    # Gradient at the pre-activation of the reset gate (≈1 line)
    drt = None

    # Back through Wr and Wu (≈1 line)
    dconcat = None

    # Parameter gradients (≈6 lines)
    dWr = None
    dWu = None
    dWc = None
    dbr = None
    dbu = None
    dbc = None

    # Gradients with respect to c_prev and xt: add up every path (≈2 lines)
    dc_prev = None
    dxt = None
    ### END CODE HERE ###

    gradients = {"dxt": dxt, "dc_prev": dc_prev, "dWr": dWr, "dWu": dWu, "dWc": dWc,
                 "dbr": dbr, "dbu": dbu, "dbc": dbc}

    return gradients
