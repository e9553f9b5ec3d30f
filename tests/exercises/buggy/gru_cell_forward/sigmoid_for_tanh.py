# ruff: noqa  (student-style code, kept as a student would write it)
# expect: sigmoid_for_tanh
import numpy as np
from rnn_utils import *


def gru_cell_forward(xt, c_prev, parameters):
    Wr, br = parameters["Wr"], parameters["br"]
    Wu, bu = parameters["Wu"], parameters["bu"]
    Wc, bc = parameters["Wc"], parameters["bc"]
    Wy, by = parameters["Wy"], parameters["by"]
    concat = np.concatenate((c_prev, xt), axis=0)
    rt = sigmoid(np.dot(Wr, concat) + br)
    ut = sigmoid(np.dot(Wu, concat) + bu)
    cct = sigmoid(np.dot(Wc, np.concatenate((rt * c_prev, xt), axis=0)) + bc)
    c_next = ut * cct + (1 - ut) * c_prev
    yt_pred = softmax(np.dot(Wy, c_next) + by)
    return c_next, yt_pred, (c_next, c_prev, rt, ut, cct, xt, parameters)
