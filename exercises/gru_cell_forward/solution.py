import numpy as np
from rnn_utils import *


def gru_cell_forward(xt, c_prev, parameters):
    """One step of the lecture's GRU: returns c_next, yt_pred and a cache."""
    Wr = parameters["Wr"]
    br = parameters["br"]
    Wu = parameters["Wu"]
    bu = parameters["bu"]
    Wc = parameters["Wc"]
    bc = parameters["bc"]
    Wy = parameters["Wy"]
    by = parameters["by"]

    concat = np.concatenate((c_prev, xt), axis=0)

    rt = sigmoid(np.dot(Wr, concat) + br)
    ut = sigmoid(np.dot(Wu, concat) + bu)

    concat_reset = np.concatenate((rt * c_prev, xt), axis=0)
    cct = np.tanh(np.dot(Wc, concat_reset) + bc)

    c_next = ut * cct + (1 - ut) * c_prev

    yt_pred = softmax(np.dot(Wy, c_next) + by)

    cache = (c_next, c_prev, rt, ut, cct, xt, parameters)
    return c_next, yt_pred, cache
