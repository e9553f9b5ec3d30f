# ruff: noqa  (student-style code, kept as a student would write it)
# expect: update_gate_sign_flipped
import numpy as np
from rnn_utils import *


def gru_cell_backward(dc_next, cache):
    """Backward pass of one step of the lecture's GRU: returns the gradients dict."""
    (c_next, c_prev, rt, ut, cct, xt, parameters) = cache
    n_c = c_prev.shape[0]

    Wr = parameters["Wr"]
    Wu = parameters["Wu"]
    Wc = parameters["Wc"]

    concat = np.concatenate((c_prev, xt), axis=0)
    concat_reset = np.concatenate((rt * c_prev, xt), axis=0)

    # Candidate and update gate (gradients with respect to their pre-activations).
    dcct = dc_next * ut * (1 - np.square(cct))
    dut = dc_next * (c_prev - cct) * ut * (1 - ut)

    # Back through Wc: the top rows reach rt * c_prev, the bottom rows reach xt.
    dconcat_reset = np.dot(Wc.T, dcct)
    dreset = dconcat_reset[:n_c, :]

    # Reset gate.
    drt = dreset * c_prev * rt * (1 - rt)

    # Through the gates' own concat [c_prev; xt].
    dconcat = np.dot(Wr.T, drt) + np.dot(Wu.T, dut)

    dWr = np.dot(drt, concat.T)
    dWu = np.dot(dut, concat.T)
    dWc = np.dot(dcct, concat_reset.T)
    dbr = np.sum(drt, axis=1, keepdims=True)
    dbu = np.sum(dut, axis=1, keepdims=True)
    dbc = np.sum(dcct, axis=1, keepdims=True)

    dc_prev = dc_next * (1 - ut) + dreset * rt + dconcat[:n_c, :]
    dxt = dconcat[n_c:, :] + dconcat_reset[n_c:, :]

    gradients = {"dxt": dxt, "dc_prev": dc_prev, "dWr": dWr, "dWu": dWu, "dWc": dWc,
                 "dbr": dbr, "dbu": dbu, "dbc": dbc}
    return gradients
