# ruff: noqa  (student-style code, kept as a student would write it)
# `@`, a different name for dz, dba via indexing instead of keepdims.
import numpy as np


def rnn_cell_backward(da_next, cache):
    a_next, a_prev, xt, params = cache
    dz = da_next * (1.0 - np.square(a_next))
    return {
        "dxt": params["Wax"].T @ dz,
        "da_prev": params["Waa"].T @ dz,
        "dWax": dz @ xt.T,
        "dWaa": dz @ a_prev.T,
        "dba": dz.sum(axis=1)[:, np.newaxis],
    }
